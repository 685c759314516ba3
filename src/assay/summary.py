"""The summary `assay scan` and `assay evaluate` print on stderr: one screen, written for CI logs.

    Assay SOC 2 (restricted to CC6.1): COMPLETE, coverage 100.0%; 1 account, 2 regions, 14 controls
    Findings: 31 pass, 6 fail, 0 error, 12 not applicable
    Failing by severity: 0 critical, 2 high, 3 medium, 1 low, 0 info
    Criteria: 1 fail
    Failing criteria: CC6.1
    Top failing controls:
      high    s3.bucket_public_access_blocked  2 of 5 resources
    Gate --fail-on high: TRIPPED, 2 failing findings at high or above (exit 1)

Every line is plain text from Assay's own vocabulary (ids, counts): no resource names, so nothing
read from an account can reach a CI log through it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from assay.changes import Changes
from assay.engine import Evaluation
from assay.models.findings import Severity, Status
from assay.reporters.document import failing_at_or_above, scan_summary

TOP_CONTROLS = 5
MAX_CRITERIA_NAMED = 12


@dataclass(frozen=True)
class Gate:
    """The outcome of --fail-on (and --strict): what the exit code will be, and why."""

    fail_on: Severity | None
    failing: int  # FAIL findings at or above fail_on
    strict: bool
    complete: bool

    @property
    def tripped(self) -> bool:
        return self.fail_on is not None and self.failing > 0

    @property
    def incomplete_exit(self) -> bool:
        return self.strict and not self.complete


def gate(ev: Evaluation, fail_on: Severity | None, strict: bool = False) -> Gate:
    failing = failing_at_or_above(ev, fail_on) if fail_on is not None else 0
    return Gate(fail_on, failing, strict, ev.complete)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_lines(ev: Evaluation, g: Gate, *, scope: str = "", changes: Changes | None = None) -> list[str]:
    s = scan_summary(ev)
    inv = ev.inventory
    regions = {r.region for r in inv.regions if r.status == "scanned"}
    state = "COMPLETE" if s["complete"] else "PARTIAL"
    lines = [f"Assay {ev.framework.name}: {state}, coverage {s['coverage_percent']}%; "
             f"{_plural(len(inv.account_ids()), 'account')}, {_plural(len(regions), 'region')}, "
             f"{_plural(len(ev.controls), 'control')}"]
    if scope:
        lines.append(f"Scope: {scope}")
    if not s["complete"]:
        lines.append(f"Incomplete: {_plural(s['collection_errors'], 'read')} failed; controls depending on what "
                     "was not read are ERROR, never PASS (the report's coverage section lists it)")
    n = s["findings"]
    excepted = f", {n['excepted']} excepted" if n.get("excepted") else ""
    lines.append(f"Findings: {n['pass']} pass, {n['fail']} fail{excepted}, {n['error']} error, "
                 f"{n['skip']} not applicable")

    failing = [f for f in ev.findings if f.status is Status.FAIL and not f.excepted]
    if failing:
        by_sev = Counter(f.severity for f in failing)
        lines.append("Failing by severity: " + ", ".join(f"{by_sev.get(sev, 0)} {sev.value}" for sev in Severity))

    crit = Counter(c.status for c in ev.criteria)
    order = ("fail", "error", "pass", "pass_with_exceptions", "not_applicable", "manual", "inherited")
    lines.append("Criteria: " + ", ".join(f"{crit[k]} {k.replace('_', ' ')}" for k in order if crit.get(k)))
    failed_criteria = [c.id for c in ev.criteria if c.status == "fail"]
    if failed_criteria:
        more = len(failed_criteria) - MAX_CRITERIA_NAMED
        lines.append("Failing criteria: " + ", ".join(failed_criteria[:MAX_CRITERIA_NAMED]) +
                     (f" (+{more} more)" if more > 0 else ""))

    if failing:
        fails = Counter(f.control_id for f in failing)
        totals = Counter(f.control_id for f in ev.findings if f.status is not Status.SKIP)
        severity = {f.control_id: f.severity for f in failing}
        worst = sorted(fails, key=lambda cid: (-severity[cid].rank, -fails[cid], cid))
        width = max(len(cid) for cid in worst[:TOP_CONTROLS])
        lines.append("Top failing controls:" if len(worst) <= TOP_CONTROLS
                     else f"Top failing controls ({TOP_CONTROLS} of {len(worst)}):")
        for cid in worst[:TOP_CONTROLS]:
            lines.append(f"  {severity[cid].value:<8} {cid:<{width}}  {fails[cid]} of "
                         f"{_plural(totals[cid], 'resource')}")

    if changes is not None:
        lines.append(f"Since the previous scan: {_plural(len(changes.new_failures), 'new failure')}, "
                     f"{len(changes.resolved)} resolved, {len(changes.unknown_now)} no longer evaluable"
                     + ("; criteria changed: " + ", ".join(f"{c.id} {c.before}->{c.after}"
                                                           for c in changes.criteria[:MAX_CRITERIA_NAMED])
                        if changes.criteria else "; no criterion changed state"))

    errors = Counter(f.control_id for f in ev.findings if f.status is Status.ERROR)
    if errors:
        lines.append(f"Not evaluated: {_plural(sum(errors.values()), 'finding')} of "
                     f"{_plural(len(errors), 'control')} (ERROR: a read failed or the service was not collected; "
                     "unknown, never compliant)")

    lines.append(gate_line(g, errors=sum(errors.values())))
    if g.incomplete_exit:
        lines.append("--strict: the scan is incomplete (exit 3)")
    return lines


def gate_line(g: Gate, *, errors: int = 0) -> str:
    if g.fail_on is None:
        return "Gate: none (add --fail-on SEVERITY to exit 1 when a finding at or above it fails)"
    label = f"Gate --fail-on {g.fail_on.value}"
    if g.tripped:
        exit_code = 3 if g.incomplete_exit else 1
        return (f"{label}: TRIPPED, {_plural(g.failing, 'failing finding')} at {g.fail_on.value} or above "
                f"(exit {exit_code})")
    line = f"{label}: passed, no failing finding at {g.fail_on.value} or above"
    if errors:
        line += f"; {_plural(errors, 'finding')} could not be evaluated (unknown, not a pass)"
    return line
