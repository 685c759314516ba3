"""Rendering store views for people: console tables (rich) and the HTML diff (Jinja2, autoescaped)."""

from __future__ import annotations

from datetime import datetime
from importlib import resources

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assay.store.records import AttestationState, FindingChange, ScanDiff, ScanSummary, TypeIIItem, TypeIIView

CATEGORY_LABELS = {"security": "Security", "availability": "Avail.", "processing_integrity": "Proc. int.",
                   "confidentiality": "Conf.", "privacy": "Privacy"}
DIFF_SECTIONS = (("new_findings", "New failures", "failing now, not in the old scan"),
                 ("regressed", "Regressed", "failing now, not failing before"),
                 ("resolved", "Resolved", "failing before; passing, not applicable or deleted now"),
                 ("not_evaluated", "Not evaluated", "failing before, could not be evaluated now: not resolved"),
                 ("still_failing", "Still failing", "failing in both scans"))


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def history_table(rows: list[ScanSummary], criterion: str | None = None) -> Table:
    categories = sorted({c for r in rows for c in r.categories}, key=lambda c: list(CATEGORY_LABELS).index(c)
                        if c in CATEGORY_LABELS else 99)
    table = Table(title=f"{len(rows)} scans, newest first", title_justify="left",
                  caption="Pass rate: passing findings / evaluated findings. Categories: automated criteria "
                          "passing / with a verdict.", caption_justify="left")
    for col in ("#", "started", "state", "accounts", "coverage", "pass", "fail", "error", "stale", "pass rate"):
        table.add_column(col, justify="right" if col in ("#", "pass", "fail", "error", "stale") else "left",
                         overflow="fold")
    for cat in categories:
        table.add_column(CATEGORY_LABELS.get(cat, cat), justify="right")
    if criterion:
        table.add_column(criterion)
    for r in rows:
        s, n = r.scan, r.scan.counts
        accounts = "\n".join(s.accounts) if len(s.accounts) <= 3 else f"{len(s.accounts)} accounts"
        cells = [str(s.id), when(s.started_at), s.state, accounts, f"{s.coverage_percent:.0f}%",
                 str(n.get("pass", 0)), str(n.get("fail", 0)), str(n.get("error", 0)), str(n.get("stale", 0)),
                 pct(r.pass_rate)]
        for cat in categories:
            c = r.categories.get(cat)
            cells.append(f"{c.passing}/{c.evaluated}" if c else "-")
        if criterion:
            cr = r.criteria.get(criterion)
            cells.append(f"{cr.status} {pct(cr.pass_rate)}" if cr else "-")
        table.add_row(*(escape(c) for c in cells))
    return table


def _finding_line(c: FindingChange) -> str:
    flags = "".join((" [excepted]" if c.excepted else "", " [stale]" if c.stale else ""))
    states = f"{c.old_status or 'absent'} -> {c.new_status or 'gone'}"
    return (f"  {c.severity:<8} {c.control_id}  {c.resource_name or c.resource_arn}  ({c.account_id} {c.region}; "
            f"{states}){flags}")


def print_diff(d: ScanDiff, out: Console, limit: int = 20) -> None:
    counts = d.counts()
    out.print(f"Diff: scan #{d.old.id} ({when(d.old.started_at)}, {'complete' if d.old.complete else 'partial'}) -> "
              f"scan #{d.new.id} ({when(d.new.started_at)}, {'complete' if d.new.complete else 'partial'})",
              markup=False)
    out.print(f"  {counts['new']} new, {counts['regressed']} regressed, {counts['resolved']} resolved, "
              f"{counts['not_evaluated']} not evaluated, {counts['still_failing']} still failing; "
              f"{counts['criteria_changed']} criteria changed state", markup=False)
    for attr, title, meaning in DIFF_SECTIONS:
        items: list[FindingChange] = getattr(d, attr)
        if not items:
            continue
        out.print(f"\n{title} ({len(items)}): {meaning}", markup=False)
        for c in items[:limit]:
            out.print(_finding_line(c), markup=False)
        if len(items) > limit:
            out.print(f"  ... and {len(items) - limit} more (--all, or -f json)", markup=False)
    changed = [c for c in d.criteria if c.changed]
    out.print("\nCriteria that changed state:" if changed else "\nNo criterion changed state.", markup=False)
    for cc in changed:
        out.print(f"  {cc.id:<7} {cc.old_status or 'absent'} -> {cc.new_status or 'absent'}  {cc.title}", markup=False)


def diff_html(d: ScanDiff) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: resources.files("assay.store").joinpath("templates", name)
                                     .read_text(encoding="utf-8")),
        autoescape=True,  # every value comes from AWS or the store: text, never markup
        undefined=jinja2.StrictUndefined,
    )
    sections = [(title, meaning, getattr(d, attr)) for attr, title, meaning in DIFF_SECTIONS]
    return env.get_template("diff.html.j2").render(d=d, counts=d.counts(), sections=sections, when=when)


def attestation_table(states: list[AttestationState]) -> Table:
    table = Table(title="Manual criteria: attestations", title_justify="left")
    for col in ("criterion", "state", "attested by", "valid until", "evidence sha256", "title"):
        table.add_column(col)
    for s in states:
        style = {"attested": "green", "expired": "yellow", "missing": "red"}[s.state]
        table.add_row(escape(s.criterion), f"[{style}]{s.state}[/{style}]", escape(s.attested_by or "-"),
                      s.valid_until.isoformat() if s.valid_until else "-",
                      (s.evidence_sha256 or "-")[:16], escape(s.title))
    return table


def _day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _type2_table(title: str, items: list[TypeIIItem]) -> Table:
    table = Table(title=f"{title} (times UTC)", title_justify="left",
                  caption="pass: share of scans passing; longest streak: failing scans in a row (days); mean fix: "
                          "days from a failure to its fix; open: failing at the window's end.", caption_justify="left")
    table.add_column("id", no_wrap=True)
    for col in ("scans", "pass", "fail", "error", "first failure", "last failure", "longest streak", "fixed",
                "mean fix", "open"):
        table.add_column(col, no_wrap=True,
                         justify="right" if col in ("scans", "pass", "fail", "error", "fixed") else "left")
    for i in items:
        streak = i.longest_failing_streak
        table.add_row(
            escape(i.id), str(i.scans), pct(i.pass_share * 100 if i.pass_share is not None else None), str(i.failing),
            str(i.unknown), _day(i.first_failure), _day(i.last_failure),
            f"{streak.scans} ({(streak.end - streak.start).total_seconds() / 86400:.1f} d)" if streak else "-",
            str(i.remediations),
            f"{i.mean_hours_to_remediate / 24:.1f} d" if i.mean_hours_to_remediate is not None else "-",
            "yes" if i.failing_at_end else "no")
    return table


def print_type2(v: TypeIIView, out: Console, show_all: bool = False) -> None:
    out.print(f"Type II view {when(v.start)} -> {when(v.end)}: {len(v.scans)} scans "
              f"({sum(1 for s in v.scans if s.complete)} complete)", markup=False)
    if v.gaps:
        out.print(f"Cadence gaps longer than {v.max_gap_hours / 24:g} days: {len(v.gaps)}", markup=False)
        for g in v.gaps:
            a, b = (f"#{x}" if x is not None else "window edge" for x in g.between)
            out.print(f"  {when(g.start)} ({a}) -> {when(g.end)} ({b}): {g.hours / 24:.1f} days without a scan",
                      markup=False)
    else:
        out.print(f"No cadence gap longer than {v.max_gap_hours / 24:g} days.", markup=False)
    out.print(_type2_table("Criteria (automated)", v.criteria))
    shown = v.controls if show_all else [c for c in v.controls if c.failing or c.unknown]
    out.print(_type2_table(f"Controls{'' if show_all else ' that failed or could not be evaluated'}", shown))
    if not show_all:
        out.print(f"{len(v.controls) - len(shown)} other controls passed (or did not apply) in every scan; "
                  "--all lists them.", markup=False)
