"""--only-criteria / --only-controls: what is evaluated, what is reported, what is collected; the CI summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assay.errors import UsageError
from assay.frameworks import soc2
from assay.models.findings import Severity, Status
from assay.scope import select, split_ids
from assay.summary import gate, summary_lines
from tests.reporters.test_html import estate, inventory
from tests.test_cli import one_line_error, run

ROTATION = "kms.key_rotation_enabled"


def test_ids_split_on_commas_and_repeats() -> None:
    assert split_ids(["CC6.1,CC6.6", " CC7.2 ", "CC6.1", ",,"]) == ["CC6.1", "CC6.6", "CC7.2"]
    assert split_ids(None) == []


def test_no_option_is_the_whole_framework() -> None:
    scope = select(soc2())
    assert not scope.restricted and scope.describe() == ""
    assert scope.framework == soc2() and len(scope.controls) > 100


def test_only_criteria_evaluates_their_controls_and_reports_only_them() -> None:
    fw = soc2()
    scope = select(fw, criteria=["cc6.6,CC6.1"])
    assert [c.id for c in scope.framework.criteria] == ["CC6.1", "CC6.6"]  # the framework's order
    wanted = set(fw.criterion("CC6.1").controls) | set(fw.criterion("CC6.6").controls)  # type: ignore[union-attr]
    assert set(scope.controls) == wanted
    assert "restricted to CC6.1, CC6.6" in scope.framework.name
    assert scope.describe().startswith("criteria CC6.1, CC6.6;")
    ev = scope.evaluate(inventory(estate()))
    assert {c.id for c in ev.criteria} == {"CC6.1", "CC6.6"}
    assert {f.control_id for f in ev.findings} <= wanted
    assert all(set(f.criteria) <= {"CC6.1", "CC6.6"} for f in ev.findings)


def test_only_controls_reports_the_criteria_they_evidence_from_them_alone() -> None:
    scope = select(soc2(), controls=[ROTATION])
    assert list(scope.controls) == [ROTATION]
    assert scope.services() == ["kms"]
    expected = {c.id for c in soc2().criteria if ROTATION in c.controls}
    assert expected and {c.id for c in scope.framework.criteria} == expected
    assert all(c.controls == (ROTATION,) for c in scope.framework.criteria)
    ev = scope.evaluate(inventory(estate()))
    assert {f.control_id for f in ev.findings} == {ROTATION}
    assert {c.id: c.status for c in ev.criteria} == dict.fromkeys(expected, "fail")  # k-fail is not rotated


def test_both_options_intersect() -> None:
    scope = select(soc2(), criteria=["CC6.1"], controls=[ROTATION, "ec2.sg_no_public_ssh"])
    in_cc61 = set(soc2().criterion("CC6.1").controls)  # type: ignore[union-attr]
    assert set(scope.controls) == {ROTATION, "ec2.sg_no_public_ssh"} & in_cc61
    assert [c.id for c in scope.framework.criteria] == ["CC6.1"]


def test_unknown_ids_are_one_error_naming_them_all() -> None:
    with pytest.raises(UsageError) as exc:
        select(soc2(), criteria=["CC6.1,CC9.9"], controls=["kms.nope", ROTATION])
    text = str(exc.value)
    assert "unknown criterion CC9.9" in text and "unknown control kms.nope" in text
    assert "CC6.1" not in text and ROTATION not in text
    with pytest.raises(UsageError, match="no automated control"):
        select(soc2(), criteria=["CC1.1"])  # manual: nothing to evaluate


def test_parameters_of_unselected_controls_are_validated_then_dropped() -> None:
    scope = select(soc2(), controls=[ROTATION])
    assert scope.filter_params({"iam.unused_credentials_disabled": {"max_unused_days": 30}}) == {}
    from assay.errors import ConfigError

    with pytest.raises(ConfigError):
        scope.filter_params({"no.such_control": {"x": 1}})


# -- the summary on stderr --------------------------------------------------------------------------

def test_summary_names_failing_severities_top_controls_and_the_gate() -> None:
    ev = select(soc2(), controls=["kms.key_rotation_enabled", "kms.key_policy_not_public"]).evaluate(
        inventory(estate(), partial=True))
    tripped = summary_lines(ev, gate(ev, Severity.MEDIUM, strict=True), scope="controls x")
    text = "\n".join(tripped)
    assert tripped[0].startswith("Assay SOC 2") and "PARTIAL" in tripped[0]
    assert "Scope: controls x" in text
    assert "Incomplete: 1 read failed;" in text
    assert "Failing by severity: 1 critical, 0 high, 1 medium, 0 low, 0 info" in text
    top = text.split("Top failing controls:\n", 1)[1].splitlines()
    assert top[0].split()[:2] == ["critical", "kms.key_policy_not_public"]  # worst first
    assert "Gate --fail-on medium: TRIPPED, 2 failing findings at medium or above (exit 3)" in text
    assert tripped[-1] == "--strict: the scan is incomplete (exit 3)"

    passed = summary_lines(ev, gate(ev, None))
    assert passed[-1].startswith("Gate: none")
    clean = select(soc2(), controls=["kms.key_not_pending_deletion"]).evaluate(inventory(estate()))
    line = summary_lines(clean, gate(clean, Severity.LOW))[-1]
    assert line == "Gate --fail-on low: passed, no failing finding at low or above"
    assert len(tripped) <= 20  # one screen


# -- the command line ------------------------------------------------------------------------------

@pytest.fixture()
def snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "snap.json.gz"
    inventory(estate()).save(path)
    return path


def test_evaluate_only_controls_json_and_gate(snapshot: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = run("evaluate", str(snapshot), "--only-controls", ROTATION, "-f", "json", "-o", str(out),
               "--fail-on", "medium")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(out.read_text())
    assert {f["control_id"] for f in doc["findings"]} == {ROTATION}
    assert {c["id"] for c in doc["criteria"]} == {c.id for c in soc2().criteria if ROTATION in c.controls}
    assert "Gate --fail-on medium: TRIPPED, 1 failing finding at medium or above (exit 1)" in proc.stderr
    assert "Scope: controls kms.key_rotation_enabled; 1 control evaluated" in proc.stderr


def test_unknown_criterion_is_exit_2_with_one_line(snapshot: Path) -> None:
    proc = run("evaluate", str(snapshot), "--only-criteria", "CC6.1,CC99.1")
    assert proc.returncode == 2
    assert "unknown criterion CC99.1" in one_line_error(proc)


def test_scoped_scan_collects_only_the_services_its_controls_read(endpoint: str, seed: Any, tmp_path: Path) -> None:
    seed("kms").create_key()
    snap = tmp_path / "s.json.gz"
    proc = run("scan", "-r", "us-east-1", "--only-controls", ROTATION, "--snapshot", str(snap), "-f", "json",
               "-o", str(tmp_path / "r.json"), endpoint=endpoint)
    assert proc.returncode == 0, proc.stderr
    from assay.models.inventory import Inventory

    inv = Inventory.load(snap)
    assert {c.service for c in inv.coverage} == {"kms"}
    doc = json.loads((tmp_path / "r.json").read_text())
    assert [f["status"] for f in doc["findings"]] == [Status.FAIL.value]
