"""HTML report: content, escaping of hostile cloud strings (S-8), CSP, no network, partial scans."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element

import html5lib  # type: ignore[import-untyped, unused-ignore]
import pytest

from assay.controls.registry import load_controls
from assay.engine import Evaluation, evaluate
from assay.frameworks import Criterion, CriterionKind, Framework, soc2
from assay.models.inventory import (
    AccountInfo,
    CollectionError,
    Coverage,
    CoverageStatus,
    ErrorKind,
    Inventory,
    RegionInfo,
    RegionStatus,
    ScanMeta,
)
from assay.models.resources.kms import KmsKey
from assay.reporters import get

ACCOUNT = "123456789012"
NS = "{http://www.w3.org/1999/xhtml}"
XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script>",
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "{{7*7}}",
]
PUBLIC_POLICY = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}
KMS_CONTROLS = ("kms.key_rotation_enabled", "kms.key_policy_not_public", "kms.key_not_pending_deletion")


def framework() -> Framework:
    """A small framework with every kind of criterion, independent of the shipped soc2.yaml's growth."""
    return Framework(
        id="soc2", name="SOC 2 test framework",
        categories={"security": "Security (Common Criteria)", "governance": "Control environment"},
        criteria=(
            Criterion(id="CC6.1", title="Logical access security", category="security",
                      kind=CriterionKind.AUTOMATED, rationale="Keys are managed and not public.",
                      controls=KMS_CONTROLS),
            Criterion(id="CC6.7", title="Data in transit", category="security", kind=CriterionKind.AUTOMATED,
                      rationale="Deletion of keys is reviewed.", controls=("kms.key_not_pending_deletion",)),
            Criterion(id="CC1.1", title="Integrity and ethical values", category="governance",
                      kind=CriterionKind.MANUAL, rationale="Governance is a people process.",
                      evidence="Signed code of conduct acknowledgements for all staff"),
            Criterion(id="CC6.4", title="Physical access", category="security", kind=CriterionKind.INHERITED,
                      rationale="AWS data centre physical security is covered by the AWS SOC 2 report."),
        ),
    )


def key(key_id: str, *, name: str = "", region: str = "us-east-1", tags: dict[str, str] | None = None,
        arn: str | None = None, **over: Any) -> KmsKey:
    base: dict[str, Any] = dict(
        arn=arn or f"arn:aws:kms:{region}:{ACCOUNT}:key/{key_id}", id=key_id, account_id=ACCOUNT, region=region,
        name=name, tags=tags or {}, manager="CUSTOMER", state="Enabled", spec="SYMMETRIC_DEFAULT",
        rotation_enabled=True, policy={"Statement": []},
    )
    return KmsKey(**{**base, **over})


def inventory(keys: list[KmsKey], *, partial: bool = False, hostile: bool = False) -> Inventory:
    t0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    t1 = datetime(2024, 5, 1, 12, 3, 27, tzinfo=UTC)
    coverage = [
        Coverage(account_id=ACCOUNT, region="us-east-1", service="kms", status=CoverageStatus.COMPLETE,
                 resources=len(keys), api_calls=7, seconds=1.25),
        Coverage(account_id=ACCOUNT, region="eu-west-1", service="kms",
                 status=CoverageStatus.DENIED if partial else CoverageStatus.COMPLETE,
                 errors=1 if partial else 0, reason="kms:ListKeys denied" if partial else ""),
        Coverage(account_id=ACCOUNT, region="ap-east-1", service="kms", status=CoverageStatus.NOT_ENABLED),
    ]
    errors = []
    if partial:
        errors.append(CollectionError(
            account_id=ACCOUNT, region="eu-west-1", service="kms", operation="kms:ListKeys", code="AccessDenied",
            kind=ErrorKind.DENIED, message="User is not authorized to perform kms:ListKeys"))
    accounts = [AccountInfo(account_id=ACCOUNT, caller_arn=f"arn:aws:sts::{ACCOUNT}:assumed-role/Assay/s")]
    regions = [
        RegionInfo(account_id=ACCOUNT, region="us-east-1", status=RegionStatus.SCANNED),
        RegionInfo(account_id=ACCOUNT, region="eu-west-1", status=RegionStatus.SCANNED),
        RegionInfo(account_id=ACCOUNT, region="ap-east-1", status=RegionStatus.NOT_ENABLED,
                   opt_in_status="not-opted-in"),
    ]
    if hostile:  # every other string a scan records, set by an attacker
        for n, payload in enumerate(XSS):
            accounts.append(AccountInfo(account_id=payload, caller_arn=payload, status="failed" if n % 2 else "scanned",
                                        reason=payload))
            regions.append(RegionInfo(account_id=payload, region=payload, status=RegionStatus.NOT_ENABLED,
                                      opt_in_status=payload))
            coverage.append(Coverage(account_id=payload, region=payload, service=payload, status=CoverageStatus.ERROR,
                                     reason=payload))

            errors.append(CollectionError(
                account_id=ACCOUNT, region="us-east-1", service="kms", operation="kms:GetKeyPolicy",
                code=f"Weird{n}", kind=ErrorKind.ERROR, message=payload, resource_arn=f"arn:aws:kms:x:{payload}"))
    return Inventory(
        meta=ScanMeta(scan_id="scan-0001", tool_version="0.1.0", started_at=t0, finished_at=t1,
                      requested_regions=["us-east-1", "eu-west-1", "ap-east-1"], api_calls={"kms:ListKeys": 2}),
        accounts=accounts, regions=regions, coverage=coverage, resources=keys, errors=errors,
    )


def estate() -> list[KmsKey]:
    return [
        key("k-pass", name="pass-rotating"),
        key("k-fail", name="fail-no-rotation", rotation_enabled=False),
        key("k-public", name="fail-public-policy", policy=PUBLIC_POLICY),
        key("k-aws", name="skip-aws-managed", manager="AWS"),
    ]


def xss_estate() -> list[KmsKey]:
    keys = []
    for n, payload in enumerate(XSS):
        keys.append(key(f"{payload}-{n}", name=payload, tags={payload: payload, "Name": payload},
                        arn=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{payload}{n}", rotation_enabled=False,
                        policy=None if n % 2 else PUBLIC_POLICY))
    return keys


def run(inv: Inventory) -> Evaluation:
    """Evaluate with the KMS controls only, so that the test does not depend on other services' controls."""
    controls = {cid: c for cid, c in load_controls().items() if cid in KMS_CONTROLS}
    return evaluate(inv, framework=framework(), controls=controls)


def html_of(ev: Evaluation) -> str:
    out = io.StringIO()
    get("html").write(ev, out)
    return out.getvalue()


def parse(page: str) -> Element:
    doc: Element = html5lib.parse(page, namespaceHTMLElements=True)
    return doc


def elements(doc: Element, tag: str) -> list[Element]:
    return list(doc.iter(f"{NS}{tag}"))


def text(el: Element) -> str:
    return "".join(el.itertext())


def resource_names_of(doc: Element) -> set[str]:
    return {text(e) for e in doc.iter(f"{NS}span") if e.get("class") == "resource-name"}


def csp_of(doc: Element) -> str:
    metas = [m for m in elements(doc, "meta") if m.get("http-equiv", "").lower() == "content-security-policy"]
    assert len(metas) == 1
    return metas[0].get("content", "")


def sha256_source(content: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode() + "'"


# -- content ---------------------------------------------------------------------------------


def test_registered_as_html_reporter() -> None:
    rep = get("html")
    assert rep.name == "html" and rep.extension == "html"


def test_page_shows_criteria_controls_and_findings() -> None:
    ev = run(inventory(estate()))
    page = html_of(ev)
    doc = parse(page)
    body = text(doc)
    for cid in ("CC6.1", "CC6.7", "CC1.1", "CC6.4"):
        assert cid in body
    assert "Logical access security" in body and "Security (Common Criteria)" in body
    for name in ("pass-rotating", "fail-no-rotation", "fail-public-policy", "skip-aws-managed"):
        assert name in body
    for cid in KMS_CONTROLS:
        assert cid in body
        assert ev.controls[cid].title in body
    # remediation in <pre> blocks
    pres = [text(p) for p in elements(doc, "pre")]
    assert "aws kms enable-key-rotation --key-id <key-id>" in pres
    assert any("enable_key_rotation = true" in p for p in pres)
    # manual criteria show the expected evidence, inherited ones their rationale
    assert "Signed code of conduct acknowledgements for all staff" in body
    assert "covered by the AWS SOC 2 report" in body
    # status badges per criterion
    crit = {d.get("id"): d.get("data-status") for d in elements(doc, "details") if "criterion" in d.get("class", "")}
    assert crit == {"criterion-CC6.1": "fail", "criterion-CC6.7": "pass", "criterion-CC1.1": "manual",
                    "criterion-CC6.4": "inherited"}
    # one resource row per finding: a control mapped to two criteria lists its resources under the first
    rows = [r for r in elements(doc, "tr") if "finding" in r.get("class", "").split()]
    assert sorted(r.get("data-fid", "") for r in rows) == sorted(f.id for f in ev.findings)
    controls = [d for d in elements(doc, "details") if "control" in d.get("class", "").split()]
    shared = [d for d in controls if d.get("data-control") == "kms.key_not_pending_deletion"]
    assert [d.get("id") for d in shared] == ["control-kms.key_not_pending_deletion", None]
    assert shared[1].get("data-ref") == "control-kms.key_not_pending_deletion"
    links = [a.get("href") for a in shared[1].iter(f"{NS}a")]
    assert links == ["#control-kms.key_not_pending_deletion"]
    # filter attributes: skip findings filter as not_applicable
    assert {r.get("data-status") for r in rows} == {"pass", "fail", "not_applicable"}
    assert {r.get("data-account") for r in rows} == {ACCOUNT}


def test_everything_is_visible_without_javascript() -> None:
    doc = parse(html_of(run(inventory(estate(), partial=True))))
    hidden = {e.get("id") for e in doc.iter() if e.get("hidden") is not None}
    # only the filter bar (useless without the script) and the script's own messages start hidden
    assert hidden == {"filters", "print-filter-note", "f-none"}


def test_header_shows_complete_state_scope_and_counts() -> None:
    ev = run(inventory(estate()))
    doc = parse(html_of(ev))
    header = text(next(e for e in elements(doc, "header")))
    assert "COMPLETE" in header and "PARTIAL" not in header
    assert "Coverage 100.0%" in header
    body = re.sub(r"\s+", " ", text(doc))
    assert ACCOUNT in body
    assert "us-east-1, eu-west-1" in body or "eu-west-1, us-east-1" in body
    assert "ap-east-1" in body and "not-opted-in" in body  # regions not scanned, with the reason
    assert "2024-05-01 12:00:00 UTC" in body and "2024-05-01 12:03:27 UTC" in body
    counts = ev.counts()
    tallies = [e for e in elements(doc, "ul") if e.get("class") == "tally"]
    assert len(tallies) == 2
    findings_tally = {text(li).strip() for li in tallies[0]}
    assert f"{counts['fail']}Fail" in findings_tally and f"{counts['pass']}Pass" in findings_tally
    criteria_tally = {text(li).strip() for li in tallies[1]}
    assert {"1Fail", "1Pass", "1Manual", "1Inherited"} <= criteria_tally


def test_partial_scan_shows_partial_and_never_compliant() -> None:
    ev = run(inventory(estate(), partial=True))
    assert not ev.complete
    page = html_of(ev)
    doc = parse(page)
    header = text(next(e for e in elements(doc, "header")))
    assert "PARTIAL" in header and "COMPLETE" not in header
    assert "Coverage 50.0%" in header
    alert = next(e for e in elements(doc, "div") if "alert-partial" in e.get("class", ""))
    alert_text = re.sub(r"\s+", " ", text(alert))
    assert "never shown as compliant" in alert_text
    assert "CC6.1" in alert_text and "CC6.7" in alert_text  # the affected criteria are named
    # the failed read is in the collection errors and the coverage table
    assert "User is not authorized to perform kms:ListKeys" in text(doc)
    assert "denied" in text(next(e for e in elements(doc, "section") if e.get("id") == "coverage"))
    # CC6.7 would pass on what was read; the unread region makes it ERROR
    crit = {d.get("id"): d.get("data-status") for d in elements(doc, "details") if "criterion" in d.get("class", "")}
    assert crit["criterion-CC6.7"] == "error"


def test_shipped_framework_renders() -> None:
    ev = evaluate(inventory(estate()))
    doc = parse(html_of(ev))
    body = text(doc)
    for c in soc2().criteria:
        assert c.id in body and c.title in body


def test_output_is_deterministic() -> None:
    inv = inventory(estate(), partial=True)
    assert html_of(run(inv)) == html_of(run(inv))


# -- security (S-8) --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> tuple[str, Element]:
    page = html_of(run(inventory(xss_estate(), partial=True, hostile=True)))
    return page, parse(page)


def test_exactly_one_script_and_it_is_ours(hostile: tuple[str, Element]) -> None:
    _, doc = hostile
    scripts = elements(doc, "script")
    assert len(scripts) == 1
    assert scripts[0].get("src") is None
    assert text(scripts[0]).lstrip().startswith("/* Assay report filters.")


def test_no_event_handlers_or_javascript_urls(hostile: tuple[str, Element]) -> None:
    _, doc = hostile
    for el in doc.iter():
        for attr, value in el.attrib.items():
            assert not attr.lower().startswith("on"), (el.tag, attr)
            if attr.lower() in ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"):
                assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (el.tag, value)
    tags = {el.tag for el in doc.iter() if isinstance(el.tag, str)}
    for forbidden in ("img", "svg", "iframe", "object", "embed", "link", "base", "form"):
        assert f"{NS}{forbidden}" not in tags and f"{{http://www.w3.org/2000/svg}}{forbidden}" not in tags


def test_payloads_render_as_literal_text(hostile: tuple[str, Element]) -> None:
    page, doc = hostile
    body = text(next(iter(elements(doc, "body"))))
    for payload in XSS:
        assert payload in body  # shown to the reader, as text
    assert "{{7*7}}" in resource_names_of(doc)
    assert "<script>alert(1)" not in page and "<svg onload" not in page and "<img src=x" not in page
    # data-* filter attributes carry the escaped value back intact
    rows = [r for r in elements(doc, "tr") if "finding" in r.get("class", "").split()]
    resource_names = {text(e) for e in doc.iter(f"{NS}span") if e.get("class") == "resource-name"}
    assert set(XSS) <= resource_names
    assert {r.get("data-account") for r in rows} >= {ACCOUNT, *XSS[::2]}  # hostile scanned accounts
    options = {o.get("value") for o in elements(doc, "option")}
    assert set(XSS) <= options  # account and region filters


def test_csp_meta_allows_only_our_script_and_style(hostile: tuple[str, Element]) -> None:
    _, doc = hostile
    csp = csp_of(doc)
    directives = {d.split()[0]: d.split()[1:] for d in (p.strip() for p in csp.split(";")) if d}
    assert directives["default-src"] == ["'none'"]
    script = elements(doc, "script")[0]
    assert directives["script-src"] == [sha256_source(text(script))]
    styles = elements(doc, "style")
    assert len(styles) == 1
    assert directives["style-src"] == [sha256_source(text(styles[0]))]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    for d in ("connect-src", "img-src", "font-src", "base-uri", "form-action"):
        assert directives[d] == ["'none'"]
    # the CSP meta comes before the style and the script it governs
    head = next(iter(elements(doc, "head")))
    children = [c.tag.removeprefix(NS) for c in head]
    assert children.index("meta") < children.index("style")
    first_meta = [c for c in head if c.tag == f"{NS}meta"]
    assert first_meta[1].get("http-equiv") == "Content-Security-Policy"


def test_nothing_loads_from_the_network(hostile: tuple[str, Element]) -> None:
    _, doc = hostile
    for el in doc.iter():
        for attr in ("src", "href", "action", "srcset", "poster", "data"):
            value = el.get(attr)
            if value is not None:
                assert value.startswith("#"), (el.tag, attr, value)  # in-page links only
    for style in elements(doc, "style"):
        assert "url(" not in text(style) and "@import" not in text(style)
    script = text(elements(doc, "script")[0])
    for api in ("fetch(", "XMLHttpRequest", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert api not in script
    assert "http://" not in script and "https://" not in script
    assert script.isascii()


def test_every_cloud_string_is_escaped_in_the_source(hostile: tuple[str, Element]) -> None:
    page, _ = hostile
    # The raw payloads never appear unescaped anywhere in the HTML source.
    for payload in ('"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>", "<script>alert(1)</script>"):
        assert payload not in page
    assert page.count("<script") == 1 and page.count("</script>") == 1


def test_invisible_and_bidi_characters_are_shown() -> None:
    spoof = "pass-\u202eliaf-\u200bkey\x07"
    page = html_of(run(inventory([key("k-spoof", name=spoof)])))
    names = resource_names_of(parse(page))
    assert "pass-[U+202E]liaf-[U+200B]key[U+0007]" in names
    assert "\u202e" not in page and "\u200b" not in page and "\x07" not in page


def test_markup_parses_without_errors(hostile: tuple[str, Element]) -> None:
    page, _ = hostile
    parser = html5lib.HTMLParser()
    parser.parse(page)
    assert parser.errors == []
