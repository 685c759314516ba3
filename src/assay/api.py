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

from os import PathLike
from pathlib import Path
from typing import Any

from assay.collect.ratelimit import DEFAULT_MAX_RATE
from assay.collect.runner import collect as _collect
from assay.collect.session import AwsAccess
from assay.engine import Evaluation
from assay.engine import evaluate as _evaluate
from assay.frameworks import load as load_framework
from assay.models.findings import Finding, Severity, Status
from assay.models.inventory import Inventory
from assay.reporters import get as get_reporter


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
) -> Inventory:
    """Read the accounts (the caller's own, or one per role ARN) into an Inventory."""
    targets: list[str | None] = [*role_arns] if role_arns else [None]
    accesses = [AwsAccess(profile=profile, role_arn=arn, external_id=external_id, endpoint_url=endpoint_url,
                          max_rate=max_rate) for arn in targets]
    return _collect(accesses, regions=regions, services=services, max_workers=max_workers)


def evaluate(inventory: Inventory | str | PathLike[str], *, framework: str = "soc2",
             params: dict[str, dict[str, Any]] | None = None) -> Evaluation:
    """Findings and criteria for an Inventory or a snapshot file."""
    fw = load_framework(framework)
    inv = inventory if isinstance(inventory, Inventory) else Inventory.load(Path(inventory))
    return _evaluate(inv, params=params, framework=fw)


def scan(*, framework: str = "soc2", params: dict[str, dict[str, Any]] | None = None, **collect_args: Any
         ) -> Evaluation:
    """collect() then evaluate()."""
    return evaluate(collect(**collect_args), framework=framework, params=params)


def write_report(result: Evaluation, fmt: str, path: str | PathLike[str]) -> None:
    """Write one report (console, json, csv, html, ocsf, asff, sarif, junit, markdown) to a file."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        get_reporter(fmt).write(result, fh)


__all__ = ["Evaluation", "Finding", "Inventory", "Severity", "Status", "collect", "evaluate", "scan",
           "write_report"]
