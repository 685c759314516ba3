"""The engine judges a resource type's controls resource by resource: each control still gets exactly
its own findings, in order, and a control's bug or missing verdict is an ERROR, never a PASS."""

from __future__ import annotations

from typing import Any

from assay.controls.registry import Control, Remediation, load_controls
from assay.engine import evaluate
from assay.models.base import GLOBAL, Account
from assay.models.findings import Fail, Outcome, Pass, Severity, Status
from assay.models.inventory import (
    AccountInfo,
    CollectionError,
    Coverage,
    CoverageStatus,
    ErrorKind,
    Inventory,
    RegionInfo,
    RegionStatus,
    ScanMeta,
)
from assay.models.resources.logs import LogGroup

ACCOUNTS = ("222222222222", "111111111111")
REGIONS = ("us-east-1", "eu-west-1")
META = ScanMeta(scan_id="t", tool_version="t", started_at="2025-01-01T00:00:00Z",
                finished_at="2025-01-01T01:00:00Z")


def group(account: str, region: str, name: str, retention: int | None = 30) -> LogGroup:
    return LogGroup(arn=f"arn:aws:logs:{region}:{account}:log-group:{name}", id=name, account_id=account,
                    region=region, name=name, retention_in_days=retention)


def inventory(groups: list[LogGroup], errors: list[CollectionError] | None = None) -> Inventory:
    return Inventory(
        META, [AccountInfo(account_id=a) for a in ACCOUNTS],
        [RegionInfo(account_id=a, region=r, status=RegionStatus.SCANNED) for a in ACCOUNTS for r in REGIONS],
        [Coverage(account_id=a, region=r, service="logs", status=CoverageStatus.COMPLETE)
         for a in ACCOUNTS for r in (*REGIONS, GLOBAL)],
        groups, errors or [])


def make(cid: str, func: Any, subject: type = LogGroup, params: dict[str, Any] | None = None,
         needs: tuple[str, ...] = ("logs:DescribeLogGroups",)) -> Control:
    return Control(id=cid, title=cid, severity=Severity.LOW, needs=needs, rationale="r",
                   remediation=Remediation("c", "c", "t"), subject=subject, params=params or {}, func=func)


def retained(g: LogGroup) -> Outcome:
    return Pass("kept") if g.retention_in_days else Fail(f"{g.name} kept forever")


def named(g: LogGroup) -> Outcome:
    return Pass("named") if g.name.startswith("app") else Fail("unnamed")


def crashes(g: LogGroup) -> Outcome:
    if g.name == "app-2":
        raise KeyError("boom")
    return Pass("fine")


def silent(g: LogGroup) -> Outcome:
    return None  # type: ignore[return-value]


def takes_inv(g: LogGroup, inv: Inventory, *, inv_param: int = 1) -> Outcome:
    return Pass(f"{len(inv.in_account(LogGroup, g.account_id))} groups in the account")


ESTATE = [group(a, r, f"{p}-{n}", None if n == 1 else 30)
          for a in ACCOUNTS for r in REGIONS for p in ("app", "db") for n in range(3)]


def keyed(findings: Any) -> list[tuple[str, str, str, str, str, str]]:
    return [(f.control_id, f.account_id, f.region, f.resource_arn, f.status.value, f.message) for f in findings]


def test_controls_of_one_type_get_the_findings_they_get_alone() -> None:
    inv = inventory(list(reversed(ESTATE)))
    controls = {c.id: c for c in (make("t.retained", retained), make("t.named", named),
                                  make("t.crashes", crashes), make("t.silent", silent))}
    together = keyed(evaluate(inv, controls=controls).findings)
    alone = [row for cid in sorted(controls) for row in keyed(evaluate(inv, controls={cid: controls[cid]}).findings)]
    assert together == alone
    assert together == sorted(together, key=lambda k: (k[0], k[1], k[2], k[3]))
    assert len(together) == 4 * len(ESTATE)
    by = {(k[0], k[3].rsplit(":", 1)[-1], k[1], k[2]): (k[4], k[5]) for k in together}
    assert by[("t.retained", "app-1", ACCOUNTS[0], REGIONS[0])] == ("fail", "app-1 kept forever")
    assert by[("t.retained", "app-0", ACCOUNTS[0], REGIONS[0])] == ("pass", "kept")
    assert by[("t.named", "db-0", ACCOUNTS[1], REGIONS[1])] == ("fail", "unnamed")


def test_a_control_bug_or_no_verdict_is_an_error_for_that_resource_only() -> None:
    controls = {"t.crashes": make("t.crashes", crashes), "t.silent": make("t.silent", silent)}
    findings = evaluate(inventory(ESTATE), controls=controls).findings
    crashed = [f for f in findings if f.control_id == "t.crashes" and f.status is Status.ERROR]
    assert {f.resource_name for f in crashed} == {"app-2"} and len(crashed) == len(ACCOUNTS) * len(REGIONS)
    assert all(f.message == "control failed: KeyError: 'boom'" for f in crashed)
    assert {f.status for f in findings if f.control_id == "t.silent"} == {Status.ERROR}
    assert {f.message for f in findings if f.control_id == "t.silent"} == {"control returned no verdict"}


def test_inventory_and_parameters_reach_the_control_and_a_clash_is_an_error() -> None:
    inv = inventory(ESTATE)
    ok = evaluate(inv, controls={"t.inv": make("t.inv", takes_inv, params={"inv_param": 1})}).findings
    assert {f.message for f in ok} == {"12 groups in the account"}

    def clash(g: LogGroup, inv: Inventory, **kwargs: Any) -> Outcome:
        return Pass("never")

    bad = make("t.clash", clash, params={"inv": 1})
    findings = evaluate(inv, controls={"t.clash": bad}, params={}).findings
    assert {f.status for f in findings} == {Status.ERROR}
    assert all(f.message.startswith("control failed: TypeError") for f in findings)


def test_a_failed_read_errs_only_the_controls_that_need_it() -> None:
    target = ESTATE[0]
    denied = CollectionError(account_id=target.account_id, region=target.region, service="logs",
                             operation="logs:DescribeMetricFilters", code="AccessDenied", kind=ErrorKind.DENIED,
                             message="denied", resource_arn=target.arn)
    controls = {"t.retained": make("t.retained", retained),
                "t.filters": make("t.filters", named, needs=("logs:DescribeMetricFilters",))}
    findings = evaluate(inventory(ESTATE, [denied]), controls=controls).findings
    errored = {(f.control_id, f.resource_arn) for f in findings if f.status is Status.ERROR}
    assert errored == {("t.filters", target.arn)}
    assert next(f for f in findings if (f.control_id, f.resource_arn) == ("t.filters", target.arn)).message == \
        "could not evaluate: logs:DescribeMetricFilters failed on " + target.arn + ": AccessDenied (denied); " \
        "grant logs:DescribeMetricFilters"


def test_every_registered_control_batched_equals_alone_on_a_mixed_estate() -> None:
    """The real library: one type's controls judged together give what each gives alone."""
    library = load_controls()
    inv = inventory(ESTATE)
    chosen = {cid: c for cid, c in library.items() if c.subject is LogGroup}
    assert len(chosen) >= 3
    together = keyed(evaluate(inv, controls=chosen).findings)
    alone = [row for cid in sorted(chosen) for row in keyed(evaluate(inv, controls={cid: chosen[cid]}).findings)]
    assert together == alone


def test_inventory_lookups_by_account_region_and_arn() -> None:
    inv = inventory(list(reversed(ESTATE)))
    a, r = ACCOUNTS[1], REGIONS[1]
    mine = inv.in_account(LogGroup, a)
    assert [(g.region, g.arn) for g in mine] == sorted((g.region, g.arn) for g in ESTATE if g.account_id == a)
    here = {g.arn for g in ESTATE if (g.account_id, g.region) == (a, r)}
    assert {g.arn for g in inv.in_account(LogGroup, a, r)} == here
    assert inv.in_account(LogGroup, "999999999999") == ()
    assert inv.in_account(Account, a) == ()
    assert inv.by_arn(LogGroup)[ESTATE[3].arn] == ESTATE[3]
    assert ESTATE[3].arn + "x" not in inv.by_arn(LogGroup)
    err = CollectionError(account_id=a, region=r, service="logs", operation="logs:X", code="AccessDenied",
                          kind=ErrorKind.DENIED, message="m", resource_arn=ESTATE[3].arn)
    with_errors = inventory(ESTATE, [err])
    assert list(with_errors.errors_on(ESTATE[3].arn)) == [err]
    assert with_errors.errors_on(ESTATE[4].arn) == ()
