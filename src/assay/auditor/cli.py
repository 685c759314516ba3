"""`assay report auditor`: the auditor report (HTML or PDF) from the scan store.

Nothing heavy is imported until the command runs: `assay --help` stays quick.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from assay.store_cli import DbOpt

report_app = typer.Typer(help="Reports built from the scan store.", no_args_is_help=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@report_app.command("auditor")
def auditor(
    output: Annotated[Path, typer.Option("--output", "-o", help="The report: report.pdf or report.html.")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="pdf or html (default: from the file name).")
                   ] = None,
    scan: Annotated[int | None, typer.Option("--scan", help="Scan number to report on (default: the latest "
                                             "complete scan; `assay history` lists them).")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Observation window start: YYYY-MM-DD (UTC) or an "
                                              "ISO time (default: 90 days before --to).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Window end: YYYY-MM-DD (the whole day) or an ISO time "
                                            "(default: now).")] = None,
    exceptions: Annotated[Path | None, typer.Option("--exceptions", help="The exceptions file in force: its entries "
                                                    "are applied and listed, unused ones too.")] = None,
    max_gap_days: Annotated[float, typer.Option("--max-gap-days", min=0.01, help="Flag stretches longer than this "
                                                "without a scan.")] = 2.0,
    db: DbOpt = None,
) -> None:
    """The auditor report: criteria, attestations, exceptions, coverage, Type II view and evidence index."""
    from sqlalchemy.exc import SQLAlchemyError

    from assay.auditor import Options, write_report
    from assay.auditor.write import format_for
    from assay.errors import ConfigError
    from assay.store import open_store
    from assay.store_cli import parse_when

    kind = format_for(output, fmt)  # a bad name or format fails before the store is opened
    opts = Options(scan_id=scan, start=parse_when(start, "--from") if start else None,
                   end=parse_when(end, "--to", end_of_day=True) if end else None, exceptions=exceptions,
                   max_gap=timedelta(days=max_gap_days))
    try:
        store = open_store(db)
    except SQLAlchemyError as exc:
        raise ConfigError(f"cannot open the store: {str(getattr(exc, 'orig', None) or exc).strip()}") from None
    try:
        kind, size = write_report(store, opts, output, kind)
    finally:
        store.close()
    err.print(f"Wrote the auditor report ({kind}, {size:,} bytes) to {output}", markup=False)
