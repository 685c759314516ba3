"""Evaluation: Inventory -> Findings -> SOC 2 criteria. Pure: no AWS call, no clock, no environment.

The engine, not each control, turns a failed read into ERROR: before a control sees a resource,
every CollectionError on an action the control needs (for that resource, or for the listing that
should have produced it) makes the finding ERROR with the reason. Unknown is never compliant.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assay.collect.registry import load_collectors
from assay.controls.registry import Control, load_controls
from assay.errors import ConfigError
from assay.exceptions import ExceptionEntry, reference_date
from assay.exceptions import apply as apply_exceptions
from assay.frameworks import CriterionKind, Framework, soc2
from assay.gcpause import gc_paused
from assay.models.base import GLOBAL, Account, Resource
from assay.models.finding_rows import ControlMeta, FindingRows, Row, tally
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
        return Counter(f.status.value for f in self.findings)


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

    def for_resource(self, r: Resource, needs: tuple[str, ...]) -> list[CollectionError]:
        """Errors on the resource's own reads, then its region's listing, then the account's global one."""
        if self.ops.isdisjoint(needs):
            return []
        found = [self.arn_ops.get(r.arn), self.region_ops.get((r.account_id, r.region)),
                 self.region_ops.get((r.account_id, GLOBAL)) if r.region != GLOBAL else None]
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
        covered={(c.account_id, c.service) for c in inv.coverage}, known={r.arn for r in inv.resources()},
    )
    findings: list[Row] = []
    for control in sorted(controls.values(), key=lambda c: c.id):
        findings += control_rows(control, scope)
    result: Sequence[Finding] = FindingRows(findings)
    if exceptions:  # judged against the collection date, never the clock
        result = apply_exceptions(result, exceptions, reference_date(inv.collected_at))
    ev = Evaluation(inv, framework, controls, result, exceptions=tuple(exceptions))
    ev.criteria = _criteria(framework, result)
    return ev


def control_rows(control: Control, scope: _Scope) -> list[Row]:
    """One control's findings, sorted by (account, region, resource ARN, id) without sorting them all:
    accounts are taken in order, an account's resources are in (region, ARN) order in the inventory,
    and only a block that also reports lost resources or failed listings is sorted."""
    inv, errors = scope.inv, scope.errors
    meta = scope.meta(control)
    ids = _Ids(control.id)

    def make(r: Resource, outcome: Outcome, key: str | None = None, c: ControlMeta = meta,
             resource_type: str | None = None, ids: _Ids = ids) -> Row:
        fid = ids(r.account_id, r.region, key or r.arn)
        return _new_row(Row, (r, c, outcome.status, outcome.message, fid, resource_type))

    findings: list[Row] = []
    append = findings.append
    judge = _bind(control, inv, scope.resolved[control.id])
    needs = tuple(op for op in control.needs if op in errors.ops)  # the needed reads that failed somewhere
    may_fail = bool(needs)  # else no resource can have a failed read
    for account_id in inv.account_ids():
        account = inv.account(account_id)
        missing = sorted(s for s in _services_for(control, scope.action_services)
                         if (account_id, s) not in scope.covered)
        if missing:
            note = f"not collected in this scan: {', '.join(missing)}"
            findings.append(make(account, Outcome(Status.ERROR, note)))
            continue
        if control.account_level:
            errs = errors.for_account(account_id, control.needs)
            outcome = Outcome(Status.ERROR, errors.reason(errs)) if errs else judge(account)
            findings.append(make(account, outcome))
            continue
        start = len(findings)
        # The hot loop, with make() and _Ids inlined: it runs once per (control, resource).
        prefix = hashlib.sha256(f"{control.id}\x1f{account_id}\x1f".encode())
        for r in _of_account(inv, control.subject, account_id):
            failed = errors.for_resource(r, needs) if may_fail else None
            outcome = Outcome(Status.ERROR, errors.reason(failed)) if failed else judge(r)
            digest = prefix.copy()
            digest.update(f"{r.region}\x1f{r.arn}".encode())
            append(_new_row(Row, (r, meta, outcome.status, outcome.message, digest.hexdigest()[:24], None)))
        regular = len(findings)
        # A resource whose description failed may be missing from the inventory: still report it.
        for arn, errs in sorted(errors.orphans(account_id, control.needs, scope.known).items()):
            region = errs[0].region
            ghost = Account(arn=arn, id=arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1], account_id=account_id,
                            region=region)
            findings.append(make(ghost, Outcome(Status.ERROR, errors.reason(errs)), resource_type=control.subject.type))
        # A failed listing may hide resources: say so once per affected region.
        for region, errs in sorted(errors.scopes(account_id, control.needs).items()):
            where = Account(
                arn=f"arn:{account.partition}:{control.service}:{'' if region == GLOBAL else region}"
                    f":{account_id}:*",
                id=f"{control.subject.type} in {region}", account_id=account_id, region=region,
            )
            findings.append(make(where, Outcome(Status.ERROR, errors.reason(errs)), key=f"scope:{region}",
                                 resource_type=control.subject.type))
        if len(findings) > regular:  # the resources are in order: only the few extra rows are placed
            extra = findings[regular:]
            del findings[regular:]
            for row in extra:
                bisect.insort(findings, row, lo=start, key=Row.sort_key)
    return findings


def _of_account(inv: Inventory, cls: type[Resource], account_id: str) -> Sequence[Resource]:
    """One account's resources of a type, in inventory order: grouped once, not filtered per control."""
    def group() -> dict[str, list[Resource]]:
        out: dict[str, list[Resource]] = defaultdict(list)
        for r in inv.of(cls):
            out[r.account_id].append(r)
        return out

    return inv.memo(("engine.by_account", cls.type), group).get(account_id, ())


@functools.cache
def _wants(func: Any) -> tuple[bool, bool]:
    """Whether a control function takes `inv` and `now`, read once per function."""
    names = func.__code__.co_varnames[: func.__code__.co_argcount]
    return "inv" in names, "now" in names


_new_row = tuple.__new__  # a Row without NamedTuple's argument handling: millions are made


class _Ids:
    """finding_id() for one control's findings, the (control, account) part hashed once per account."""

    def __init__(self, control_id: str) -> None:
        self.control_id = control_id
        self.account: str | None = None
        self.prefix = hashlib.sha256()

    def __call__(self, account_id: str, region: str, key: str) -> str:
        if account_id != self.account:
            self.account = account_id
            self.prefix = hashlib.sha256(f"{self.control_id}\x1f{account_id}\x1f".encode())
        digest = self.prefix.copy()
        digest.update(f"{region}\x1f{key}".encode())
        return digest.hexdigest()[:24]  # == finding_id(control_id, account_id, region, key)


def _bind(control: Control, inv: Inventory, kwargs: dict[str, Any]) -> Callable[[Resource], Outcome]:
    """_run() for one control, with its arguments put together once instead of once per resource."""
    wants_inv, wants_now = _wants(control.func)
    extra: dict[str, Any] = {}
    if wants_inv:
        extra["inv"] = inv
    if wants_now:
        extra["now"] = inv.collected_at
    if extra.keys() & kwargs.keys():  # cannot be passed together: _run reports it, as for any control bug
        return lambda subject: _run(control, subject, inv, kwargs)
    func, arguments = control.func, {**extra, **kwargs}

    def judge(subject: Resource) -> Outcome:
        try:
            outcome = func(subject, **arguments)
        except Exception as exc:  # a control bug is an ERROR for that resource, never a PASS
            return Outcome(Status.ERROR, f"control failed: {type(exc).__name__}: {exc}")
        if not isinstance(outcome, Outcome):
            return Outcome(Status.ERROR, "control returned no verdict")
        return outcome

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
    for control_id, _, verdict, excepted in tally(findings):
        by_control[control_id][(verdict, excepted)] += 1
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
