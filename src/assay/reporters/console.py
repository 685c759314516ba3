"""Console: per category and criterion, counts and the worst failing controls."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assay.engine import Evaluation
from assay.models.findings import Status
from assay.reporters import reporter
from assay.reporters.document import scan_summary

STYLE = {"pass": "green", "fail": "bold red", "error": "yellow", "manual": "cyan", "inherited": "blue",
         "not_applicable": "dim", "skip": "dim"}
WORST_SHOWN = 10


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

    table = Table(title="Criteria with automated evidence", show_lines=False, expand=False)
    for col in ("criterion", "title", "status", "pass", "fail", "error"):
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
        table.add_row(Text(name, style="bold"), "", "", "", "", "")
        for c in automated:
            n = c.counts
            table.add_row(c.id, c.title, badge(c.status),
                          str(n["pass"]) if n["pass"] else "", str(n["fail"]) if n["fail"] else "",
                          str(n["error"]) if n["error"] else "")
    console.print(table)
    for kind, label in (("manual", "Manual (a person attests, with evidence)"),
                        ("inherited", "Inherited (AWS's SOC 2 report)")):
        if people.get(kind):
            console.print(Text.assemble(badge(kind), f" {label}: {len(people[kind])} criteria: ",
                                        ", ".join(people[kind])))

    failing = Counter(f.control_id for f in ev.findings if f.status is Status.FAIL)
    if failing:
        worst = sorted(failing, key=lambda cid: (-ev.controls[cid].severity.rank, -failing[cid], cid))
        t = Table(title="Worst failing controls")
        for col in ("severity", "control", "title", "failing resources"):
            t.add_column(col)
        for cid in worst[:WORST_SHOWN]:
            ctl = ev.controls[cid]
            t.add_row(badge_sev(ctl.severity.value), cid, ctl.title, str(failing[cid]))
        console.print(t)
    totals = s["findings"]
    console.print(f"Findings: {totals['pass']} pass, {totals['fail']} fail, {totals['error']} error, "
                  f"{totals['skip']} not applicable.")


def badge_sev(sev: str) -> Text:
    return Text(sev, style={"critical": "bold red", "high": "red", "medium": "yellow"}.get(sev, ""))
