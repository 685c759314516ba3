"""Coverage as every format shows it: the state of each (account, region, service) and of the scan.

A scan is `partial` as soon as one planned shard was not read completely or one account could not be
entered; regions that are not enabled have nothing to read and do not make a scan partial. Formats
with one record per finding (CSV, OCSF, ASFF) carry the scan's state on every record and represent
what could not be read by its ERROR findings; the CSV report also has a companion file with one row
per shard (`report.coverage.csv` next to `report.csv`).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import TextIO

from assay.engine import Evaluation
from assay.models.inventory import Coverage, CoverageStatus, RegionInfo
from assay.reporters import Reporter

COVERAGE_COLUMNS = ["scan_state", "account_id", "region", "service", "status", "resources", "errors", "api_calls",
                    "reason"]
SETTLED = (CoverageStatus.COMPLETE, CoverageStatus.NOT_ENABLED)


def scan_state(ev: Evaluation) -> str:
    return "complete" if ev.inventory.complete else "partial"


def scan_fields(ev: Evaluation) -> dict[str, object]:
    """The scan's state for per-finding formats: {"state": "partial", "coverage_percent": 87.5}."""
    planned = [c for c in ev.inventory.coverage if c.status is not CoverageStatus.NOT_ENABLED]
    done = sum(1 for c in planned if c.status is CoverageStatus.COMPLETE)
    percent = round(100.0 * done / len(planned), 1) if planned else 100.0
    return {"state": scan_state(ev), "coverage_percent": percent}


def incomplete(ev: Evaluation) -> list[Coverage]:
    """Shards that were planned and not read completely, in (account, region, service) order."""
    return [c for c in ev.inventory.coverage if c.status not in SETTLED]


def unreadable_regions(ev: Evaluation) -> list[RegionInfo]:
    """Regions the scan attempted where nothing could be read (unreachable, SCP-denied, disabled)."""
    return sorted((r for r in ev.inventory.regions if r.failure is not None), key=lambda r: (r.account_id, r.region))


def region_line(r: RegionInfo) -> str:
    state = r.failure.value if r.failure else ""
    return f"{r.region} in {r.account_id}: {state}" + (f" ({r.reason})" if r.reason else "")


def status_counts(ev: Evaluation) -> dict[str, int]:
    """Shards per coverage status, every status named (zero included), in a fixed order."""
    counts = Counter(c.status.value for c in ev.inventory.coverage)
    return {s.value: counts.get(s.value, 0) for s in CoverageStatus}


def summary_line(ev: Evaluation) -> str:
    counts = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in status_counts(ev).items() if n)
    return f"Coverage by account x region x service: {counts or 'nothing planned'}."


def write_coverage_csv(ev: Evaluation, out: TextIO) -> None:
    from assay.reporters.csv import LINE_END, neutralise

    writer = csv.writer(out, lineterminator=LINE_END)
    writer.writerow(COVERAGE_COLUMNS)
    state = scan_state(ev)
    for c in ev.inventory.coverage:
        row = [state, c.account_id, c.region, c.service, c.status.value, c.resources, c.errors, c.api_calls, c.reason]
        writer.writerow([neutralise(str(v)) for v in row])
    for a in ev.inventory.accounts:
        if a.status != "scanned":  # an account that could not be entered has no shards: say so here
            writer.writerow([neutralise(str(v)) for v in (state, a.account_id, "", "", a.status, 0, 0, 0, a.reason)])


def write_report(ev: Evaluation, rep: Reporter, output: Path) -> list[Path]:
    """Write a report file atomically and owner-only; a CSV report gets its coverage file next to it.

    Returns the paths written.
    """
    from assay.atomic import atomic_write

    with atomic_write(output) as fh:
        rep.write(ev, fh)
    if rep.name != "csv":
        return [output]
    companion = companion_path(output)
    with atomic_write(companion) as fh:
        write_coverage_csv(ev, fh)
    return [output, companion]


def companion_path(report: Path) -> Path:
    """report.csv -> report.coverage.csv (next to it)."""
    stem = report.name[: -len(".csv")] if report.name.endswith(".csv") else report.name
    return report.with_name(f"{stem}.coverage.csv")
