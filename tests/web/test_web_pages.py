"""The HTML pages: they render, drill down in three clicks, filter, page, and keep hostile strings inert."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import html5lib  # type: ignore[import-untyped, unused-ignore]
import pytest
from fastapi.testclient import TestClient

from assay.controls.registry import load_controls
from assay.engine import evaluate
from assay.frameworks import load
from assay.store import open_store
from assay.web.app import create_app
from assay.web.users import Role, add_user
from tests.web.conftest import sign_in
from tests.web.seed import CONTROLS, SANDBOX, XSS, inventory

NS = "{http://www.w3.org/1999/xhtml}"
PAGES = ["/", "/?scan=2", "/criteria/CC6.1", "/criteria/CC6.1?status=any", "/criteria/CC1.1", "/criteria/CC6.4",
         "/controls/kms.key_rotation_enabled", "/controls/s3.bucket_versioning_enabled?status=excepted",
         "/resources", "/resources?q=xss", "/scans", "/history", "/history?criterion=CC6.1&criterion=A1.2",
         "/diff", "/diff?old=1&new=3&show=resolved", "/diff?old=2&new=3&show=still_failing", "/exceptions",
         "/coverage", "/coverage?scan=2"]


def links(html: str, pattern: str) -> list[str]:
    return [a.get("href") for a in parse(html).iter(f"{NS}a") if re.match(pattern, a.get("href") or "")]


def parse(html: str) -> Any:
    return html5lib.parse(html)


def assert_inert(html: str, page: str) -> None:
    """No script but our own file, no event handler attribute, no javascript: URL, no inline style."""
    doc = parse(html)
    scripts = list(doc.iter(f"{NS}script"))
    assert [s.get("src") for s in scripts] == ["/static/assay.js"], page
    assert all(not (s.text or "").strip() for s in scripts), page
    for el in doc.iter():
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (page, el.tag, name)
            assert name.lower() != "style", (page, el.tag)
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                assert not unquote(value).strip().lower().startswith(("javascript:", "data:", "vbscript:")), page
    assert not doc.findall(f".//{NS}iframe") and not doc.findall(f".//{NS}object"), page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_executable_content(viewer: TestClient, page: str) -> None:
    response = viewer.get(page)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert_inert(response.text, page)


def test_hostile_names_and_tags_are_shown_as_text(viewer: TestClient) -> None:
    resources = viewer.get("/resources?q=xss-key")
    finding = links(resources.text, r"/findings/")[0]
    pages = [resources.text, viewer.get(finding).text, viewer.get("/criteria/CC6.1").text,
             viewer.get("/controls/kms.key_rotation_enabled").text]
    for html in pages:
        assert_inert(html, "hostile")
        text = "".join(parse(html).itertext())
        assert "".join(XSS) in text  # shown, as text
    tags_table = parse(pages[1]).find(f".//{NS}table[@class='tags']")
    cells = ["".join(td.itertext()) for td in tags_table.iter(f"{NS}td")]
    assert cells.count(XSS[0]) == 2 and cells.count(XSS[1]) == 2  # key and value of each hostile tag


def test_failing_resources_of_a_criterion_in_three_clicks(viewer: TestClient, web_store: Any) -> None:
    overview = viewer.get("/")
    # Click 1: the criterion's tile on the overview.
    tile = next(h for h in links(overview.text, r"/criteria/CC6\.1\?"))
    criterion = viewer.get(tile)
    assert criterion.status_code == 200
    # Every failing resource of the criterion is listed there, each a link to its finding.
    expected = {f.finding_id for f in web_store.findings(3, criterion="CC6.1", status="fail", excepted=False).items}
    listed = {re.search(r"/findings/([0-9a-f]+)", h).group(1) for h in links(criterion.text, r"/findings/")}
    assert listed == expected and len(expected) == 5
    # Click 2: one of them shows the resource, why it fails and how to fix it.
    detail = viewer.get(links(criterion.text, r"/findings/")[0])
    assert detail.status_code == 200
    assert "How to fix it" in detail.text and "AWS CLI" in detail.text and "Terraform" in detail.text


def test_partial_scan_is_stated_first(viewer: TestClient) -> None:
    main = viewer.get("/?scan=2").text.split("<main>")[1]
    first = re.sub(r"<[^>]+>", " ", main).split()
    assert first[0] == "PARTIAL"
    assert viewer.get("/").text.split("<main>")[1].lstrip().startswith('<div class="banner complete"')


def test_filters_and_pages(viewer: TestClient) -> None:
    filtered = viewer.get(f"/criteria/CC6.1?account={SANDBOX}&severity=&status=fail")
    assert [t for t in ("sbx-norotate", "prod-public") if t in filtered.text] == ["sbx-norotate"]
    paged = viewer.get("/criteria/CC6.1?per_page=2")
    assert "page 1 of 3" in paged.text
    nxt = links(paged.text, r"\?.*page=2")
    assert nxt and "per_page=2" in nxt[0]
    assert "page 2 of 3" in viewer.get("/criteria/CC6.1" + nxt[0].replace("&amp;", "&")).text


@pytest.mark.parametrize("page", ["/resources?severity=bogus", "/resources?page=abc", "/resources?per_page=9999",
                                  "/?scan=-1", "/diff?show=everything", "/resources?q=" + "x" * 300])
def test_bad_parameters_are_a_400_page(viewer: TestClient, page: str) -> None:
    response = viewer.get(page)
    assert response.status_code == 400 and "Bad request" in response.text


@pytest.mark.parametrize("page", ["/criteria/NOPE", "/controls/nope.nope", "/findings/abc", "/?scan=99"])
def test_unknown_things_are_a_404_page(viewer: TestClient, page: str) -> None:
    response = viewer.get(page)
    assert response.status_code == 404 and "Not found" in response.text


def test_an_empty_store_says_how_to_fill_it(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'empty.db'}", key_path=tmp_path / "key")
    add_user(store.engine, "viewer", Role.VIEWER, "viewer-pass-001")
    client = sign_in(TestClient(create_app(store=store)), "viewer")
    for page in ("/", "/resources", "/history", "/diff", "/exceptions", "/coverage", "/scans"):
        response = client.get(page)
        assert response.status_code in (200, 404), page
    assert "No scan stored yet" in client.get("/").text
    assert "assay demo" in client.get("/").text
    assert "a diff needs two complete scans" in client.get("/diff").text
    store.close()


def test_static_assets_are_local(anon: TestClient) -> None:
    css = anon.get("/static/assay.css")
    js = anon.get("/static/assay.js")
    assert css.status_code == js.status_code == 200
    assert "http" not in css.text and "http" not in js.text
    page = anon.get("/login").text
    assert not re.search(r"""(src|href)=["']https?:""", page)


@pytest.mark.parametrize("html", [
    '<script src="/static/assay.js"></script><script>alert(1)</script>',
    '<script src="/static/assay.js"></script><img src=x onerror="alert(1)">',
    '<script src="/static/assay.js"></script><a href=" JavaScript:alert(1)">x</a>',
    '<script src="/static/assay.js"></script><p style="color:red">x</p>',
])
def test_the_inertness_check_catches_live_content(html: str) -> None:
    with pytest.raises(AssertionError):
        assert_inert(html, "sample")


def test_a_scan_mapped_to_another_framework(own_store: Any) -> None:
    controls = {cid: c for cid, c in load_controls().items() if cid in CONTROLS}
    cis = own_store.ingest(evaluate(inventory(3, datetime.now(UTC).replace(microsecond=0)), controls=controls,
                                    framework=load("cis-aws-3.0")))
    client = sign_in(TestClient(create_app(store=own_store)), "viewer")
    overview = client.get("/")
    assert "CIS Amazon Web Services Foundations Benchmark v3.0.0" in overview.text
    assert f"/criteria/3.6?scan={cis.id}" in overview.text
    criterion = client.get(f"/criteria/3.6?scan={cis.id}")
    assert criterion.status_code == 200 and "prod-new-norotate" in criterion.text
    control = client.get("/api/controls/kms.key_rotation_enabled").json()
    assert control["control"]["criteria"] == ["3.6"]
