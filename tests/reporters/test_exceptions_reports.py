"""Every format shows excepted findings as EXCEPTED (never hidden) and expired exceptions as failing again.

The estate (tests.reporters.test_html, collected 2024-05-01) fails kms.key_rotation_enabled for
fail-no-rotation and kms.key_policy_not_public for fail-public-policy. `excepting()` covers the first
with an active exception whose text is hostile, the second with one that expired on 2024-04-30, and
adds an entry that covers nothing.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from assay.controls.registry import load_controls
from assay.engine import PASS_WITH_EXCEPTIONS, Evaluation, evaluate
from assay.exceptions import parse
from assay.models.findings import Status
from assay.reporters import get
from tests.reporters import test_asff as asff_checks
from tests.reporters import test_junit as junit_checks
from tests.reporters import test_ocsf as ocsf_checks
from tests.reporters import test_sarif as sarif_checks
from tests.reporters.test_html import ACCOUNT, KMS_CONTROLS, XSS, elements, estate, framework, inventory, text
from tests.reporters.test_html import parse as parse_html
from tests.reporters.test_markdown import flat, parser

ROTATION, PUBLIC, DELETION = KMS_CONTROLS
REASON = "Legacy key " + " ".join(XSS) + " [x](https://evil.example) | pipe"
EXPIRED_REASON = "Expired acceptance"


def excepting(*, all_failures: bool = False) -> Evaluation:
    items: list[dict[str, Any]] = [
        {"id": "EX-rotation", "control": ROTATION, "resource": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k-fail",
         "account": ACCOUNT, "type": "risk_accepted", "reason": REASON, "owner": "<b>owner</b>@example.com",
         "approver": "ciso@example.com", "expires": "2024-06-30"},
        {"id": "EX-public", "control": PUBLIC, "resource": "*", "type": "false_positive", "reason": EXPIRED_REASON,
         "owner": "team@example.com", "approver": "ciso@example.com",
         "expires": "2024-05-31" if all_failures else "2024-04-30"},
        {"id": "EX-unused", "control": DELETION, "resource": "*", "type": "compensating_control",
         "reason": "Nothing to cover", "owner": "team@example.com", "approver": "ciso@example.com",
         "expires": "2024-06-30"},
    ]
    controls = {cid: c for cid, c in load_controls().items() if cid in KMS_CONTROLS}
    return evaluate(inventory(estate()), framework=framework(), controls=controls,
                    exceptions=parse({"exceptions": items}, load_controls()).exceptions)


def write(ev: Evaluation, fmt: str) -> str:
    out = io.StringIO()
    get(fmt).write(ev, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def ev() -> Evaluation:
    return excepting()


def test_the_data_keeps_the_verdict(ev: Evaluation) -> None:
    excepted = {f.resource_name: f for f in ev.findings if f.exception is not None}
    assert set(excepted) == {"fail-no-rotation", "fail-public-policy"}
    assert all(f.status is Status.FAIL for f in excepted.values())
    assert excepted["fail-no-rotation"].excepted and not excepted["fail-public-policy"].excepted
    dumped = excepted["fail-no-rotation"].model_dump(mode="json")  # what the store persists
    assert dumped["status"] == "fail" and dumped["exception"]["id"] == "EX-rotation"
    assert dumped["exception"]["expires"] == "2024-06-30" and dumped["exception"]["expired"] is False


def test_json(ev: Evaluation) -> None:
    doc = json.loads(write(ev, "json"))
    by_name = {(f["control_id"], f["resource_name"]): f for f in doc["findings"]}
    active = by_name[(ROTATION, "fail-no-rotation")]
    assert active["status"] == "fail" and active["excepted"] is True
    assert active["exception"]["reason"] == REASON and active["exception"]["type"] == "risk_accepted"
    assert active["exception"]["note"].startswith("EXCEPTED: risk accepted until 2024-06-30")
    lapsed = by_name[(PUBLIC, "fail-public-policy")]
    assert lapsed["excepted"] is False and lapsed["exception"]["expired"] is True
    assert lapsed["exception"]["note"].startswith("exception expired on 2024-04-30")
    assert by_name[(ROTATION, "pass-rotating")]["exception"] is None
    assert doc["scan"]["findings"]["fail"] == 1 and doc["scan"]["findings"]["excepted"] == 1
    assert doc["scan"]["exceptions"]["unused"] == ["EX-unused"]
    entries = {e["id"]: e for e in doc["exceptions"]}
    assert entries["EX-rotation"]["findings_excepted"] == 1 and not entries["EX-rotation"]["expired"]
    assert entries["EX-public"]["findings_expired"] == 1 and entries["EX-public"]["expired"]
    assert entries["EX-unused"]["unused"]
    [cc61] = [c for c in doc["criteria"] if c["id"] == "CC6.1"]
    assert cc61["status"] == "fail" and cc61["counts"]["excepted"] == 1 and cc61["counts"]["fail"] == 1


def test_json_criterion_passing_with_exceptions() -> None:
    doc = json.loads(write(excepting(all_failures=True), "json"))
    [cc61] = [c for c in doc["criteria"] if c["id"] == "CC6.1"]
    assert cc61["status"] == PASS_WITH_EXCEPTIONS and cc61["counts"]["fail"] == 0 and cc61["counts"]["excepted"] == 2
    assert doc["scan"]["criteria"][PASS_WITH_EXCEPTIONS] == 1


def test_csv(ev: Evaluation) -> None:
    rows = {(r["control_id"], r["resource_name"]): r for r in csv.DictReader(io.StringIO(write(ev, "csv")))}
    active = rows[(ROTATION, "fail-no-rotation")]
    assert active["status"] == "excepted" and active["exception_state"] == "active"
    assert active["exception_reason"] == REASON and active["exception_expires"] == "2024-06-30"
    lapsed = rows[(PUBLIC, "fail-public-policy")]
    assert lapsed["status"] == "fail" and lapsed["exception_state"] == "expired"
    assert lapsed["exception_note"].startswith("exception expired on 2024-04-30")
    assert rows[(ROTATION, "pass-rotating")]["exception_state"] == ""


def test_console(ev: Evaluation) -> None:
    out = write(ev, "console")
    assert "Exceptions" in out and "EX-rotation" in out and "1 excepted" in out
    assert "exception expired on" in out and "2024-04-30" in out
    assert "unused" in out
    assert "Findings: 7 pass, 1 fail, 1 excepted, 0 error, 3 not applicable." in out
    worst = out.split("Worst failing controls", 1)[1].split("Exceptions", 1)[0]
    assert PUBLIC in worst and ROTATION not in worst  # excepted is not failing
    assert "PASS WITH EXCEPTIONS" in write(excepting(all_failures=True), "console")


def test_html(ev: Evaluation) -> None:
    page = write(ev, "html")
    doc = parse_html(page)
    rows = {r.get("data-fid"): r for r in elements(doc, "tr") if r.get("class") == "finding"}
    [active] = [r for r in rows.values() if "fail-no-rotation" in text(r) and r.get("data-status") == "excepted"]
    assert "Excepted" in text(active) and REASON in " ".join(text(active).split())
    [lapsed] = [r for r in rows.values() if "fail-public-policy" in text(r) and r.get("data-status") == "fail"]
    assert "Exception expired on 2024-04-30" in text(lapsed)
    # Exception text is user-controlled: it is escaped, never markup.
    assert not [e for e in elements(doc, "script") if "alert" in text(e)]
    assert not [e for e in doc.iter() if e.get("onerror") or e.get("onload")]
    assert not elements(doc, "img") and not elements(doc, "svg")
    assert not [b for b in elements(doc, "b") if text(b) == "owner"]
    assert "&lt;b&gt;owner&lt;/b&gt;@example.com" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    [section] = [s for s in elements(doc, "section") if s.get("id") == "exceptions"]
    listed = text(section)
    assert "EX-rotation" in listed and "EX-unused" in listed and "Unused" in listed
    assert "Exception expired on 2024-04-30" in listed
    assert "excepted" in {i.get("value") for i in elements(doc, "input")}  # a filter, so never hidden for good
    controls = {d.get("data-control"): d.get("data-status") for d in elements(doc, "details") if d.get("data-control")}
    assert controls[ROTATION] == PASS_WITH_EXCEPTIONS and controls[PUBLIC] == "fail"
    crit = {d.get("id"): d.get("data-status") for d in elements(doc, "details") if "criterion" in d.get("class", "")}
    assert crit["criterion-CC6.1"] == "fail"
    all_doc = parse_html(write(excepting(all_failures=True), "html"))
    crit = {d.get("id"): d.get("data-status") for d in elements(all_doc, "details")
            if "criterion" in d.get("class", "")}
    assert crit["criterion-CC6.1"] == PASS_WITH_EXCEPTIONS


def test_html_without_exceptions_shows_no_exception_ui() -> None:
    controls = {cid: c for cid, c in load_controls().items() if cid in KMS_CONTROLS}
    doc = parse_html(write(evaluate(inventory(estate()), framework=framework(), controls=controls), "html"))
    assert not [s for s in elements(doc, "section") if s.get("id") == "exceptions"]
    assert "excepted" not in {i.get("value") for i in elements(doc, "input")}


def test_markdown(ev: Evaluation) -> None:
    md = write(ev, "markdown")
    section = md.split("### Exceptions", 1)[1]
    assert "`EX-rotation`" in section and "EXCEPTED" in section and "unused" in section
    assert "**exception expired on 2024-04-30**" in section
    failing = md.split("### Top failing controls", 1)[1].split("### Exceptions", 1)[0]
    assert PUBLIC in failing and "**exception expired on 2024-04-30**" in failing
    assert ROTATION not in failing
    tokens = flat(parser().parse(md))
    assert not [t for t in tokens if t.type in ("link_open", "image", "html_inline", "html_block")]
    assert "| Pass with exceptions |" in write(excepting(all_failures=True), "markdown")


def test_sarif(ev: Evaluation) -> None:
    log = sarif_checks.log_of(ev)
    sarif_checks.assert_valid(log)
    results = log["runs"][0]["results"]
    suppressed = {r["locations"][0]["logicalLocations"][0]["name"]: r for r in results if "suppressions" in r}
    assert set(suppressed) == {"fail-no-rotation", "fail-public-policy"}
    [active] = suppressed["fail-no-rotation"]["suppressions"]
    assert active["kind"] == "external" and active["status"] == "accepted"
    assert REASON in active["justification"] and active["properties"]["exceptionId"] == "EX-rotation"
    assert suppressed["fail-no-rotation"]["kind"] == "fail"  # still reported, as suppressed
    [lapsed] = suppressed["fail-public-policy"]["suppressions"]
    assert lapsed["status"] == "rejected" and lapsed["properties"]["expired"] is True
    assert "exception expired on 2024-04-30" in suppressed["fail-public-policy"]["message"]["text"]


def test_junit(ev: Evaluation) -> None:
    xml = junit_checks.xml_of(ev)
    junit_checks.assert_valid(xml)
    root = ET.fromstring(xml)
    cases = {(c.get("classname"), c.get("name", "").split(" ")[0]): c for c in root.iter("testcase")}
    skipped = cases[(ROTATION, "fail-no-rotation")].find("skipped")
    assert skipped is not None and skipped.get("type") == "EXCEPTED"
    assert (skipped.get("message") or "").startswith("EXCEPTED: risk accepted until 2024-06-30")
    assert REASON in (skipped.get("message") or "")
    failure = cases[(PUBLIC, "fail-public-policy")].find("failure")
    assert failure is not None and (failure.get("message") or "").startswith("exception expired on 2024-04-30")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites[ROTATION].get("failures") == "0" and suites[ROTATION].get("skipped") == "2"
    assert suites[PUBLIC].get("failures") == "1"
    assert root.get("failures") == "1"


def test_ocsf(ev: Evaluation) -> None:
    events = ocsf_checks.events_of(ev)
    ocsf_checks.assert_valid(events)
    by = {(e["compliance"]["control"], e["resources"][0]["name"]): e for e in events}
    active = by[(ROTATION, "fail-no-rotation")]
    assert active["compliance"]["status"] == "Fail"  # the resource does fail the control
    assert (active["status_id"], active["status"]) == (3, "Suppressed")
    assert active["comment"] == REASON and active["unmapped"]["assay"]["excepted"] is True
    lapsed = by[(PUBLIC, "fail-public-policy")]
    assert (lapsed["status_id"], lapsed["status"]) == (1, "New")
    assert lapsed["status_detail"].startswith("exception expired on 2024-04-30")
    assert "status_id" not in by[(ROTATION, "pass-rotating")]


def test_asff(ev: Evaluation) -> None:
    findings = asff_checks.document_of(ev)
    asff_checks.assert_accepted(findings)
    by = {(f["GeneratorId"], f["ProductFields"]["Assay/ResourceName"]): f for f in findings}
    active = by[(ROTATION, "fail-no-rotation")]
    assert active["Compliance"]["Status"] == "FAILED" and active["Workflow"]["Status"] == "SUPPRESSED"
    assert active["Note"]["Text"].startswith("EXCEPTED: risk accepted") and active["Note"]["UpdatedBy"] == \
        "ciso@example.com"
    assert active["ProductFields"]["Assay/Excepted"] == "true"
    lapsed = by[(PUBLIC, "fail-public-policy")]
    assert lapsed["Workflow"]["Status"] == "NEW"
    assert lapsed["Note"]["Text"].startswith("exception expired on 2024-04-30")
    assert "Note" not in by[(ROTATION, "pass-rotating")]


def test_every_format_shows_the_exception() -> None:
    """The excepted finding's exception id appears in every built-in format."""
    ev = excepting()
    for fmt in ("console", "json", "csv", "html", "ocsf", "asff", "sarif", "junit", "markdown"):
        out = write(ev, fmt)
        assert "EX-rotation" in out, fmt
        assert "2024-04-30" in out, fmt  # the expired one is flagged with its date
