"""CSV: one row per finding, safe to open in a spreadsheet.

The first column, scan_state, is `complete` or `partial` on every row; what could not be read is in
the ERROR rows, and one row per (account, region, service) is in the companion coverage file that
the command line writes next to the report (see reporters.coverage).

A failure covered by an active exception has status `excepted`; the exception_* columns give the
exception (exception_state `active` or `expired`: an expired one leaves the status `fail`, and
exception_note says "exception expired on DATE").
"""

from __future__ import annotations

import csv
from typing import TextIO

from assay.engine import Evaluation
from assay.exceptions import describe
from assay.models.findings import Finding
from assay.reporters import reporter
from assay.reporters.coverage import scan_state

COLUMNS = ["scan_state", "control_id", "title", "severity", "status", "account_id", "region", "resource_type",
           "resource_id", "resource_name", "resource_arn", "message", "criteria", "finding_id",
           "exception_state", "exception_id", "exception_type", "exception_reason", "exception_owner",
           "exception_approver", "exception_expires", "exception_note"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# RFC 4180's CRLF. It also makes the writer quote a value holding a bare carriage return: with "\n"
# alone it does not, and a spreadsheet then starts a new row there, whose first cell can be a formula.
LINE_END = "\r\n"


def neutralise(value: str) -> str:
    """Spreadsheets execute cells that start like a formula; a leading quote keeps them text.

    Quoting alone does not help: the cell content is what the spreadsheet evaluates. Any value can
    carry an attacker's string (resource names and tags are set by whoever can tag a resource).
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


@reporter("csv", extension="csv")
def write_csv(ev: Evaluation, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator=LINE_END)
    writer.writerow(COLUMNS)
    state = scan_state(ev)  # on every row, so the first screen of a partial scan already says "partial"
    for f in ev.findings:
        status = "excepted" if f.excepted else f.status.value
        row = [state, f.control_id, f.title, f.severity.value, status, f.account_id, f.region, f.resource_type,
               f.resource_id, f.resource_name, f.resource_arn, f.message, " ".join(f.criteria), f.id,
               *_exception_cells(f)]
        writer.writerow([neutralise(str(v)) for v in row])


def _exception_cells(f: Finding) -> list[str]:
    x = f.exception
    if x is None:
        return [""] * 8
    return ["expired" if x.expired else "active", x.id, x.type.value, x.reason, x.owner, x.approver,
            x.expires.isoformat(), describe(x)]
