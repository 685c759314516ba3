"""CSV: one row per finding, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from typing import TextIO

from assay.engine import Evaluation
from assay.reporters import reporter

COLUMNS = ["control_id", "title", "severity", "status", "account_id", "region", "resource_type",
           "resource_id", "resource_name", "resource_arn", "message", "criteria", "finding_id"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: str) -> str:
    """Spreadsheets execute cells that start like a formula; a leading quote keeps them text.

    Quoting alone does not help: the cell content is what the spreadsheet evaluates. Any value can
    carry an attacker's string (resource names and tags are set by whoever can tag a resource).
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


@reporter("csv", extension="csv")
def write_csv(ev: Evaluation, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in ev.findings:
        row = [f.control_id, f.title, f.severity.value, f.status.value, f.account_id, f.region, f.resource_type,
               f.resource_id, f.resource_name, f.resource_arn, f.message, " ".join(f.criteria), f.id]
        writer.writerow([neutralise(str(v)) for v in row])
