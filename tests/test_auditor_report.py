"""The auditor report (`assay report auditor`), HTML and PDF, built from a store of hand-made scans.

The store holds four scans of one account's KMS keys (2024-05-01 .. 05-07):
  #1 k-fail fails rotation, k-public has a public policy;
  #2 k-public fixed; a key with a hostile name fails rotation;
  #3 PARTIAL four days later (eu-west-1 denied): failures there are carried forward;
  #4 complete, evaluated with an exceptions file covering k-fail (EX-rot); k-public2 is public again.
CC1.4 is attested, CC1.5 is attested but expired on the report date (2024-05-08).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib  # type: ignore[import-untyped, unused-ignore]
import pytest
from pypdf import PdfReader

from assay.auditor import Options, write_report
from assay.auditor.snapshot_head import SnapshotUnreadable, read_head
from assay.auditor.write import format_for
from assay.controls.registry import load_controls
from assay.engine import Evaluation, evaluate
from assay.errors import ConfigError, UsageError
from assay.exceptions import load as load_exceptions
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
from assay.store import Store, open_store

ACCOUNT = "123456789012"
NS = "{http://www.w3.org/1999/xhtml}"
KMS = ("kms.key_rotation_enabled", "kms.key_policy_not_public", "kms.key_not_pending_deletion")
PUBLIC = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}
HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
NOW = datetime(2024, 5, 8, 9, 0, tzinfo=UTC)
ATTESTER = "Dana <b>Reyes</b>"


def key(key_id: str, region: str = "us-east-1", name: str = "", **over: Any) -> KmsKey:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:kms:{region}:{ACCOUNT}:key/{key_id}", id=key_id, account_id=ACCOUNT, region=region,
        name=name or key_id, manager="CUSTOMER", state="Enabled", spec="SYMMETRIC_DEFAULT", rotation_enabled=True,
        policy={"Statement": []})
    return KmsKey(**{**base, **over})


def evaluation(keys: list[KmsKey], at: timedelta, *, denied_region: str | None = None,
               exceptions: Path | None = None) -> Evaluation:
    started = T0 + at
    regions = ("us-east-1", "eu-west-1")
    coverage = [Coverage(account_id=ACCOUNT, region=r, service="kms",
                         status=CoverageStatus.DENIED if r == denied_region else CoverageStatus.COMPLETE,
                         reason="kms:ListKeys denied" if r == denied_region else "") for r in regions]
    errors = [] if denied_region is None else [CollectionError(
        account_id=ACCOUNT, region=denied_region, service="kms", operation="kms:ListKeys", code="AccessDenied",
        kind=ErrorKind.DENIED, message="not authorized")]
    resources = [k for k in keys if k.region != denied_region]
    inv = Inventory(ScanMeta(scan_id=f"scan-{started:%m%d}", tool_version="0.1.0", started_at=started,
                             finished_at=started + timedelta(minutes=3)),
                    [AccountInfo(account_id=ACCOUNT, caller_arn=f"arn:aws:sts::{ACCOUNT}:assumed-role/Audit/x")],
                    [RegionInfo(account_id=ACCOUNT, region=r, status=RegionStatus.SCANNED) for r in regions],
                    coverage, resources, errors)
    controls = {cid: c for cid, c in load_controls().items() if cid in KMS}
    entries = load_exceptions(exceptions).exceptions if exceptions else ()
    return evaluate(inv, controls=controls, exceptions=entries)


EXCEPTIONS_STORED = f"""exceptions:
  - id: EX-rot
    control: kms.key_rotation_enabled
    resource: "arn:aws:kms:us-east-1:{ACCOUNT}:key/k-fail"
    type: risk_accepted
    reason: "Legacy key, retired in June {HOSTILE}"
    owner: data-team@example.com
    approver: ciso@example.com
    expires: 2024-12-31
"""
EXCEPTIONS_FILE = EXCEPTIONS_STORED + f"""  - id: EX-pub
    control: kms.key_policy_not_public
    resource: "*"
    type: false_positive
    reason: Policy reviewed by the key owners.
    owner: data-team@example.com
    approver: ciso@example.com
    expires: 2024-04-30
  - id: EX-unused
    control: kms.key_not_pending_deletion
    resource: "arn:aws:kms:*:{ACCOUNT}:key/nothing-*"
    type: compensating_control
    reason: Deletion is reviewed weekly.
    owner: ops@example.com
    approver: ciso@example.com
    expires: 2024-09-30
"""


@dataclass(frozen=True)
class Built:
    url: str
    key_path: Path
    tmp: Path
    exceptions: Path
    hashes: list[str]

    def open(self) -> Store:
        return open_store(self.url, key_path=self.key_path)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("auditor")
    stored_file, report_file = tmp / "stored-exceptions.yaml", tmp / "exceptions.yaml"
    stored_file.write_text(EXCEPTIONS_STORED, encoding="utf-8")
    report_file.write_text(EXCEPTIONS_FILE, encoding="utf-8")
    url, key_path = f"sqlite:///{tmp / 'store.db'}", tmp / "signing-key.pem"
    fail, public = key("k-fail", rotation_enabled=False), key("k-public", policy=PUBLIC)
    hostile = key("k-hostile", name=HOSTILE, rotation_enabled=False)
    eu = key("k-eu", region="eu-west-1", rotation_enabled=False)
    scans = [
        evaluation([key("k-pass"), fail, public, eu], timedelta(0)),
        evaluation([key("k-pass"), fail, key("k-public"), hostile, eu], timedelta(days=1)),
        evaluation([key("k-pass"), fail, key("k-public"), hostile, eu], timedelta(days=5), denied_region="eu-west-1"),
        evaluation([key("k-pass"), fail, key("k-public"), key("k-public2", policy=PUBLIC), hostile, eu],
                   timedelta(days=6), exceptions=stored_file),
    ]
    with open_store(url, key_path=key_path) as store:
        hashes = [store.ingest(ev).hash for ev in scans]
        evidence = tmp / "training-records.csv"
        evidence.write_text("name,course,completed\nDana,security awareness,2024-04-02\n", encoding="utf-8")
        store.attest("CC1.4", ATTESTER, evidence, date(2099, 12, 31), note="LMS export")
        store.attest("CC1.5", "Sam Lee", evidence, date(2024, 5, 3), today=date(2024, 5, 1))
    return Built(url=url, key_path=key_path, tmp=tmp, exceptions=report_file, hashes=hashes)


def report(built: Built, name: str, **options: Any) -> Path:
    out = built.tmp / name
    opts = Options(now=NOW, **options)
    with built.open() as store:
        write_report(store, opts, out)
    return out


def parse(path: Path) -> Element:
    doc: Element = html5lib.parse(path.read_text(encoding="utf-8"), treebuilder="etree")
    return doc


def by_id(doc: Element, ident: str) -> Element:
    found = [e for e in doc.iter() if e.get("id") == ident]
    assert len(found) == 1, f"expected one element with id {ident!r}, found {len(found)}"
    return found[0]


def text(e: Element) -> str:
    return " ".join("".join(e.itertext()).split())


@pytest.fixture(scope="module")
def html_report(built: Built) -> Element:
    return parse(report(built, "report.html", exceptions=built.exceptions))


# -- HTML -------------------------------------------------------------------------------------

def test_every_section_is_present(html_report: Element) -> None:
    for ident in ("cover", "summary", "criteria", "manual", "inherited", "exceptions", "coverage", "type2",
                  "evidence"):
        assert text(by_id(html_report, ident)), ident
    assert "Auditor report" in text(by_id(html_report, "cover"))


def test_the_reported_scan_is_the_latest_complete_one(html_report: Element) -> None:
    cover = text(by_id(html_report, "cover"))
    assert "#4, started 2024-05-07 12:00 UTC" in cover
    assert "4 (3 complete, 1 partial)" in cover  # scans in the 90 days before the report


def test_failing_resources_are_listed_with_their_state(html_report: Element) -> None:
    cc61 = text(by_id(html_report, "crit-CC6.1"))
    assert "CC6.1" in cc61 and "Fail" in cc61
    assert "k-public2" in cc61 and "k-eu" in cc61  # failing in scan #4
    assert "Excepted k-fail (123456789012 us-east-1, EX-rot until 2024-12-31)" in cc61  # excepted, never hidden
    assert "Exception EX-pub expired on 2024-04-30: fails again" in cc61
    assert "k-pass" not in cc61  # passing resources are counted, not listed


def test_attestations_show_by_whom_until_when_and_the_evidence_digest(built: Built, html_report: Element) -> None:
    digest = hashlib.sha256((built.tmp / "training-records.csv").read_bytes()).hexdigest()
    attested = text(by_id(html_report, "man-CC1.4"))
    assert ATTESTER in attested and "2099-12-31" in attested and digest in attested and "Attested" in attested
    assert "Expired" in text(by_id(html_report, "man-CC1.5"))
    assert "Missing" in text(by_id(html_report, "man-CC1.1")) and "No attestation recorded" in text(
        by_id(html_report, "man-CC1.1"))
    assert not [e for e in html_report.iter(f"{NS}b") if "Reyes" in text(e)]  # the name is text, not markup


def test_inherited_criteria_are_listed(html_report: Element) -> None:
    assert "CC6.4" in text(by_id(html_report, "inherited"))


def test_exceptions_register(built: Built, html_report: Element) -> None:
    rot, pub, unused = (text(by_id(html_report, f"exc-{x}")) for x in ("EX-rot", "EX-pub", "EX-unused"))
    assert "risk accepted" in rot and "2024-12-31" in rot and "ciso@example.com" in rot and "Active" in rot
    assert HOSTILE in rot
    assert "Expired" in pub and "2024-04-30" in pub and "1 failing again" in pub
    assert "Unused" in unused
    section = text(by_id(html_report, "exceptions"))
    assert hashlib.sha256(built.exceptions.read_bytes()).hexdigest() in section
    assert "approved by its own owner" not in section


def test_without_the_file_the_stored_exceptions_are_listed(built: Built) -> None:
    doc = parse(report(built, "stored.html"))
    section = text(by_id(doc, "exceptions"))
    assert "EX-rot" in section and "EX-pub" not in section and "EX-unused" not in section
    assert "pass the exceptions file" in section


def test_no_script_or_markup_from_data(built: Built, html_report: Element) -> None:
    raw = (built.tmp / "report.html").read_text(encoding="utf-8")
    assert not list(html_report.iter(f"{NS}script")) and not list(html_report.iter(f"{NS}img"))
    assert not [(e.tag, k) for e in html_report.iter() for k in e.attrib if k.lower().startswith("on")]
    assert "<script>" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert HOSTILE in text(by_id(html_report, "crit-CC6.1"))  # shown as text, where it belongs
    csp = next(e.get("content") for e in html_report.iter(f"{NS}meta") if e.get("http-equiv"))
    assert "default-src 'none'" in str(csp) and "script-src 'none'" in str(csp)


def test_coverage_and_type2(html_report: Element) -> None:
    coverage = text(by_id(html_report, "coverage"))
    assert "Scan #4 is complete" in coverage and "eu-west-1" in coverage
    t2 = text(by_id(html_report, "type2"))
    assert "2 stretches longer than 2 d" in t2  # the window's start -> #1, and 05-02 -> 05-06
    assert "scan #2 and scan #3" in t2
    assert "1 fixed" in t2  # k-public failed in #1, passed in #2
    evidence = text(by_id(html_report, "evidence"))
    assert "verified" in evidence and "FAILED" not in evidence


def test_a_partial_scan_says_so_first(built: Built) -> None:
    doc = parse(report(built, "partial.html", scan_id=3))
    cover = by_id(doc, "cover")
    alerts = [e for e in cover.iter() if "alert" in (e.get("class") or "")]
    assert alerts and "PARTIAL" in text(alerts[0])
    coverage = by_id(doc, "coverage")
    first = next(e for e in coverage if e.tag != f"{NS}h2")
    assert "PARTIAL" in text(first) and "coverage 50" in text(first)
    assert "denied" in text(coverage).lower()
    assert "Carried forward from scan #2" in text(by_id(doc, "crit-CC6.1"))  # k-eu: not collected, still failing


def test_with_no_complete_scan_the_latest_partial_one_is_reported_as_such(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'partial.db'}", key_path=tmp_path / "k.pem") as store:
        store.ingest(evaluation([key("k-eu", region="eu-west-1")], timedelta(days=2), denied_region="eu-west-1"))
        out = tmp_path / "only-partial.html"
        write_report(store, Options(now=NOW), out)
    cover = text(by_id(parse(out), "cover"))
    assert "The reported scan is PARTIAL: coverage 50.0%" in cover
    assert "holds no complete scan" in cover and "#1" in cover


def test_an_altered_scan_is_flagged_in_the_evidence_index(built: Built, tmp_path: Path) -> None:
    import shutil

    import sqlalchemy as sa

    copy = tmp_path / "store.db"
    shutil.copy(built.tmp / "store.db", copy)
    with open_store(f"sqlite:///{copy}", key_path=built.key_path) as store:
        with store.write() as s:
            s.execute(sa.text("UPDATE findings SET status = 'pass' WHERE scan_id = 2 AND status = 'fail'"))
        out = tmp_path / "altered.html"
        write_report(store, Options(now=NOW), out)
    doc = parse(out)
    assert "Evidence integrity check FAILED" in text(by_id(doc, "cover"))
    assert "FAILED" in text(by_id(doc, "evidence"))


# -- PDF --------------------------------------------------------------------------------------

def test_pdf_text(built: Built) -> None:
    out = report(built, "report.pdf", exceptions=built.exceptions)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    pages = [p.extract_text() or "" for p in reader.pages]
    whole = "\n".join(pages)
    assert len(pages) >= 5
    for needle in ("Auditor report", "Executive summary", "CC6.1", "CC1.4", "Type II", "Evidence index",
                   "Reyes", "EX-rot", "2024-12-31"):
        assert needle in whole, needle
    flat = re.sub(r"\s+", "", whole)
    assert built.hashes[3] in flat and built.hashes[0] in flat  # the evidence index lists every scan's hash


def test_the_pdf_renderer_loads_nothing_from_outside(caplog: pytest.LogCaptureFixture) -> None:
    from assay.auditor.render import render_pdf

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf('<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
                         '<body><p>x</p><img src="file:///etc/hostname"></body></html>')
    assert pdf.startswith(b"%PDF-")
    refused = [r.getMessage() for r in caplog.records if "external resources are not loaded" in r.getMessage()]
    assert len(refused) == 2, [r.getMessage() for r in caplog.records]


# -- errors -----------------------------------------------------------------------------------

def test_format_from_the_name_or_the_option(tmp_path: Path) -> None:
    assert format_for(tmp_path / "r.PDF", None) == "pdf"
    assert format_for(tmp_path / "r.htm", None) == "html"
    assert format_for(tmp_path / "r.txt", "html") == "html"
    with pytest.raises(UsageError, match="cannot tell the format"):
        format_for(tmp_path / "r.txt", None)
    with pytest.raises(UsageError, match="html or pdf"):
        format_for(tmp_path / "r.pdf", "docx")


def test_bad_requests_are_one_clear_error(built: Built, tmp_path: Path) -> None:
    with built.open() as store:
        with pytest.raises(UsageError, match="no scan #99"):
            write_report(store, Options(scan_id=99, now=NOW), tmp_path / "x.html")
        with pytest.raises(UsageError, match="window is empty"):
            write_report(store, Options(start=NOW, end=NOW - timedelta(days=1), now=NOW), tmp_path / "x.html")
        bad = tmp_path / "bad.yaml"
        bad.write_text("exceptions:\n  - control: kms.nope\n    resource: '*'\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=r"bad\.yaml"):
            write_report(store, Options(exceptions=bad, now=NOW), tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()
    with open_store(f"sqlite:///{tmp_path / 'empty.db'}", key_path=tmp_path / "k.pem") as empty, \
            pytest.raises(UsageError, match="holds no scan"):
        write_report(empty, Options(now=NOW), tmp_path / "x.html")


def test_snapshot_head_reads_only_what_it_needs(built: Built) -> None:
    with built.open() as store:
        raw = store.snapshot(4)
    assert raw is not None
    head = read_head(raw)
    assert [c.region for c in head.coverage] == ["eu-west-1", "us-east-1"] and head.meta.scan_id == "scan-0507"
    with pytest.raises(SnapshotUnreadable, match="unreadable"):
        read_head(raw[:20])
    # A document laid out differently (no resources after the errors) is parsed whole.
    whole = gzip.compress(json.dumps({"meta": head.meta.model_dump(mode="json"), "coverage": []}).encode())
    assert read_head(whole).coverage == [] and read_head(whole).meta.scan_id == "scan-0507"
    with pytest.raises(SnapshotUnreadable, match="malformed"):
        read_head(gzip.compress(b'{"coverage": []}'))


def test_cli(built: Built, tmp_path: Path) -> None:
    env_db = ["--db", built.url]
    ok = subprocess.run([sys.executable, "-m", "assay", "report", "auditor", *env_db, "--scan", "2",
                         "--from", "2024-04-01", "--to", "2024-05-08", "-o", str(tmp_path / "r.html")],
                        capture_output=True, text=True, timeout=120,
                        env={**os.environ, "ASSAY_SIGNING_KEY": str(built.key_path)})
    assert ok.returncode == 0, ok.stderr
    assert "Wrote the auditor report (html" in ok.stderr
    assert "#2, started 2024-05-02" in text(by_id(parse(tmp_path / "r.html"), "cover"))
    bad = subprocess.run([sys.executable, "-m", "assay", "report", "auditor", *env_db, "-o",
                          str(tmp_path / "r.txt")], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == [
        "assay: error: cannot tell the format from 'r.txt': name it .pdf or .html, or pass -f pdf|html"]
