"""Console: per category and criterion, counts and the worst failing controls."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assay.engine import Evaluation
from assay.models.findings import Status
from assay.reporters import coverage, reporter
from assay.reporters.document import exception_usage, scan_summary

STYLE = {"pass": "green", "fail": "bold red", "error": "yellow", "denied": "yellow", "throttled": "yellow",
         "timeout": "yellow", "partial": "yellow", "not_enabled": "dim", "manual": "cyan", "inherited": "blue",
         "not_applicable": "dim", "skip": "dim", "pass_with_exceptions": "green", "excepted": "magenta"}
WORST_SHOWN = 10
SHARDS_SHOWN = 15


def badge(status: str) -> Text:
    return Text(status.upper().replace("_", " "), style=STYLE.get(status, ""))


@reporter("console", extension="txt")
def write_console(ev: Evaluation, out: TextIO) -> None:
    console = Console(file=out, width=120, highlight=False, soft_wrap=False)
    s = scan_summary(ev)
    state = Text("COMPLETE", style="green") if s["complete"] else Text("PARTIAL", style="bold yellow")
    accounts = ", ".join(a["account_id"] for a in s["accounts"])
    console.print(Text.assemble(f"Assay scan, {ev.framework.name}: ", state, f"  accounts: {accounts}  ",
                                f"coverage: {s['coverage_percent']}%  controls: {s['controls']}"))
    if not s["complete"]:
        console.print(Text("Some data could not be read: criteria that depend on it are shown as ERROR, "
                           "never as compliant.", style="yellow"))
    skipped = [r for r in ev.inventory.regions if r.status != "scanned"]
    if skipped:
        console.print(f"Regions not scanned (not enabled): {', '.join(r.region for r in skipped)}", style="dim")
    for r in coverage.unreadable_regions(ev):
        console.print(Text(f"Region could not be read: {coverage.region_line(r)}", style="yellow"))
    _coverage(ev, console)

    table = Table(title="Criteria with automated evidence", show_lines=False, expand=False)
    excepting = bool(ev.exceptions)
    for col in ("criterion", "title", "status", "pass", "fail", "error", *(("excepted",) if excepting else ())):
        table.add_column(col)
    people: dict[str, list[str]] = defaultdict(list)
    for cat, name in ev.framework.categories.items():
        rows = [c for c in ev.criteria if c.category == cat]
        automated = [c for c in rows if c.kind.value == "automated"]
        for c in rows:
            if c not in automated:
                people[c.status].append(c.id)
        if not automated:
            continue
        table.add_row(Text(name, style="bold"), *[""] * (len(table.columns) - 1))
        for c in automated:
            n = c.counts
            keys = ("pass", "fail", "error", *(("excepted",) if excepting else ()))
            table.add_row(c.id, c.title, badge(c.status), *(str(n[k]) if n.get(k) else "" for k in keys))
    console.print(table)
    for kind, label in (("manual", "Manual (a person attests, with evidence)"),
                        ("inherited", "Inherited (AWS's SOC 2 report)")):
        if people.get(kind):
            console.print(Text.assemble(badge(kind), f" {label}: {len(people[kind])} criteria: ",
                                        ", ".join(people[kind])))

    failing = Counter(f.control_id for f in ev.findings if f.status is Status.FAIL and not f.excepted)
    if failing:
        worst = sorted(failing, key=lambda cid: (-ev.controls[cid].severity.rank, -failing[cid], cid))
        t = Table(title="Worst failing controls")
        for col in ("severity", "control", "title", "failing resources"):
            t.add_column(col)
        for cid in worst[:WORST_SHOWN]:
            ctl = ev.controls[cid]
            t.add_row(badge_sev(ctl.severity.value), cid, ctl.title, str(failing[cid]))
        console.print(t)
    if ev.exceptions:
        _exceptions(ev, console)
    totals = s["findings"]
    excepted = f", {totals['excepted']} excepted" if ev.exceptions else ""
    console.print(f"Findings: {totals['pass']} pass, {totals['fail']} fail{excepted}, {totals['error']} error, "
                  f"{totals['skip']} not applicable.")


def _exceptions(ev: Evaluation, console: Console) -> None:
    """Every entry of the exceptions file: what it covers, and whether it expired or covers nothing."""
    t = Table(title="Exceptions (excepted findings are not failing, and are never hidden)")
    for col in ("id", "control", "resource", "account", "type", "owner / approver", "expires", "covers"):
        t.add_column(col, overflow="fold", no_wrap=col in ("id", "control", "expires", "covers"))
    notes: list[Text] = []
    for u in exception_usage(ev):
        if u["expired"]:
            state = Text("EXPIRED", style="bold red")
            # A line of its own, never folded in a cell: the date is what the reader must see.
            notes.append(Text.assemble(Text(f"exception expired on {u['expires']}: ", style="bold red"),
                                       Text(f"{u['id']} ({u['control']}); {u['findings_expired']} "
                                            "finding(s) it covered fail again.")))
        elif u["unused"]:
            state = Text("unused", style="dim")
        else:
            state = Text(f"{u['findings_excepted']} excepted", style=STYLE["excepted"])
        # Text(), not str: the file's strings are shown as written, never read as console markup.
        t.add_row(*(Text(str(u[k])) for k in ("id", "control", "resource", "account")),
                  Text(u["type"].replace("_", " ")), Text(f"{u['owner']} / {u['approver']}"), Text(u["expires"]),
                  state)
    console.print(t)
    for note in notes:
        console.print(note)
    unused = [u["id"] for u in exception_usage(ev) if u["unused"]]
    if unused:
        console.print(Text(f"Unused exceptions (they match no failing finding): {', '.join(unused)}", style="dim"))


def _coverage(ev: Evaluation, console: Console) -> None:
    """Shards per coverage status, then each one not read completely (account, region, service, why)."""
    console.print(coverage.summary_line(ev), style="dim" if ev.complete else "yellow")
    gaps = coverage.incomplete(ev)
    if not gaps:
        return
    t = Table(title="Not read completely (criteria that depend on these are ERROR)")
    for col in ("account", "region", "service", "coverage", "reason"):
        t.add_column(col, overflow="fold")
    for c in gaps[:SHARDS_SHOWN]:
        t.add_row(c.account_id, c.region, c.service, badge(c.status.value), c.reason)
    console.print(t)
    if len(gaps) > SHARDS_SHOWN:
        console.print(f"... and {len(gaps) - SHARDS_SHOWN} more (every shard is in the JSON and HTML reports).")


def badge_sev(sev: str) -> Text:
    return Text(sev, style={"critical": "bold red", "high": "red", "medium": "yellow"}.get(sev, ""))
