"""Assay as a library: the same scan the command line runs, for people embedding it in their tools.

    import assay
    from assay.api import collect

    inventory = collect(regions=["us-east-1"])                      # boto3's default credentials
    result = assay.evaluate(inventory)                              # pure: no AWS call
    result = assay.scan(role_arns=["arn:aws:iam::111122223333:role/AssayScan"], regions=["eu-west-1"])
    assay.write_report(result, "html", "soc2.html")

`evaluate` also takes a snapshot path, so a saved inventory can be re-evaluated offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import Any

from assay.collect.organization import DEFAULT_ORG_ROLE
from assay.collect.ratelimit import DEFAULT_MAX_RATE
from assay.collect.runner import collect as _collect
from assay.collect.targets import OrgOptions, build_targets
from assay.engine import CriterionResult, Evaluation
from assay.engine import evaluate as _evaluate
from assay.frameworks import load as load_framework
from assay.models.findings import Finding, Severity, Status
from assay.models.inventory import Inventory
from assay.reporters import get as get_reporter
from assay.scope import select


def collect(
    *,
    profile: str | None = None,
    role_arns: list[str] | None = None,
    external_id: str | None = None,
    regions: list[str] | None = None,
    services: list[str] | None = None,
    endpoint_url: str | None = None,
    max_workers: int = 8,
    max_rate: float | None = DEFAULT_MAX_RATE,
    profiles: list[str] | None = None,
    organization: bool = False,
    ous: list[str] | None = None,
    accounts: list[str] | None = None,
    exclude_accounts: list[str] | None = None,
    org_role: str = DEFAULT_ORG_ROLE,
    accounts_file: str | PathLike[str] | None = None,
) -> Inventory:
    """Read the accounts into one Inventory: the caller's own, one per profile or role ARN, the accounts of an
    accounts file, or (organization=True) the organisation's ACTIVE accounts, filtered by OU and account id.
    """
    org = OrgOptions(ous=ous or (), accounts=accounts or (), exclude_accounts=exclude_accounts or (),
                     role=org_role) if organization else None
    targets = build_targets(
        profiles=[*([profile] if profile else []), *(profiles or [])], role_arns=role_arns or [],
        external_id=external_id, endpoint_url=endpoint_url, max_rate=max_rate, organization=org,
        accounts_file=Path(accounts_file) if accounts_file is not None else None,
    )
    return targets.record(_collect(targets.accesses, regions=regions, services=services, max_workers=max_workers))


def evaluate(inventory: Inventory | str | PathLike[str], *, framework: str = "soc2",
             params: dict[str, dict[str, Any]] | None = None,
             exceptions: str | PathLike[str] | None = None,
             only_criteria: str | Iterable[str] | None = None,
             only_controls: str | Iterable[str] | None = None) -> Evaluation:
    """Findings and criteria for an Inventory or a snapshot file; `exceptions`: an exceptions.yaml.

    `only_criteria` / `only_controls` ("CC6.1,CC6.6" or a list) restrict what is evaluated and reported,
    as --only-criteria / --only-controls do.
    """
    from assay.exceptions import load as load_exceptions

    entries = load_exceptions(Path(exceptions)).exceptions if exceptions is not None else ()
    scope = select(load_framework(framework), criteria=only_criteria, controls=only_controls)
    inv = inventory if isinstance(inventory, Inventory) else Inventory.load(Path(inventory))
    if not scope.restricted:
        return _evaluate(inv, params=params, framework=scope.framework, exceptions=entries)
    return scope.evaluate(inv, params, entries)


def scan(*, framework: str = "soc2", params: dict[str, dict[str, Any]] | None = None,
         exceptions: str | PathLike[str] | None = None, only_criteria: str | Iterable[str] | None = None,
         only_controls: str | Iterable[str] | None = None, **collect_args: Any) -> Evaluation:
    """collect() then evaluate(); bad exceptions, criteria or controls fail before any AWS call.

    A scan restricted with only_criteria / only_controls collects only the services its controls read,
    unless `services` is given.
    """
    if exceptions is not None:
        from assay.exceptions import load as load_exceptions

        load_exceptions(Path(exceptions))
    scope = select(load_framework(framework), criteria=only_criteria, controls=only_controls)
    if scope.restricted and collect_args.get("services") is None:
        collect_args["services"] = scope.services()
    return evaluate(collect(**collect_args), framework=framework, params=params, exceptions=exceptions,
                    only_criteria=only_criteria, only_controls=only_controls)


def write_report(result: Evaluation, fmt: str, path: str | PathLike[str]) -> None:
    """Write one report (console, json, csv, html, ocsf, asff, sarif, junit, markdown) to a file.

    Atomically and owner-only; a CSV report also gets its coverage file (report.coverage.csv).
    """
    from assay.reporters.coverage import write_report as write_atomically

    write_atomically(result, get_reporter(fmt), Path(path))


__all__ = ["CriterionResult", "Evaluation", "Finding", "Inventory", "Severity", "Status", "collect", "evaluate",
           "scan", "write_report"]
