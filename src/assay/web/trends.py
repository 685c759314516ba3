"""Scan history, trend charts and diffs between scans (memoised: stored scans never change)."""

from __future__ import annotations

from assay.errors import UsageError
from assay.frameworks import Framework
from assay.store.diff import pick_pair
from assay.store.records import ScanDiff, ScanSummary
from assay.web.charts import Chart, trend
from assay.web.context import Dashboard
from assay.web.queries import require_scan


def history(dash: Dashboard, limit: int) -> list[ScanSummary]:
    """Newest first. Memoised until the next scan is stored."""
    latest = dash.store.latest(complete_only=False)
    key = ("history", latest.id if latest else 0, limit)
    summaries: list[ScanSummary] = dash.memo.get(key, lambda: dash.store.history(limit=limit))
    return summaries


def diff(dash: Dashboard, old: int | None, new: int | None) -> ScanDiff:
    for scan_id in (old, new):
        if scan_id is not None:
            require_scan(dash, scan_id)
    if old is not None and new is not None and old == new:
        raise UsageError(f"both scans are #{old}; pick two different scans")
    with dash.store.read() as s:
        old_row, new_row = pick_pair(s, old, new)  # the defaults: the last two complete scans
        pair = (old_row.id, new_row.id)
    result: ScanDiff = dash.memo.get(("diff", *pair), lambda: dash.store.diff(*pair))
    return result


def _labels(summaries: list[ScanSummary]) -> list[str]:
    return [f"#{s.scan.id} {s.scan.started_at:%m-%d}" for s in summaries]


def category_chart(framework: Framework, summaries: list[ScanSummary]) -> Chart:
    """Pass rate per Trust Services Category, oldest scan first."""
    ordered = list(reversed(summaries))
    series = []
    for cat_id, name in framework.categories.items():
        values = [s.categories[cat_id].pass_rate if cat_id in s.categories else None for s in ordered]
        if any(v is not None for v in values):
            series.append((name, values))
    return trend(_labels(ordered), series, [not s.scan.complete for s in ordered])


def criterion_chart(summaries: list[ScanSummary], criterion_ids: list[str]) -> Chart:
    """Pass rate of some criteria (share of their evaluated findings passing), oldest scan first."""
    ordered = list(reversed(summaries))
    series = [(cid, [s.criteria[cid].pass_rate if cid in s.criteria else None for s in ordered])
              for cid in criterion_ids]
    return trend(_labels(ordered), series, [not s.scan.complete for s in ordered])
