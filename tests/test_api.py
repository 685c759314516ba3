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
