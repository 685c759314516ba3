"""Helpers for tests: run one service's collectors against moto, evaluate, pick findings."""

from __future__ import annotations

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.engine import Evaluation, evaluate
from assay.models.findings import Finding
from assay.models.inventory import Inventory

ACCOUNT = "123456789012"


def scan(access: AwsAccess, services: list[str], regions: list[str] | None = None) -> Inventory:
    return collect(access, regions=regions or ["us-east-1"], services=services, max_workers=4)


def findings_of(ev: Evaluation, control_id: str) -> list[Finding]:
    return [f for f in ev.findings if f.control_id == control_id]


def by_name(ev: Evaluation, control_id: str) -> dict[str, str]:
    """{resource name: status} for one control."""
    return {f.resource_name: f.status.value for f in findings_of(ev, control_id)}


__all__ = ["ACCOUNT", "by_name", "evaluate", "findings_of", "scan"]
