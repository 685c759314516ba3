"""The Type II view: how each control and criterion operated over an observation window.

Per control and per automated criterion, over the scans that started in the window:
- pass share: passing scans / scans with a verdict (not applicable excluded; ERROR counts against);
- first and last failure;
- longest failing streak: consecutive scans from a failure to the last failure before it was fixed.
  An ERROR scan does not end a streak (unknown is never a fix) and a failure carried forward as
  stale counts as a failure;
- time to remediate: from the first failing scan of an episode to the first scan where it passes
  (or no longer applies: the resource is gone). An episode already failing at the window's first scan
  is measured from that scan, so its time is a lower bound.
Cadence gaps: stretches longer than `max_gap` without a scan, including from the window's start to
the first scan and from the last scan to the window's end.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from assay.errors import UsageError
from assay.store.ingest import PASS_WITH_EXCEPTIONS, PASSING
from assay.store.records import Gap, ScanRef, Streak, TypeIIItem, TypeIIView, criterion_order
from assay.store.tables import ControlTable, CriterionTable, ScanTable

if TYPE_CHECKING:
    from assay.store.store import Store


def _hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600.0, 2)


def gaps(times: list[tuple[int | None, datetime]], max_gap: timedelta) -> list[Gap]:
    out = []
    for (a_id, a), (b_id, b) in itertools.pairwise(times):
        if b - a > max_gap:
            out.append(Gap(start=a, end=b, hours=_hours(b - a), between=(a_id, b_id)))
    return out


def item(item_id: str, title: str, series: list[tuple[datetime, str]]) -> TypeIIItem:
    """Figures for one control or criterion from its (scan time, status) series, oldest first."""
    judged = [(t, st) for t, st in series if st != "not_applicable"]
    passing = sum(1 for _, st in judged if st in PASSING)
    failing_times = [t for t, st in judged if st == "fail"]
    longest: Streak | None = None
    remediation_hours: list[float] = []
    first: datetime | None = None  # first failing scan of the open episode
    run = 0  # scans since `first`, errors included
    for t, st in series:
        if st == "fail":
            if first is None:
                first, run = t, 0
            run += 1
            streak = Streak(scans=run, start=first, end=t)
            if longest is None or (run, t - first) > (longest.scans, longest.end - longest.start):
                longest = streak
        elif st == "error":
            if first is not None:
                run += 1
        elif first is not None:  # pass, pass with exceptions, or not applicable any more: fixed
            remediation_hours.append(_hours(t - first))
            first = None
    return TypeIIItem(
        id=item_id, title=title, scans=len(judged), passing=passing,
        excepted=sum(1 for _, st in judged if st == PASS_WITH_EXCEPTIONS),
        failing=len(failing_times), unknown=sum(1 for _, st in judged if st == "error"),
        pass_share=round(passing / len(judged), 4) if judged else None,
        first_failure=failing_times[0] if failing_times else None,
        last_failure=failing_times[-1] if failing_times else None,
        longest_failing_streak=longest, remediations=len(remediation_hours),
        mean_hours_to_remediate=(round(sum(remediation_hours) / len(remediation_hours), 2) if remediation_hours
                                 else None),
        max_hours_to_remediate=max(remediation_hours) if remediation_hours else None,
        failing_at_end=first is not None,
    )


def type2(store: Store, start: datetime, end: datetime, *, max_gap: timedelta) -> TypeIIView:
    if start.tzinfo is None or end.tzinfo is None:
        raise UsageError("the window's start and end need a timezone (UTC)")
    if end <= start:
        raise UsageError("the window ends before it starts")
    if max_gap <= timedelta(0):
        raise UsageError("the cadence gap must be positive")
    from assay.controls.registry import load_controls

    titles = {cid: c.title for cid, c in load_controls().items()}
    with store.read() as s:
        scans = list(s.execute(sa.select(ScanTable).where(ScanTable.started_at >= start, ScanTable.started_at <= end)
                               .order_by(ScanTable.started_at, ScanTable.id)).scalars())
        ids = [x.id for x in scans]
        when = {x.id: x.started_at for x in scans}
        controls: dict[str, list[tuple[datetime, int, str]]] = defaultdict(list)
        criteria: dict[str, list[tuple[datetime, int, str]]] = defaultdict(list)
        criterion_titles: dict[str, str] = {}
        if ids:
            for cid, scan_id, status in s.execute(sa.select(ControlTable.control_id, ControlTable.scan_id,
                                                            ControlTable.status).where(ControlTable.scan_id.in_(ids))):
                controls[cid].append((when[scan_id], scan_id, status))
            for row in s.execute(sa.select(CriterionTable).where(CriterionTable.scan_id.in_(ids),
                                                                 CriterionTable.kind == "automated")).scalars():
                criteria[row.criterion_id].append((when[row.scan_id], row.scan_id, row.status))
                criterion_titles[row.criterion_id] = row.title
    times: list[tuple[int | None, datetime]] = [(None, start), *((x.id, x.started_at) for x in scans), (None, end)]
    return TypeIIView(
        start=start, end=end, max_gap_hours=_hours(max_gap), gaps=gaps(times, max_gap),
        scans=[ScanRef(id=x.id, uuid=x.uuid, started_at=x.started_at, complete=x.complete) for x in scans],
        controls=[item(cid, titles.get(cid, cid), _ordered(series)) for cid, series in sorted(controls.items())],
        criteria=[item(cid, criterion_titles[cid], _ordered(series))
                  for cid, series in sorted(criteria.items(), key=lambda kv: criterion_order(kv[0]))],
    )


def _ordered(series: list[tuple[datetime, int, str]]) -> list[tuple[datetime, str]]:
    return [(t, st) for t, _, st in sorted(series)]
