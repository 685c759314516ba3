"""Everything the auditor report shows, read from the scan store into one plain structure.

    view = build(store, Options(scan_id=None, start=None, end=None, exceptions=None))

The reported scan is the latest complete one unless `scan_id` names another; the observation window
defaults to the 90 days before the report. Nothing here formats text for a medium: the template does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay import __version__
from assay.auditor import coverage, criteria, evidence, operating, register
from assay.auditor.snapshot_head import SnapshotHead, SnapshotUnreadable, read_head
from assay.errors import UsageError

if TYPE_CHECKING:
    from assay.frameworks import Framework
    from assay.store import Attestation, AttestationState, ScanRecord, Store

WINDOW = timedelta(days=90)
DEFAULT_MAX_GAP = timedelta(days=2)
CRITERION_STATES = ("fail", "error", "pass_with_exceptions", "pass", "not_applicable", "manual", "inherited")
FINDING_STATES = ("fail", "excepted", "error", "pass", "skip")


@dataclass(frozen=True)
class Options:
    scan_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    exceptions: Path | None = None
    now: datetime | None = None  # the report's date: attestations are judged on it
    max_gap: timedelta = DEFAULT_MAX_GAP


@dataclass
class ManualRow:
    id: str
    title: str
    rationale: str
    expected: str
    state: str  # attested | expired | missing
    attestation: Attestation | None
    history: int  # attestations recorded for it in total
    after_window: bool = False  # attested only after the window ended
    notes: list[str] = field(default_factory=list)


def pick_scan(store: Store, scan_id: int | None) -> tuple[ScanRecord, str | None]:
    if scan_id is not None:
        rec = store.scan(scan_id)
        if rec is None:
            raise UsageError(f"there is no scan #{scan_id} in the store (`assay history` lists them)")
        return rec, None
    rec = store.latest(complete_only=True)
    if rec is not None:
        return rec, None
    rec = store.latest(complete_only=False)
    if rec is None:
        raise UsageError("the store holds no scan yet: `assay scan` or `assay demo` records one "
                         "(--db chooses another store)")
    return rec, (f"The store holds no complete scan: this report is built on the latest scan, #{rec.id}, "
                 "which is PARTIAL.")


def window(opts: Options, now: datetime) -> tuple[datetime, datetime]:
    end = opts.end or now
    start = opts.start or end - WINDOW
    if start >= end:
        raise UsageError(f"the observation window is empty: --from {start:%Y-%m-%d %H:%M} is not before "
                         f"--to {end:%Y-%m-%d %H:%M}")
    return start, end


def _framework(name: str) -> Framework | None:
    from assay.frameworks import load

    try:
        return load(name)
    except UsageError:
        return None  # a framework this Assay does not ship: titles and kinds still come from the store


def _manual(rows: list[criteria.CriterionView], states: list[AttestationState], atts: list[Attestation],
            end: datetime) -> list[ManualRow]:
    by_id = {a.id: a for a in atts}
    state_of = {s.criterion: s for s in states}
    count = Counter(a.criterion for a in atts)
    out = []
    for c in rows:
        s = state_of.get(c.id)
        a = by_id.get(s.attestation_id) if s is not None and s.attestation_id is not None else None
        row = ManualRow(id=c.id, title=c.title, rationale=c.rationale, expected=c.evidence,
                        state=s.state if s is not None else "missing", attestation=a, history=count.get(c.id, 0))
        if a is not None and a.created_at > end:
            row.after_window = True
            row.notes.append("attested after the observation window ended")
        if a is not None and row.state == "attested" and a.valid_until < end.date():
            row.notes.append("lapses before the end of the window")
        out.append(row)
    return out


def _categories(views: list[criteria.CriterionView], fw: Framework | None) -> list[dict[str, Any]]:
    names = dict(fw.categories) if fw is not None else {}
    order = list(names) + sorted({v.category for v in views} - set(names))
    out = []
    for key in order:
        members = [v for v in views if v.category == key]
        if not members:
            continue
        automated = [v for v in members if v.kind == "automated" and v.status != "not_applicable"]
        passing = sum(1 for v in automated if v.status in ("pass", "pass_with_exceptions"))
        out.append({"id": key, "name": names.get(key, key), "criteria": members, "evaluated": len(automated),
                    "passing": passing, "failing": sum(1 for v in automated if v.status == "fail"),
                    "errors": sum(1 for v in automated if v.status == "error")})
    return out


def build(store: Store, opts: Options) -> dict[str, Any]:
    from assay.exceptions import load as load_exceptions
    from assay.exceptions import reference_date

    now = (opts.now or datetime.now(UTC)).astimezone(UTC)
    start, end = window(opts, now)
    entries = load_exceptions(opts.exceptions).exceptions if opts.exceptions is not None else None
    scan, scan_note = pick_scan(store, opts.scan_id)
    fw = _framework(scan.framework)

    head: SnapshotHead | None = None
    head_problem = None
    raw = store.snapshot(scan.id)
    try:
        head = read_head(raw) if raw is not None else None
    except SnapshotUnreadable as exc:
        head_problem = str(exc)
    if raw is None:
        head_problem = "the scan's snapshot is missing from the store"

    on = reference_date(scan.finished_at)
    loaded = criteria.load(store, scan.id, entries, on)
    views = criteria.build(store.criteria(scan.id), loaded, fw, recompute=entries is not None)
    manual_views = [v for v in views if v.kind == "manual"]
    try:
        states = store.attestation_states(framework=scan.framework, on=now.date())
    except UsageError:
        states = []
    atts = store.attestations(framework=scan.framework)
    manual = _manual(manual_views, states, atts, end)
    manual_state = {m.id: m.state for m in manual}

    if opts.exceptions is not None and entries is not None:
        reg = register.from_file(opts.exceptions, entries, loaded.failures, loaded.items, on, now.date())
    else:
        reg = register.from_findings(loaded.items, on, now.date())

    in_window = evidence.scans_between(store, start, end)
    index = evidence.build(store, in_window, scan, {a.key_id for a in atts})
    op = operating.build(store.type2(start, end, max_gap=opts.max_gap))

    finding_counts: Counter[str] = Counter()
    for n in loaded.counts.values():
        finding_counts.update(n)
    tally = Counter(v.status for v in views)
    attested = Counter(m.state for m in manual)
    day_from, day_to = start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")
    exceptions_arg = f" --exceptions {opts.exceptions.name}" if opts.exceptions is not None else ""
    return {
        "now": now,
        "version": __version__,
        "framework_id": scan.framework,
        "framework_name": fw.name if fw is not None else scan.framework,
        "scan": scan,
        "scan_note": scan_note,
        "scan_in_window": start <= scan.started_at <= end,
        "head": head,
        "head_problem": head_problem,
        "start": start,
        "end": end,
        "window_days": round((end - start).total_seconds() / 86400),
        "reference_date": on,
        "categories": _categories(views, fw),
        "criteria": views,
        "n_criteria": len(views),
        "criteria_tally": [(s, tally.get(s, 0)) for s in CRITERION_STATES if tally.get(s, 0) or s in ("fail", "pass")],
        "finding_tally": [(s, finding_counts.get(s, 0)) for s in FINDING_STATES],
        "stale_findings": finding_counts.get("stale", 0),
        "key_areas": criteria.key_areas(views),
        "recomputed": entries is not None,
        "changed_by_file": [v for v in views if v.status != v.stored_status],
        "manual": manual,
        "manual_tally": {k: attested.get(k, 0) for k in ("attested", "expired", "missing")},
        "manual_state": manual_state,
        "inherited": [v for v in views if v.kind == "inherited"],
        "register": reg,
        "coverage": coverage.build(head, scan.coverage_percent) if head is not None else None,
        "operating": op,
        "index": index,
        "resources_per_control": criteria.RESOURCES_PER_CONTROL,
        "bundle_command": f"assay evidence export --from {day_from} --to {day_to}{exceptions_arg} -o evidence.zip",
        "report_command": f"assay report auditor --scan {scan.id} --from {day_from} --to {day_to}{exceptions_arg}",
    }
