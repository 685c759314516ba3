"""Coverage in every report format (R-2, R-12).

One scan meets every coverage state: complete, denied (kms in eu-west-1), throttled (logs, still
throttled after every retry), error (sns in eu-west-1 answers InternalFailure) and not enabled (an
opt-in region). Every format says PARTIAL on its first screen; the formats with a place for it list
each account x region x service with its state (CSV in its companion coverage file); the per-finding
formats (CSV, OCSF, ASFF) carry the scan's state on every record and show what could not be read as
ERROR findings; a criterion that would pass on what was read, but misses data, is never compliant.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib  # type: ignore[import-untyped, unused-ignore]
import pytest

from assay.api import write_report
from assay.collect.runner import RequeuePolicy, collect
from assay.collect.session import AwsAccess
from assay.engine import Evaluation, evaluate
from assay.faults import Throttle, deny
from assay.frameworks import Criterion, CriterionKind, Framework
from assay.reporters import BUILTIN, get

REGIONS = ["us-east-1", "eu-west-1", "ap-east-1"]  # ap-east-1 is an opt-in region moto reports not enabled
SERVICES = ["kms", "logs", "s3", "sns"]
STATES = {"complete", "denied", "throttled", "error", "not_enabled"}
ROTATION = "CC6.1"  # would pass on what was read: every key read has rotation on


def framework() -> Framework:
    return Framework(
        id="soc2", name="SOC 2 test framework", categories={"security": "Security (Common Criteria)"},
        criteria=(
            Criterion(id=ROTATION, title="Keys are rotated", category="security", kind=CriterionKind.AUTOMATED,
                      rationale="Keys are rotated.", controls=("kms.key_rotation_enabled",)),
            Criterion(id="CC6.6", title="Buckets are private", category="security", kind=CriterionKind.AUTOMATED,
                      rationale="Buckets are private.", controls=("s3.bucket_not_public",)),
        ),
    )


def seed_estate(seed: Any) -> None:
    for region in REGIONS[:2]:
        kms = seed("kms", region)
        kms.enable_key_rotation(KeyId=kms.create_key()["KeyMetadata"]["KeyId"])
        seed("logs", region).create_log_group(logGroupName="app")
        seed("sns", region).create_topic(Name="alerts")
    seed("s3").create_bucket(Bucket="private-data")


def scan(access: AwsAccess, faults: bool) -> Evaluation:
    if faults:
        access.hooks.append(("before-call", deny({"kms:ListKeys"}, code="AccessDeniedException",
                                                 regions={"eu-west-1"})))
        access.hooks.append(("before-call", deny({"sns:ListTopics"}, code="InternalFailure", status=500,
                                                 message="We encountered an internal error", regions={"eu-west-1"})))
        access.hooks.extend(Throttle(services={"logs"}, rate=1.0).hooks())
        access.max_attempts = 1
    inv = collect(access, regions=REGIONS, services=SERVICES, max_workers=4, retry=RequeuePolicy(attempts=0))
    return evaluate(inv, framework=framework())


@pytest.fixture()
def partial(access: AwsAccess, seed: Any) -> Evaluation:
    seed_estate(seed)
    ev = scan(access, faults=True)
    assert {c.status.value for c in ev.inventory.coverage} == STATES
    return ev


def rendered(ev: Evaluation) -> dict[str, str]:
    out = {}
    for fmt in BUILTIN:
        buf = io.StringIO()
        get(fmt).write(ev, buf)
        out[fmt] = buf.getvalue()
    return out


def first_lines(text: str, n: int = 3) -> str:
    return "\n".join(line for line in text.splitlines()[:n])


def test_the_criterion_passes_on_a_clean_scan(access: AwsAccess, seed: Any) -> None:
    """The baseline that makes the partial case meaningful: nothing missing, the criterion passes."""
    seed_estate(seed)
    ev = scan(access, faults=False)
    assert ev.complete
    assert {c.id: c.status for c in ev.criteria}[ROTATION] == "pass"
    for fmt, text in rendered(ev).items():
        assert "PARTIAL" not in text and '"partial"' not in text, fmt


def test_every_format_says_partial_first(partial: Evaluation) -> None:
    texts = rendered(partial)
    assert "PARTIAL" in first_lines(texts["console"], 1)
    assert "PARTIAL" in first_lines(texts["markdown"], 1)
    assert json.loads(texts["json"])["scan"]["state"] == "partial" and texts["json"].lstrip().startswith('{\n  "scan"')
    header = html_element(texts["html"], "header")
    assert "PARTIAL" in header and "COMPLETE" not in header
    rows = list(csv.reader(io.StringIO(texts["csv"])))
    assert rows[0][0] == "scan_state" and {r[0] for r in rows[1:]} == {"partial"}
    events = json.loads(texts["ocsf"])
    assert events and {e["unmapped"]["assay"]["scan"]["state"] for e in events} == {"partial"}
    asff = json.loads(texts["asff"])
    assert asff and {f["ProductFields"]["Assay/ScanState"] for f in asff} == {"partial"}
    run = json.loads(texts["sarif"])["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False and run["properties"]["state"] == "partial"
    root = ET.fromstring(texts["junit"])
    scan_case = next(c for c in root.iter("testcase") if c.get("name") == "scan is complete")
    error = scan_case.find("error")
    assert error is not None and "PARTIAL" in (error.get("message") or "")


def test_every_shard_state_is_listed(partial: Evaluation, tmp_path: Path) -> None:
    texts = rendered(partial)
    assert {c["status"] for c in json.loads(texts["json"])["coverage"]} == STATES
    assert {c["status"] for c in json.loads(texts["sarif"])["runs"][0]["properties"]["coverage"]} == STATES
    for fmt in ("console", "markdown"):
        text = texts[fmt]
        for state in ("DENIED", "THROTTLED", "ERROR"):
            assert re.search(rf"\b{state}\b", text), f"{fmt} does not show a {state} shard"
        assert "not enabled" in text and "complete" in text.lower(), fmt
    coverage_section = html_element(texts["html"], "section", id="coverage")
    for state in ("denied", "throttled", "error", "complete"):
        assert state in coverage_section
    assert "not enabled" in coverage_section or "not_enabled" in coverage_section
    junit_error = next(c for c in ET.fromstring(texts["junit"]).iter("testcase")
                       if c.get("name") == "scan is complete").find("error")
    assert junit_error is not None
    for state in ("denied", "throttled", "error"):
        assert f": {state}" in (junit_error.text or "")
    report = tmp_path / "report.csv"
    write_report(partial, "csv", report)
    with (tmp_path / "report.coverage.csv").open(newline="") as fh:
        shards = list(csv.DictReader(fh))
    assert {s["status"] for s in shards} == STATES and {s["scan_state"] for s in shards} == {"partial"}
    assert {(s["region"], s["service"]) for s in shards if s["status"] == "denied"} == {("eu-west-1", "kms")}


def test_a_criterion_missing_data_is_never_compliant(partial: Evaluation) -> None:
    assert {c.id: c.status for c in partial.criteria}[ROTATION] == "error"
    texts = rendered(partial)
    assert {c["id"]: c["status"] for c in json.loads(texts["json"])["criteria"]}[ROTATION] == "error"
    criteria = {d.get("id"): d.get("data-status") for d in html_elements(texts["html"], "details")
                if "criterion" in (d.get("class") or "")}
    assert criteria[f"criterion-{ROTATION}"] == "error"
    console_row = next(line for line in texts["console"].splitlines() if ROTATION in line)
    assert "ERROR" in console_row and "PASS" not in console_row
    assert re.search(rf"{re.escape(ROTATION)}.*ERROR", texts["markdown"])
    # Per-finding formats: the unread scope is an ERROR record, never a passing one.
    unread = [f for f in partial.findings if f.control_id == "kms.key_rotation_enabled" and f.region == "eu-west-1"]
    assert unread and {f.status.value for f in unread} == {"error"}
    ids = {f.id for f in unread}
    rows = [r for r in csv.DictReader(io.StringIO(texts["csv"])) if r["finding_id"] in ids]
    assert rows and {r["status"] for r in rows} == {"error"}
    ocsf = [e for e in json.loads(texts["ocsf"]) if e["finding_info"]["uid"] in ids]
    assert ocsf and {e["compliance"]["status"] for e in ocsf} == {"Unknown"}
    asff = [f for f in json.loads(texts["asff"]) if f["Id"] in ids]
    assert asff and all(f["Compliance"]["Status"] not in ("PASSED",) for f in asff)
    sarif = [r for r in json.loads(texts["sarif"])["runs"][0]["results"] if r["partialFingerprints"] and
             set(r["partialFingerprints"].values()) & ids]
    assert sarif and {r["kind"] for r in sarif} == {"open"}
    junit = [c for c in ET.fromstring(texts["junit"]).iter("testcase")
             if c.get("classname") == "kms.key_rotation_enabled" and "eu-west-1" in (c.get("name") or "")]
    assert junit and all(c.find("error") is not None for c in junit)


# -- HTML helpers ------------------------------------------------------------------------------------

NS = "{http://www.w3.org/1999/xhtml}"


def html_elements(page: str, tag: str) -> Iterator[Any]:
    return html5lib.parse(page).iter(f"{NS}{tag}")  # type: ignore[no-any-return]


def html_element(page: str, tag: str, **attrs: str) -> str:
    element = next(e for e in html_elements(page, tag) if all(e.get(k) == v for k, v in attrs.items()))
    return re.sub(r"\s+", " ", "".join(element.itertext()))
