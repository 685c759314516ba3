"""Evaluation: Inventory -> Findings -> SOC 2 criteria. Pure: no AWS call, no clock, no environment.

The engine, not each control, turns a failed read into ERROR: before a control sees a resource,
every CollectionError on an action the control needs (for that resource, or for the listing that
should have produced it) makes the finding ERROR with the reason. Unknown is never compliant.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import Any

from assay.collect.registry import load_collectors
from assay.controls.registry import Control, load_controls
from assay.errors import ConfigError
from assay.exceptions import ExceptionEntry, reference_date
from assay.exceptions import apply as apply_exceptions
from assay.frameworks import CriterionKind, Framework, soc2
from assay.gcpause import gc_paused
from assay.models.base import GLOBAL, Account, Resource
from assay.models.finding_rows import ControlMeta, Extra, FindingRows, Row, sort_key, status_counts
from assay.models.findings import Finding, Outcome, Status
from assay.models.inventory import CollectionError, Inventory

MAX_REASONS = 3


@dataclass(frozen=True)
class CriterionResult:
    id: str
    title: str
    category: str
    kind: CriterionKind
    status: str  # pass | pass_with_exceptions | fail | error | manual | inherited | not_applicable
    rationale: str
    evidence: str
    controls: tuple[str, ...]
    counts: dict[str, int]


@dataclass
class Evaluation:
    inventory: Inventory
    framework: Framework
    controls: dict[str, Control]
    findings: Sequence[Finding]  # FindingRows from evaluate(): built as they are read (see finding_rows)
    criteria: list[CriterionResult] = field(default_factory=list)
    exceptions: tuple[ExceptionEntry, ...] = ()  # the exceptions.yaml entries this evaluation applied

    @property
    def complete(self) -> bool:
        return self.inventory.complete

    def counts(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for (_, verdict, _), n in status_counts(self.findings).items():
            out[verdict.value] += n
        return out


def rollup(statuses: Iterable[Status]) -> str:
    seen = set(statuses)
    if Status.FAIL in seen:
        return "fail"
    if Status.ERROR in seen:
        return "error"
    if Status.PASS in seen:
        return "pass"
    return "not_applicable"


PASS_WITH_EXCEPTIONS = "pass_with_exceptions"


def rollup_excepted(results: Iterable[tuple[Status, bool]]) -> str:
    """rollup() of (status, excepted) pairs: an excepted failure does not fail, but says so."""
    items = list(results)
    status = rollup(Status.PASS if excepted else s for s, excepted in items)
    return PASS_WITH_EXCEPTIONS if status == "pass" and any(excepted for _, excepted in items) else status


def resolve_params(controls: dict[str, Control], overrides: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Merge user overrides into control defaults, refusing unknown controls and parameters."""
    out = {cid: dict(c.params) for cid, c in controls.items()}
    for cid, values in overrides.items():
        if cid not in controls:
            raise ConfigError(f"parameters given for unknown control {cid!r}")
        for name, value in values.items():
            if name not in controls[cid].params:
                known = ", ".join(controls[cid].params) or "none"
                raise ConfigError(f"control {cid} has no parameter {name!r} (parameters: {known})")
            default = controls[cid].params[name]
            if default is not None and not isinstance(value, type(default)):
                raise ConfigError(f"{cid}.{name} must be a {type(default).__name__}, got {value!r}")
            out[cid][name] = value
    return out


class _ErrorIndex:
    """CollectionErrors looked up by the action that failed."""

    def __init__(self, errors: list[CollectionError]) -> None:
        self.by_resource: dict[tuple[str, str], list[CollectionError]] = defaultdict(list)
        self.by_scope: dict[tuple[str, str, str], list[CollectionError]] = defaultdict(list)
        self.by_account: dict[tuple[str, str], list[CollectionError]] = defaultdict(list)
        # The same errors keyed for one lookup per resource: ARN -> action -> errors, and
        # (account, region) -> action -> errors for failed listings.
        self.arn_ops: dict[str, dict[str, list[CollectionError]]] = defaultdict(lambda: defaultdict(list))
        self.region_ops: dict[tuple[str, str], dict[str, list[CollectionError]]] = defaultdict(
            lambda: defaultdict(list))
        self.ops = {e.operation for e in errors}  # most controls need none of them: nothing to look up
        for e in errors:
            if e.resource_arn:
                self.by_resource[(e.resource_arn, e.operation)].append(e)
                self.arn_ops[e.resource_arn][e.operation].append(e)
            else:
                self.by_scope[(e.account_id, e.region, e.operation)].append(e)
                self.region_ops[(e.account_id, e.region)][e.operation].append(e)
            self.by_account[(e.account_id, e.operation)].append(e)
        self._reasons: dict[tuple[int, ...], str] = {}
        self._regional: dict[tuple[str, str, tuple[str, ...]], list[CollectionError]] = {}

    def for_resource(self, r: Resource, needs: tuple[str, ...]) -> list[CollectionError]:
        """Errors on the resource's own reads, then its region's listing, then the account's global one.

        Most resources have no error of their own: theirs are their region's, looked up once per
        (account, region, needs) and shared (the list is only read)."""
        if self.ops.isdisjoint(needs):
            return []
        own = self.arn_ops.get(r.arn)
        if own is not None:
            return self._collect(own, r.account_id, r.region, needs)
        return self.regional(r.account_id, r.region, needs)

    def regional(self, account_id: str, region: str, needs: tuple[str, ...]) -> list[CollectionError]:
        """for_resource() of a resource with no failed read of its own: its region's and account's."""
        key = (account_id, region, needs)
        found = self._regional.get(key)
        if found is None:
            found = self._regional[key] = self._collect(None, account_id, region, needs)
        return found

    def _collect(self, own: dict[str, list[CollectionError]] | None, account_id: str, region: str,
                 needs: tuple[str, ...]) -> list[CollectionError]:
        found = [own, self.region_ops.get((account_id, region)),
                 self.region_ops.get((account_id, GLOBAL)) if region != GLOBAL else None]
        levels = [level for level in found if level is not None]
        if not levels:
            return []
        return [e for op in needs for level in levels for e in level.get(op, ())]

    def reason(self, errors: list[CollectionError]) -> str:
        """_reason(), built once per distinct set of errors (a failed listing errs thousands of resources)."""
        key = tuple(map(id, errors))
        text = self._reasons.get(key)
        if text is None:
            text = self._reasons[key] = _reason(errors)
        return text

    def scopes(self, account_id: str, needs: tuple[str, ...]) -> dict[str, list[CollectionError]]:
        out: dict[str, list[CollectionError]] = defaultdict(list)
        if self.ops.isdisjoint(needs):
            return out
        for (acct, region, op), errs in self.by_scope.items():
            if acct == account_id and op in needs:
                out[region] += errs
        return out

    def orphans(self, account_id: str, needs: tuple[str, ...], known: set[str]) -> dict[str, list[CollectionError]]:
        """Errors on resources that never made it into the inventory (their first read failed)."""
        out: dict[str, list[CollectionError]] = defaultdict(list)
        if self.ops.isdisjoint(needs):
            return {}
        for (arn, op), errs in self.by_resource.items():
            if op in needs and arn not in known:
                out[arn] += [e for e in errs if e.account_id == account_id]
        return {arn: errs for arn, errs in out.items() if errs}

    def for_account(self, account_id: str, needs: tuple[str, ...]) -> list[CollectionError]:
        return [e for op in needs for e in self.by_account.get((account_id, op), [])]


def _reason(errors: list[CollectionError]) -> str:
    parts = list(dict.fromkeys(e.describe() for e in errors))
    more = f" (+{len(parts) - MAX_REASONS} more)" if len(parts) > MAX_REASONS else ""
    return "could not evaluate: " + "; ".join(parts[:MAX_REASONS]) + more


def _services_for(control: Control, action_services: dict[str, set[str]]) -> set[str]:
    return {svc for op in control.needs for svc in action_services.get(op, set())}


@dataclass(frozen=True)
class _Scope:
    """What every control's evaluation reads besides the control itself."""

    inv: Inventory
    errors: _ErrorIndex
    resolved: dict[str, dict[str, Any]]
    control_criteria: dict[str, list[str]]
    action_services: dict[str, set[str]]
    covered: set[tuple[str, str]]
    known: set[str]

    def meta(self, control: Control) -> ControlMeta:
        return ControlMeta(control.id, control.title, control.severity,
                           sorted(self.control_criteria.get(control.id, [])))


@gc_paused  # millions of acyclic objects: collections would cost more than the evaluation
def evaluate(
    inv: Inventory,
    *,
    params: dict[str, dict[str, Any]] | None = None,
    controls: dict[str, Control] | None = None,
    framework: Framework | None = None,
    exceptions: Sequence[ExceptionEntry] = (),
) -> Evaluation:
    controls = controls if controls is not None else load_controls()
    framework = framework or soc2()
    action_services: dict[str, set[str]] = defaultdict(set)
    for spec in load_collectors().values():
        for op in spec.permissions:
            action_services[op].add(spec.service)
    scope = _Scope(
        inv=inv, errors=_ErrorIndex(inv.errors), resolved=resolve_params(controls, params or {}),
        control_criteria=framework.control_map(), action_services=action_services,
        covered={(c.account_id, c.service) for c in inv.coverage}, known=_known(inv),
    )
    ordered = sorted(controls.values(), key=lambda c: c.id)
    per_control: dict[str, list[Row]] = {}
    by_subject: dict[type[Resource], list[Control]] = defaultdict(list)
    for control in ordered:
        if control.account_level:
            per_control[control.id] = account_rows(control, scope)
        else:
            by_subject[control.subject].append(control)
    for subject, group in by_subject.items():
        per_control.update(resource_rows(subject, group, scope))
    findings: list[Row] = []
    for control in ordered:
        findings += per_control.pop(control.id)
    result: Sequence[Finding] = FindingRows(findings)
    if exceptions:  # judged against the collection date, never the clock
        result = apply_exceptions(result, exceptions, reference_date(inv.collected_at))
    ev = Evaluation(inv, framework, controls, result, exceptions=tuple(exceptions))
    ev.criteria = _criteria(framework, result)
    return ev


def _known(inv: Inventory) -> set[str]:
    """The ARNs, among those of failed reads, that are in the inventory (the others are lost resources)."""
    wanted = {e.resource_arn for e in inv.errors if e.resource_arn}
    return {r.arn for r in inv.resources() if r.arn in wanted} if wanted else set()


def account_rows(control: Control, scope: _Scope) -> list[Row]:
    """An account-level control's findings: one per scanned account, in account order."""
    inv, errors = scope.inv, scope.errors
    state = _ControlState(control, scope)
    judge = _bind(control, inv, scope.resolved[control.id])
    for account_id in inv.account_ids():
        account = inv.account(account_id)
        if state.missing(account_id, account):
            continue
        errs = errors.for_account(account_id, control.needs)
        outcome = Outcome(Status.ERROR, errors.reason(errs)) if errs else judge(account)
        state.add(account, outcome)
    return state.rows


def resource_rows(subject: type[Resource], group: list[Control], scope: _Scope) -> dict[str, list[Row]]:
    """The findings of every control on one resource type, each control's sorted by (account, region,
    resource ARN, id) without sorting them all: accounts are taken in order, an account's resources are in
    (region, ARN) order in the inventory, and only the few rows for lost resources or failed listings are
    placed by bisection.

    Resource by resource, every control of the type in turn: at a million resources, reading each
    resource once for all its controls, rather than once per control, is what keeps memory access from
    dominating the run.
    """
    inv, errors = scope.inv, scope.errors
    states = [_ControlState(control, scope) for control in group]
    crashed, arn_ops, error = _crashed, errors.arn_ops, Status.ERROR
    for account_id in inv.account_ids():
        account = inv.account(account_id)
        active = [state for state in states if not state.missing(account_id, account)]
        if not active:
            continue
        starts = [len(state.rows) for state in active]
        plans = [state.plan() for state in active]
        may_fail = any(state.needs for state in active)
        for region, resources in groupby(inv.in_account(subject, account_id), key=_REGION):
            # A failed regional listing errs every resource of the region: its reason is made once per region.
            plan = [(*p, _reason_or_none(errors, errors.regional(account_id, region, p[3])) if p[3] else None)
                    for p in plans]
            # The hot loop: once per (resource, control), with the control call inlined.
            for r in resources:
                own = may_fail and r.arn in arn_ops  # the resource's own reads failed: looked up per control
                for func, kwargs, meta, needs, append, reason in plan:
                    if own and needs:
                        reason = _reason_or_none(errors, errors.for_resource(r, needs))
                    if reason:
                        status, message = error, reason
                    else:
                        try:
                            outcome = func(r, **kwargs) if kwargs else func(r)
                        except Exception as exc:  # a control bug is an ERROR for that resource, never a PASS
                            outcome = crashed(exc)
                        status, message = outcome if isinstance(outcome, Outcome) else _NO_VERDICT
                    append((r, meta, status, message, None))
        for state, start in zip(active, starts, strict=True):
            state.lost_and_unlisted(account_id, account, start)
    return {state.control.id: state.rows for state in states}


def _reason_or_none(errors: _ErrorIndex, failed: list[CollectionError]) -> str | None:
    return errors.reason(failed) if failed else None


_NO_VERDICT = Outcome(Status.ERROR, "control returned no verdict")
_REGION = attrgetter("region")


def _crashed(exc: Exception) -> Outcome:
    return Outcome(Status.ERROR, f"control failed: {type(exc).__name__}: {exc}")


class _ControlState:
    """One control's findings as they are made, account by account."""

    def __init__(self, control: Control, scope: _Scope) -> None:
        self.control = control
        self.scope = scope
        self.meta = scope.meta(control)
        self.rows: list[Row] = []
        self.services = sorted(_services_for(control, scope.action_services))
        self.call, self.kwargs = _callable(control, scope.inv, scope.resolved[control.id])
        # The needed reads that failed somewhere: most controls have none, and look nothing up.
        self.needs = tuple(op for op in control.needs if op in scope.errors.ops)

    def add(self, subject: Resource, outcome: Outcome, extra: Extra | None = None) -> None:
        self.rows.append((subject, self.meta, outcome.status, outcome.message, extra))

    def missing(self, account_id: str, account: Account) -> bool:
        """A service the control reads was not collected for the account: one ERROR for the account."""
        missing = [s for s in self.services if (account_id, s) not in self.scope.covered]
        if missing:
            self.add(account, Outcome(Status.ERROR, f"not collected in this scan: {', '.join(missing)}"))
        return bool(missing)

    def plan(self) -> tuple[Callable[..., Any], dict[str, Any], ControlMeta, tuple[str, ...],
                            Callable[[Row], None]]:
        """What the hot loop needs for this control."""
        return self.call, self.kwargs, self.meta, self.needs, self.rows.append

    def lost_and_unlisted(self, account_id: str, account: Account, start: int) -> None:
        """ERROR rows for resources lost to a failed description and regions whose listing failed,
        placed among the account's rows (from `start`) in order."""
        control, errors = self.control, self.scope.errors
        regular = len(self.rows)
        # A resource whose description failed may be missing from the inventory: still report it.
        for arn, errs in sorted(errors.orphans(account_id, control.needs, self.scope.known).items()):
            ghost = Account(arn=arn, id=arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1], account_id=account_id,
                            region=errs[0].region)
            self.add(ghost, Outcome(Status.ERROR, errors.reason(errs)), Extra(arn, control.subject.type))
        # A failed listing may hide resources: say so once per affected region.
        for region, errs in sorted(errors.scopes(account_id, control.needs).items()):
            where = Account(
                arn=f"arn:{account.partition}:{control.service}:{'' if region == GLOBAL else region}"
                    f":{account_id}:*",
                id=f"{control.subject.type} in {region}", account_id=account_id, region=region,
            )
            self.add(where, Outcome(Status.ERROR, errors.reason(errs)), Extra(f"scope:{region}", control.subject.type))
        if len(self.rows) > regular:
            extra = self.rows[regular:]
            del self.rows[regular:]
            for row in extra:
                bisect.insort(self.rows, row, lo=start, key=sort_key)


@functools.cache
def _wants(func: Any) -> tuple[bool, bool]:
    """Whether a control function takes `inv` and `now`, read once per function."""
    names = func.__code__.co_varnames[: func.__code__.co_argcount]
    return "inv" in names, "now" in names


def _callable(control: Control, inv: Inventory, params: dict[str, Any]) -> tuple[Callable[..., Any], dict[str, Any]]:
    """The control's function and its keyword arguments, put together once instead of once per resource."""
    wants_inv, wants_now = _wants(control.func)
    extra: dict[str, Any] = {}
    if wants_inv:
        extra["inv"] = inv
    if wants_now:
        extra["now"] = inv.collected_at
    if extra.keys() & params.keys():  # cannot be passed together: _run reports it, as for any control bug
        return (lambda subject: _run(control, subject, inv, params)), {}
    return control.func, {**extra, **params}


def _bind(control: Control, inv: Inventory, params: dict[str, Any]) -> Callable[[Resource], Outcome]:
    """The control as a function of its subject that always gives a verdict."""
    func, kwargs = _callable(control, inv, params)

    def judge(subject: Resource) -> Outcome:
        try:
            outcome = func(subject, **kwargs)
        except Exception as exc:  # a control bug is an ERROR for that resource, never a PASS
            return _crashed(exc)
        return outcome if isinstance(outcome, Outcome) else _NO_VERDICT

    return judge


def _run(control: Control, subject: Resource, inv: Inventory, kwargs: dict[str, Any]) -> Outcome:
    extra: dict[str, Any] = {}
    wants_inv, wants_now = _wants(control.func)
    if wants_inv:
        extra["inv"] = inv
    if wants_now:
        extra["now"] = inv.collected_at
    try:
        outcome = control.func(subject, **extra, **kwargs)
    except Exception as exc:  # a control bug is an ERROR for that resource, never a PASS
        return Outcome(Status.ERROR, f"control failed: {type(exc).__name__}: {exc}")
    if not isinstance(outcome, Outcome):
        return Outcome(Status.ERROR, "control returned no verdict")
    return outcome


def _criteria(framework: Framework, findings: Sequence[Finding]) -> list[CriterionResult]:
    # (status, excepted) counted per control: rollups depend on which pairs occur, counts on how often.
    by_control: dict[str, Counter[tuple[Status, bool]]] = defaultdict(Counter)
    for (control_id, verdict, excepted), n in status_counts(findings).items():
        by_control[control_id][(verdict, excepted)] = n
    out = []
    for c in framework.criteria:
        relevant: Counter[tuple[Status, bool]] = Counter()
        for cid in c.controls:
            relevant.update(by_control.get(cid, Counter()))
        counts: Counter[str] = Counter()
        for (verdict, excepted), n in relevant.items():
            counts["excepted" if excepted else verdict.value] += n
        if c.kind is CriterionKind.AUTOMATED:
            status = rollup_excepted(relevant)
        else:
            status = c.kind.value
        out.append(CriterionResult(
            id=c.id, title=c.title, category=c.category, kind=c.kind, status=status,
            rationale=c.rationale, evidence=c.evidence, controls=c.controls,
            counts={**{s.value: counts.get(s.value, 0) for s in Status}, "excepted": counts.get("excepted", 0)},
        ))
    return out
