"""The library API, as an embedding tool would use it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import assay
from assay.api import collect
from assay.errors import SnapshotError, UsageError


def test_scan_evaluate_and_report(endpoint: str, seed: Any, tmp_path: Path) -> None:
    seed("kms").create_key()
    inv = collect(regions=["us-east-1"], services=["kms"], endpoint_url=endpoint)
    assert isinstance(inv, assay.Inventory) and inv.complete
    result = assay.evaluate(inv)
    rotation = [f for f in result.findings if f.control_id == "kms.key_rotation_enabled"]
    assert [f.status for f in rotation] == [assay.Status.FAIL]
    snap = tmp_path / "s.json.gz"
    inv.save(snap)
    again = assay.evaluate(str(snap))
    assert [f.model_dump() for f in again.findings] == [f.model_dump() for f in result.findings]
    assay.write_report(result, "sarif", tmp_path / "r.sarif")
    assert '"version": "2.1.0"' in (tmp_path / "r.sarif").read_text()
    direct = assay.scan(regions=["us-east-1"], services=["kms"], endpoint_url=endpoint)
    assert {f.id for f in direct.findings} == {f.id for f in result.findings}


def test_errors_are_assay_errors(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError):
        assay.evaluate(tmp_path / "missing.json.gz")
    with pytest.raises(UsageError):
        assay.evaluate(tmp_path / "missing.json.gz", framework="nope")


def test_documented_result_types(tmp_path: Path) -> None:
    """What docs/library.md promises about Evaluation, Finding, CriterionResult, Status and Severity."""
    from tests.reporters.test_html import estate, inventory

    result = assay.evaluate(inventory(estate()))
    assert isinstance(result, assay.Evaluation) and result.complete
    assert sum(result.counts().values()) == len(result.findings)
    f = next(f for f in result.findings if f.control_id == "kms.key_rotation_enabled" and f.status is assay.Status.FAIL)
    assert isinstance(f, assay.Finding) and f.severity is assay.Severity.MEDIUM and not f.excepted
    assert f.model_dump(mode="json")["status"] == "fail" and len(f.id) == 24
    assert [s.rank for s in assay.Severity] == [4, 3, 2, 1, 0]
    assert all(isinstance(c, assay.CriterionResult) for c in result.criteria)
    cc61 = next(c for c in result.criteria if c.id == "CC6.1")
    assert cc61.status == "fail" and "kms.key_rotation_enabled" in cc61.controls and cc61.counts["fail"] >= 1
    assert {c.kind.value for c in result.criteria} == {"automated", "manual", "inherited"}
    assert result.findings == sorted(result.findings, key=lambda x: (x.control_id, x.account_id, x.region,
                                                                     x.resource_arn, x.id))


def test_evaluate_restricted_to_criteria_or_controls() -> None:
    from tests.reporters.test_html import estate, inventory

    inv = inventory(estate())
    by_string = assay.evaluate(inv, only_controls="kms.key_rotation_enabled,kms.key_policy_not_public")
    by_list = assay.evaluate(inv, only_controls=["kms.key_rotation_enabled", "kms.key_policy_not_public"])
    assert {f.control_id for f in by_string.findings} == {"kms.key_rotation_enabled", "kms.key_policy_not_public"}
    assert [f.id for f in by_string.findings] == [f.id for f in by_list.findings]
    criteria = assay.evaluate(inv, only_criteria="CC6.1")
    assert [c.id for c in criteria.criteria] == ["CC6.1"]
    with pytest.raises(UsageError, match=r"CC0\.0"):
        assay.evaluate(inv, only_criteria=["CC0.0"])


def test_restricted_scan_collects_only_what_its_controls_read(endpoint: str, seed: Any) -> None:
    seed("kms").create_key()
    result = assay.scan(regions=["us-east-1"], endpoint_url=endpoint, only_controls="kms.key_rotation_enabled")
    assert {c.service for c in result.inventory.coverage} == {"kms"}
    assert [f.status for f in result.findings] == [assay.Status.FAIL]


def test_reports_to_streams_and_custom_reporters(tmp_path: Path) -> None:
    import io

    from assay.reporters import get, reporter
    from tests.reporters.test_html import estate, inventory

    result = assay.evaluate(inventory(estate()))
    for fmt in ("json", "csv", "ocsf", "asff", "sarif", "junit", "markdown", "html", "console"):
        assay.write_report(result, fmt, tmp_path / f"r.{fmt}")
        assert (tmp_path / f"r.{fmt}").stat().st_size > 0

    @reporter("ticket-test", extension="txt")
    def write_ticket(ev: assay.Evaluation, out: Any) -> None:
        for f in ev.findings:
            if f.status is assay.Status.FAIL:
                out.write(f"{f.severity}: {f.title}\n")

    stream = io.StringIO()
    get("ticket-test").write(result, stream)
    assert stream.getvalue().count("\n") == sum(1 for f in result.findings if f.status is assay.Status.FAIL)
