"""What changed between two stored scans: findings by category, and each criterion's state.

A finding that failed and cannot be evaluated now is never resolved: carry-forward stores it as a
stale failure (still failing); comparing two scans that are not consecutive can still meet an ERROR,
which is listed apart as not evaluated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from assay.errors import UsageError
from assay.models.findings import Severity
from assay.store.records import CriterionChange, FindingChange, ScanDiff, ScanRef, criterion_order
from assay.store.tables import CriterionTable, FindingTable, ScanAccount, ScanTable

if TYPE_CHECKING:
    from assay.store.store import Store


def _ref(row: ScanTable) -> ScanRef:
    return ScanRef(id=row.id, uuid=row.uuid, started_at=row.started_at, complete=row.complete)


def pick_pair(s: Session, old_id: int | None, new_id: int | None) -> tuple[ScanTable, ScanTable]:
    """The scans to compare: both given, or the defaults (the last two complete scans; the latest complete
    scan after OLD; the complete scan before NEW)."""
    def get(scan_id: int) -> ScanTable:
        row = s.get(ScanTable, scan_id)
        if row is None:
            raise UsageError(f"there is no scan #{scan_id} in the store (`assay history` lists them)")
        return row

    complete = sa.select(ScanTable).where(ScanTable.complete.is_(True)).order_by(ScanTable.id.desc())
    if old_id is not None and new_id is not None:
        return get(old_id), get(new_id)
    if old_id is not None:
        old = get(old_id)
        after = s.execute(complete.where(ScanTable.id > old.id).limit(1)).scalar_one_or_none()
        if after is None:
            raise UsageError(f"no complete scan after #{old.id} to compare it with; name both scans")
        return old, after
    if new_id is not None:
        new = get(new_id)
        before = s.execute(complete.where(ScanTable.id < new.id).limit(1)).scalar_one_or_none()
        if before is None:
            raise UsageError(f"no complete scan before #{new.id} to compare it with; name both scans")
        return before, new
    last_two = list(s.execute(complete.limit(2)).scalars())
    if len(last_two) < 2:
        total = s.execute(sa.select(sa.func.count()).select_from(ScanTable)).scalar_one()
        raise UsageError(f"a diff needs two complete scans; the store has {total} scan(s), "
                         f"{len(last_two)} complete (name two scans to compare partial ones)")
    return last_two[1], last_two[0]


def _findings(s: Session, scan_id: int) -> dict[str, Any]:
    cols = (FindingTable.finding_id, FindingTable.control_id, FindingTable.status, FindingTable.severity,
            FindingTable.account_id, FindingTable.region, FindingTable.resource_arn, FindingTable.resource_name,
            FindingTable.excepted, FindingTable.stale, FindingTable.data)
    return {r.finding_id: r for r in s.execute(sa.select(*cols).where(FindingTable.scan_id == scan_id))}


def _change(old: Any, new: Any) -> FindingChange:
    cur = new if new is not None else old
    return FindingChange(
        finding_id=cur.finding_id, control_id=cur.control_id, title=str(cur.data.get("title", "")),
        severity=cur.severity, account_id=cur.account_id, region=cur.region, resource_arn=cur.resource_arn,
        resource_name=cur.resource_name, old_status=old.status if old is not None else None,
        new_status=new.status if new is not None else None, excepted=bool(cur.excepted),
        stale=bool(new.stale) if new is not None else False, message=str(cur.data.get("message", "")),
    )


def diff(store: Store, old_id: int | None, new_id: int | None) -> ScanDiff:
    with store.read() as s:
        old_scan, new_scan = pick_pair(s, old_id, new_id)
        if old_scan.id == new_scan.id:
            raise UsageError(f"both scans are #{old_scan.id}; name two different scans")
        old, new = _findings(s, old_scan.id), _findings(s, new_scan.id)
        new_accounts = set(s.execute(sa.select(ScanAccount.account_id)
                                     .where(ScanAccount.scan_id == new_scan.id)).scalars())
        crit_old = {c.criterion_id: c for c in s.execute(
            sa.select(CriterionTable).where(CriterionTable.scan_id == old_scan.id)).scalars()}
        crit_new = {c.criterion_id: c for c in s.execute(
            sa.select(CriterionTable).where(CriterionTable.scan_id == new_scan.id)).scalars()}
        buckets: dict[str, list[FindingChange]] = {k: [] for k in ("new", "regressed", "resolved", "still", "unknown")}
        for fid in sorted(set(old) | set(new)):
            o, n = old.get(fid), new.get(fid)
            was_failing = o is not None and o.status == "fail"
            if n is not None and n.status == "fail":
                key = "new" if o is None else "still" if was_failing else "regressed"
            elif not was_failing:
                continue
            elif n is None:
                assert o is not None
                # Gone from a complete scan of its account: the resource no longer exists. A partial scan
                # carries it forward instead, so it is not None there; another account's scan says nothing.
                if not (new_scan.complete and o.account_id in new_accounts):
                    continue
                key = "resolved"
            elif n.status in ("pass", "skip"):
                key = "resolved"
            else:
                key = "unknown"
            buckets[key].append(_change(o, n))
        for items in buckets.values():
            items.sort(key=lambda c: (-Severity(c.severity).rank, c.control_id, c.account_id, c.region,
                                      c.resource_arn))
        criteria = []
        for cid in sorted(set(crit_old) | set(crit_new), key=criterion_order):
            a, b = crit_old.get(cid), crit_new.get(cid)
            cur = b if b is not None else a
            assert cur is not None
            criteria.append(CriterionChange(
                id=cid, title=cur.title, category=cur.category, old_status=a.status if a else None,
                new_status=b.status if b else None, changed=(a.status if a else None) != (b.status if b else None)))
        return ScanDiff(old=_ref(old_scan), new=_ref(new_scan), new_findings=buckets["new"],
                        regressed=buckets["regressed"], resolved=buckets["resolved"], still_failing=buckets["still"],
                        not_evaluated=buckets["unknown"], criteria=criteria)

