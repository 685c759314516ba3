"""Coverage of the reported scan: what was read, per account x region x service, and what was not.

A matrix (services down, account/region across) when it fits on a page; otherwise a summary per
account and region. Shards that were not read completely, accounts that could not be scanned and
collection errors are always listed first (capped), since they are what limits the evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from assay.auditor.snapshot_head import SnapshotHead

MAX_MATRIX_COLUMNS = 8
MAX_INCOMPLETE = 40
MAX_ERRORS = 30
ABBREVIATIONS = {"complete": "ok", "partial": "partial", "denied": "denied", "throttled": "throttled",
                 "error": "error", "timeout": "timeout", "not_enabled": "-"}


@dataclass(frozen=True)
class CoverageView:
    planned: int  # shards other than not-enabled regions
    complete: int
    percent: float
    columns: list[tuple[str, str]]  # (account, region)
    matrix: list[tuple[str, list[str | None]]] | None  # service -> status per column (None: not planned)
    summary: list[dict[str, Any]]  # per (account, region): shard counts by status
    incomplete: list[dict[str, Any]]
    incomplete_more: int
    not_enabled: list[tuple[str, list[str]]]  # region -> accounts
    failed_accounts: list[dict[str, str]]
    errors: list[str]
    errors_total: int


def build(head: SnapshotHead, coverage_percent: float) -> CoverageView:
    shards = head.coverage
    planned = [c for c in shards if c.status != "not_enabled"]
    columns = sorted({(c.account_id, c.region) for c in planned}, key=lambda k: (k[0], k[1] != "global", k[1]))
    matrix = None
    if len(columns) <= MAX_MATRIX_COLUMNS:
        cells: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
        for c in planned:
            cells[c.service][(c.account_id, c.region)] = c.status.value
        matrix = [(svc, [cells[svc].get(col) for col in columns]) for svc in sorted(cells)]
    per: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for c in planned:
        per[(c.account_id, c.region)][c.status.value] += 1
    summary = [{"account": a, "region": r, "shards": sum(n.values()), "complete": n.get("complete", 0),
                "other": ", ".join(f"{k} {v}" for k, v in sorted(n.items()) if k != "complete")}
               for (a, r), n in sorted(per.items())]
    incomplete = [{"account": c.account_id, "region": c.region, "service": c.service, "status": c.status.value,
                   "reason": c.reason, "errors": c.errors} for c in planned if c.status != "complete"]
    not_enabled: dict[str, list[str]] = defaultdict(list)
    for r in head.regions:
        if r.status != "scanned":
            not_enabled[r.region].append(r.account_id)
    failed = [{"account": a.account_id, "status": a.status, "reason": a.reason}
              for a in head.accounts if a.status != "scanned"]
    return CoverageView(
        planned=len(planned), complete=len(planned) - len(incomplete), percent=coverage_percent, columns=columns,
        matrix=matrix, summary=summary, incomplete=incomplete[:MAX_INCOMPLETE],
        incomplete_more=max(0, len(incomplete) - MAX_INCOMPLETE), not_enabled=sorted(not_enabled.items()),
        failed_accounts=failed, errors=[e.describe() for e in head.errors[:MAX_ERRORS]],
        errors_total=len(head.errors))
