"""CSV report and its coverage file (S-9, T13): no cell a spreadsheet would run as a formula.

Resource names, ids, tags and error messages come from whoever can name or tag a resource; every cell
that starts like a formula (= + - @ tab carriage-return newline) is written as text with a leading
quote, in the findings file and in the coverage file alike.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from assay.engine import evaluate
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
from assay.reporters.coverage import write_coverage_csv
from assay.reporters.csv import neutralise

ACCOUNT = "123456789012"
FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "\n=1", "=HYPERLINK(\"x\")"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def test_a_carriage_return_cannot_start_a_new_row() -> None:
    """A bare CR inside a value must be quoted, or a spreadsheet starts a row there ("=1+1" first)."""
    out = io.StringIO()
    get("csv").write(evaluate(inventory(partial=False)), out)
    rows = cells(out.getvalue())
    assert len({len(row) for row in rows}) == 1, "a value broke a row in two"



def inventory(partial: bool) -> Inventory:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    keys = [KmsKey(arn=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k{n}", id=payload, name=payload,
                   tags={"owner": payload}, account_id=ACCOUNT, region="us-east-1", manager="CUSTOMER",
                   state="Enabled", spec="SYMMETRIC_DEFAULT", rotation_enabled=bool(n % 2), policy={})
            for n, payload in enumerate(FORMULAS)]
    errors = [CollectionError(account_id=ACCOUNT, region="eu-west-1", service="kms", operation="kms:ListKeys",
                              code="=1+1", kind=ErrorKind.DENIED, message="@evil")] if partial else []
    coverage = [Coverage(account_id=ACCOUNT, region="us-east-1", service="kms", status=CoverageStatus.COMPLETE)]
    if partial:
        coverage.append(Coverage(account_id=ACCOUNT, region="eu-west-1", service="kms",
                                 status=CoverageStatus.DENIED, reason="=HYPERLINK(\"http://x\")"))
    return Inventory(ScanMeta(scan_id="s", tool_version="t", started_at=now, finished_at=now),
                     [AccountInfo(account_id=ACCOUNT)],
                     [RegionInfo(account_id=ACCOUNT, region=r, status=RegionStatus.SCANNED)
                      for r in ("us-east-1", "eu-west-1")], coverage, keys, errors)


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"formula cell: {cell!r}"


@pytest.mark.parametrize("partial", [False, True])
def test_findings_csv_has_no_formula_cell(partial: bool) -> None:
    out = io.StringIO()
    get("csv").write(evaluate(inventory(partial)), out)
    rows = cells(out.getvalue())
    assert_no_formula(rows)
    shown = {cell for row in rows for cell in row}
    for payload in FORMULAS:  # the value is kept, as text
        assert "'" + payload in shown


def test_coverage_csv_has_no_formula_cell() -> None:
    out = io.StringIO()
    write_coverage_csv(evaluate(inventory(partial=True)), out)
    rows = cells(out.getvalue())
    assert_no_formula(rows)
    assert "'=HYPERLINK(\"http://x\")" in {row[-1] for row in rows}


def test_neutralise_leaves_ordinary_text() -> None:
    assert neutralise("alias/app") == "alias/app"
    assert neutralise("") == ""
    assert neutralise("=1") == "'=1"
