"""A stored scan's findings, grouped for the auditor: per criterion, per control, failing resources capped.

The report lists every criterion and every control, but not every failing resource: each control
shows its first few failing, excepted or unevaluated resources, under the first criterion that maps
it, and says how many more are in the scan's findings.json (the evidence bundle holds all of them).

With an exceptions file, its entries are applied to the stored failures as `assay evaluate
--exceptions` would, judged on the scan's collection date; criteria states are then recomputed with
the engine's roll-up. Without one, the states are the stored (signed) ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from assay.exceptions import ExceptionEntry
from assay.exceptions import apply as apply_exceptions
from assay.models.findings import Finding, Severity

if TYPE_CHECKING:
    from assay.frameworks import Framework
    from assay.store import CriterionRow, Store

RESOURCES_PER_CONTROL = 4  # the first with its message, the others by name
MAX_LISTED = 800  # failing resources listed across the whole report: keeps the PDF readable
MESSAGE_CHARS = 160
PAGE = 5000
PASS_WITH_EXCEPTIONS = "pass_with_exceptions"
COUNT_KEYS = ("fail", "excepted", "error", "pass", "skip", "stale")
_RANK = {s.value: s.rank for s in Severity}
_SHOWN_ORDER = {"fail": 0, "excepted": 1, "error": 2}


@dataclass(frozen=True)
class Item:
    """A finding that an auditor must see: failing, excepted, or not evaluated."""

    finding_id: str
    control_id: str
    severity: str
    status: str  # fail | error
    excepted: bool
    stale: bool
    stale_reason: str | None
    evaluated_in: int
    account_id: str
    region: str
    resource_arn: str
    resource_name: str
    message: str
    exception: dict[str, Any] | None

    @property
    def shown(self) -> str:
        return "excepted" if self.excepted else self.status

    @property
    def label(self) -> str:
        return self.resource_name or self.resource_arn


@dataclass
class Loaded:
    counts: dict[str, Counter[str]]  # control -> fail/excepted/error/pass/skip/stale
    items: dict[str, list[Item]]  # control -> its failing, excepted and unevaluated findings
    failures: list[Finding]  # every FAIL finding (with its exception), for the exceptions register
    titles: dict[str, tuple[str, str]]  # control -> (title, severity) as the findings recorded them


def _short(text: str) -> str:
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1].rstrip() + "\u2026"


def _pages(store: Store, scan_id: int) -> Iterator[Any]:
    offset = 0
    while True:
        page = store.findings(scan_id, limit=PAGE, offset=offset)
        yield from page.items
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


def load(store: Store, scan_id: int, entries: Sequence[ExceptionEntry] | None, on: date) -> Loaded:
    """Read a scan's findings once; keep in full only those that are not passing."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    rows: list[tuple[Any, Finding | None]] = []
    titles: dict[str, tuple[str, str]] = {}
    for row in _pages(store, scan_id):
        titles.setdefault(row.control_id, (row.title, row.severity))
        if row.status in ("pass", "skip"):
            counts[row.control_id][row.status] += 1
            counts[row.control_id]["stale"] += row.stale
            continue
        finding = Finding.model_validate(row.data) if row.status == "fail" else None
        rows.append((row, finding))
    if entries is not None:  # the file decides, judged on the collection date
        fails = [f for _, f in rows if f is not None]
        applied = iter(apply_exceptions(fails, entries, on))
        rows = [(row, next(applied) if f is not None else None) for row, f in rows]
    items: dict[str, list[Item]] = defaultdict(list)
    failures: list[Finding] = []
    for row, finding in rows:
        if finding is not None:
            failures.append(finding)
        if entries is not None and finding is not None:
            excepted = finding.excepted
            exception = finding.exception.model_dump(mode="json") if finding.exception else None
        else:
            excepted, exception = row.excepted, row.exception
        item = Item(
            finding_id=row.finding_id, control_id=row.control_id, severity=row.severity, status=row.status,
            excepted=excepted, stale=row.stale, stale_reason=row.stale_reason, evaluated_in=row.evaluated_in,
            account_id=row.account_id, region=row.region, resource_arn=row.resource_arn,
            resource_name=row.resource_name, message=_short(row.message), exception=exception)
        counts[row.control_id][item.shown] += 1
        counts[row.control_id]["stale"] += row.stale
        items[row.control_id].append(item)
    for found in items.values():
        found.sort(key=lambda i: (_SHOWN_ORDER.get(i.shown, 9), i.account_id, i.region, i.label, i.finding_id))
    return Loaded(counts=counts, items=items, failures=failures, titles=titles)


def state_of(n: Counter[str] | dict[str, int]) -> str:
    """The engine's roll-up from counts: fail > error > pass with exceptions > pass > not applicable."""
    if n.get("fail", 0):
        return "fail"
    if n.get("error", 0):
        return "error"
    if n.get("excepted", 0):
        return PASS_WITH_EXCEPTIONS
    if n.get("pass", 0):
        return "pass"
    return "not_applicable"


@dataclass
class ControlView:
    id: str
    title: str
    severity: str
    status: str
    counts: dict[str, int]
    home: str  # the criterion under which its resources are listed
    listed: list[Item] = field(default_factory=list)
    more: int = 0  # not listed here: in findings.json

    @property
    def shown_total(self) -> int:
        return self.counts["fail"] + self.counts["excepted"] + self.counts["error"]


@dataclass
class CriterionView:
    id: str
    title: str
    category: str
    kind: str
    status: str
    stored_status: str
    counts: dict[str, int]
    rationale: str
    evidence: str
    attention: list[ControlView]  # failing, excepted or not evaluated
    passing: list[str]
    not_applicable: list[str]
    controls: int

    @property
    def listed_here(self) -> list[ControlView]:
        """Controls needing attention whose resources this criterion lists (it is the first to map them)."""
        return [v for v in self.attention if v.home == self.id]

    @property
    def listed_elsewhere(self) -> list[ControlView]:
        return [v for v in self.attention if v.home != self.id]

    def tally(self, status: str) -> int:
        return sum(1 for v in self.attention if v.status == status)


def _counts(n: Counter[str] | None) -> dict[str, int]:
    return {k: (n or Counter()).get(k, 0) for k in COUNT_KEYS}


def build(rows: list[CriterionRow], loaded: Loaded, framework: Framework | None, *, recompute: bool
          ) -> list[CriterionView]:
    """Criteria in framework order with their controls; failing resources listed once, capped."""
    from assay.controls.registry import load_controls

    registry = load_controls()
    views: dict[str, ControlView] = {}
    budget = MAX_LISTED
    out = []
    for c in rows:
        spec = framework.criterion(c.id) if framework is not None else None
        attention: list[ControlView] = []
        passing: list[str] = []
        na: list[str] = []
        total: Counter[str] = Counter()
        for cid in c.controls:
            view = views.get(cid)
            if view is None:
                n = _counts(loaded.counts.get(cid))
                known = registry.get(cid)
                title, severity = loaded.titles.get(cid, (known.title if known else cid,
                                                          known.severity.value if known else "info"))
                view = ControlView(id=cid, title=title, severity=severity, status=state_of(n), counts=n, home=c.id)
                found = loaded.items.get(cid, [])
                shown = found[:max(0, min(RESOURCES_PER_CONTROL, budget))]
                budget -= len(shown)
                view.listed, view.more = shown, len(found) - len(shown)
                views[cid] = view
            total.update({k: v for k, v in view.counts.items()})
            if view.status in ("fail", "error", PASS_WITH_EXCEPTIONS):
                attention.append(view)
            elif view.status == "pass":
                passing.append(cid)
            else:
                na.append(cid)
        attention.sort(key=lambda v: ({"fail": 0, "error": 1}.get(v.status, 2), -_RANK.get(v.severity, 0),
                                      -v.shown_total, v.id))
        computed = state_of(total) if c.kind == "automated" else c.kind
        out.append(CriterionView(
            id=c.id, title=c.title, category=c.category, kind=c.kind,
            status=computed if recompute else c.status, stored_status=c.status, counts=_counts(total),
            rationale=spec.rationale if spec else "", evidence=spec.evidence if spec else "",
            attention=attention, passing=sorted(passing), not_applicable=sorted(na), controls=len(c.controls)))
    return out


def key_areas(criteria: list[CriterionView], limit: int = 8) -> list[dict[str, Any]]:
    """Failing criteria, worst first: the highest failing severity, then the number of failing findings."""
    failing = [c for c in criteria if c.status == "fail"]

    def worst(c: CriterionView) -> int:
        return max((_RANK.get(v.severity, 0) for v in c.attention if v.status == "fail"), default=0)

    failing.sort(key=lambda c: (-worst(c), -c.counts["fail"], c.id))
    out = []
    for c in failing[:limit]:
        top = [v for v in c.attention if v.status == "fail"][:3]
        out.append({"id": c.id, "title": c.title, "failing": c.counts["fail"],
                    "severity": next((s.value for s in Severity if s.rank == worst(c)), "info"),
                    "controls": [{"id": v.id, "title": v.title, "severity": v.severity, "failing": v.counts["fail"]}
                                 for v in top],
                    "more_controls": sum(1 for v in c.attention if v.status == "fail") - len(top)})
    return out
