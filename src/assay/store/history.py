"""Scan history: per scan, the pass rate overall, per criterion and per Trust Services Category."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import sqlalchemy as sa

from assay.store.ingest import PASSING
from assay.store.records import CategoryRate, CriterionRate, ScanSummary, criterion_order
from assay.store.tables import CriterionTable

if TYPE_CHECKING:
    from assay.store.store import Store


def rate(passing: int, total: int) -> float | None:
    return round(100.0 * passing / total, 1) if total else None


def history(store: Store, limit: int = 20, offset: int = 0) -> list[ScanSummary]:
    scans = store.scans(limit=limit, offset=offset)
    by_scan: dict[int, list[CriterionTable]] = defaultdict(list)
    with store.read() as s:
        if scans:
            for row in s.execute(sa.select(CriterionTable).where(
                    CriterionTable.scan_id.in_([x.id for x in scans]))).scalars():
                by_scan[row.scan_id].append(row)
    out = []
    for scan in scans:
        criteria: dict[str, CriterionRate] = {}
        cats: dict[str, list[str]] = defaultdict(list)
        for c in sorted(by_scan[scan.id], key=lambda c: criterion_order(c.criterion_id)):
            n = c.counts
            # Excepted failures are accepted risks, not passes: they count against the rate.
            judged = n.get("pass", 0) + n.get("fail", 0) + n.get("error", 0) + n.get("excepted", 0)
            criteria[c.criterion_id] = CriterionRate(status=c.status, pass_rate=rate(n.get("pass", 0), judged))
            if c.kind == "automated":
                cats[c.category].append(c.status)
        categories = {}
        for cat, statuses in cats.items():
            evaluated = [st for st in statuses if st != "not_applicable"]
            passing = sum(1 for st in evaluated if st in PASSING)
            categories[cat] = CategoryRate(passing=passing, evaluated=len(evaluated),
                                           pass_rate=rate(passing, len(evaluated)))
        n = scan.counts
        judged = n.get("pass", 0) + n.get("fail", 0) + n.get("error", 0)
        out.append(ScanSummary(scan=scan, pass_rate=rate(n.get("pass", 0), judged), criteria=criteria,
                               categories=categories))
    return out
