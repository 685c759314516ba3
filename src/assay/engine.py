"""Evaluation: Inventory -> Findings -> SOC 2 criteria. Pure: no AWS call, no clock, no environment.

The engine, not each control, turns a failed read into ERROR: before a control sees a resource,
every CollectionError on an action the control needs (for that resource, or for the listing that
should have produced it) makes the finding ERROR with the reason. Unknown is never compliant.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assay.collect.registry import load_collectors
from assay.controls.registry import Control, load_controls
from assay.errors import ConfigError
from assay.frameworks import CriterionKind, Framework, soc2
from assay.models.base import GLOBAL, Account, Resource
from assay.models.findings import Finding, Outcome, Status, finding_id
from assay.models.inventory import CollectionError, Inventory

MAX_REASONS = 3


@dataclass(frozen=True)
class CriterionResult:
    id: str
    title: str
    category: str
    kind: CriterionKind
    status: str  # pass | fail | error | manual | inherited | not_applicable
    rationale: str
    evidence: str
    controls: tuple[str, ...]
    counts: dict[str, int]


@dataclass
class Evaluation:
    inventory: Inventory
    framework: Framework
    controls: dict[str, Control]
    findings: list[Finding]
    criteria: list[CriterionResult] = field(default_factory=list)

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
        for e in errors:
            if e.resource_arn:
                self.by_resource[(e.resource_arn, e.operation)].append(e)
            else:
                self.by_scope[(e.account_id, e.region, e.operation)].append(e)
            self.by_account[(e.account_id, e.operation)].append(e)

    def for_resource(self, r: Resource, needs: tuple[str, ...]) -> list[CollectionError]:
        out: list[CollectionError] = []
        for op in needs:
            out += self.by_resource.get((r.arn, op), [])
            out += self.by_scope.get((r.account_id, r.region, op), [])
            if r.region != GLOBAL:
                out += self.by_scope.get((r.account_id, GLOBAL, op), [])
        return out

    def scopes(self, account_id: str, needs: tuple[str, ...]) -> dict[str, list[CollectionError]]:
        out: dict[str, list[CollectionError]] = defaultdict(list)
        for (acct, region, op), errs in self.by_scope.items():
            if acct == account_id and op in needs:
                out[region] += errs
        return out

    def orphans(self, account_id: str, needs: tuple[str, ...], known: set[str]) -> dict[str, list[CollectionError]]:
        """Errors on resources that never made it into the inventory (their first read failed)."""
        out: dict[str, list[CollectionError]] = defaultdict(list)
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


def evaluate(
    inv: Inventory,
    *,
    params: dict[str, dict[str, Any]] | None = None,
    controls: dict[str, Control] | None = None,
    framework: Framework | None = None,
) -> Evaluation:
    controls = controls if controls is not None else load_controls()
    framework = framework or soc2()
    resolved = resolve_params(controls, params or {})
    control_criteria = framework.control_map()
    errors = _ErrorIndex(inv.errors)
    action_services: dict[str, set[str]] = defaultdict(set)
    for spec in load_collectors().values():
        for op in spec.permissions:
            action_services[op].add(spec.service)
    covered = {(c.account_id, c.service) for c in inv.coverage}
    known = {r.arn for r in inv.resources()}

    findings: list[Finding] = []
    for control in controls.values():
        criteria = sorted(control_criteria.get(control.id, []))

        def make(r: Resource, outcome: Outcome, key: str | None = None, c: Control = control,
                 crit: list[str] = criteria) -> Finding:
            return Finding(
                id=finding_id(c.id, r.account_id, r.region, key or r.arn),
                control_id=c.id, title=c.title, severity=c.severity, status=outcome.status,
                resource_arn=r.arn, resource_id=r.id, resource_name=r.display_name,
                resource_type=r.type, region=r.region, account_id=r.account_id,
                message=outcome.message, criteria=crit,
            )

        kwargs = resolved[control.id]
        for account_id in inv.account_ids():
            account = inv.account(account_id)
            missing = sorted(s for s in _services_for(control, action_services) if (account_id, s) not in covered)
            if missing:
                note = f"not collected in this scan: {', '.join(missing)}"
                findings.append(make(account, Outcome(Status.ERROR, note)))
                continue
            if control.account_level:
                errs = errors.for_account(account_id, control.needs)
                outcome = Outcome(Status.ERROR, _reason(errs)) if errs else _run(control, account, inv, kwargs)
                findings.append(make(account, outcome))
                continue
            for r in inv.of(control.subject):
                if r.account_id != account_id:
                    continue
                errs = errors.for_resource(r, control.needs)
                outcome = Outcome(Status.ERROR, _reason(errs)) if errs else _run(control, r, inv, kwargs)
                findings.append(make(r, outcome))
            # A resource whose description failed may be missing from the inventory: still report it.
            for arn, errs in sorted(errors.orphans(account_id, control.needs, known).items()):
                region = errs[0].region
                ghost = Account(arn=arn, id=arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1], account_id=account_id,
                                region=region)
                f = make(ghost, Outcome(Status.ERROR, _reason(errs)))
                findings.append(f.model_copy(update={"resource_type": control.subject.type}))
            # A failed listing may hide resources: say so once per affected region.
            for region, errs in sorted(errors.scopes(account_id, control.needs).items()):
                scope = Account(
                    arn=f"arn:{account.partition}:{control.service}:{'' if region == GLOBAL else region}"
                        f":{account_id}:*",
                    id=f"{control.subject.type} in {region}", account_id=account_id, region=region,
                )
                f = make(scope, Outcome(Status.ERROR, _reason(errs)), key=f"scope:{region}")
                findings.append(f.model_copy(update={"resource_type": control.subject.type}))

    findings.sort(key=lambda f: (f.control_id, f.account_id, f.region, f.resource_arn, f.id))
    ev = Evaluation(inv, framework, controls, findings)
    ev.criteria = _criteria(framework, findings)
    return ev


def _run(control: Control, subject: Resource, inv: Inventory, kwargs: dict[str, Any]) -> Outcome:
    extra: dict[str, Any] = {}
    names = control.func.__code__.co_varnames[: control.func.__code__.co_argcount]
    if "inv" in names:
        extra["inv"] = inv
    if "now" in names:
        extra["now"] = inv.collected_at
    try:
        outcome = control.func(subject, **extra, **kwargs)
    except Exception as exc:  # a control bug is an ERROR for that resource, never a PASS
        return Outcome(Status.ERROR, f"control failed: {type(exc).__name__}: {exc}")
    if not isinstance(outcome, Outcome):
        return Outcome(Status.ERROR, "control returned no verdict")
    return outcome


def _criteria(framework: Framework, findings: list[Finding]) -> list[CriterionResult]:
    by_control: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_control[f.control_id].append(f)
    out = []
    for c in framework.criteria:
        relevant = [f for cid in c.controls for f in by_control.get(cid, [])]
        counts = Counter(f.status.value for f in relevant)
        if c.kind is CriterionKind.AUTOMATED:
            status = rollup(f.status for f in relevant)
        else:
            status = c.kind.value
        out.append(CriterionResult(
            id=c.id, title=c.title, category=c.category, kind=c.kind, status=status,
            rationale=c.rationale, evidence=c.evidence, controls=c.controls,
            counts={s.value: counts.get(s.value, 0) for s in Status},
        ))
    return out
