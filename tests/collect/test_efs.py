"""EFS collector against moto's server, and ERROR (never PASS or FAIL) when its reads are denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import backup as backup_estate
from assay.demo.estate import efs as efs_estate
from assay.faults import deny
from tests.helpers import by_name, evaluate, findings_of, scan

backup_estate.ensure_moto_backup()  # the estate backs up a file system; coverage controls read AWS Backup

REGIONS = ["us-east-1", "eu-west-1"]
SERVICES = ["efs", "backup"]


def _estate(seed: Any) -> None:
    backup_estate.seed(seed, REGIONS)
    efs_estate.seed(seed, REGIONS)


def test_collects_file_systems_and_evaluates(access: AwsAccess, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, SERVICES, regions=REGIONS))
    assert ev.inventory.complete
    assert by_name(ev, "efs.file_system_encrypted") == {"pass-shared": "pass", "fail-scratch": "fail"}
    assert by_name(ev, "efs.file_system_in_backup_plan") == {"pass-shared": "pass", "fail-scratch": "fail"}
    assert by_name(ev, "efs.file_system_recently_backed_up") == {"pass-shared": "pass", "fail-scratch": "fail"}
    [scratch] = [f for f in findings_of(ev, "efs.file_system_in_backup_plan") if f.resource_name == "fail-scratch"]
    assert scratch.message == ("automatic backups are off and no backup plan selects this file system "
                               "(by ARN, resource type or tag)")


def test_selected_by_plan_without_automatic_backups(access: AwsAccess, seed: Any) -> None:
    """The backup policy off, but a plan's selection (resource wildcard AND a tag condition) assigns it."""
    _estate(seed)
    efs = seed("efs")
    efs.create_file_system(CreationToken="team-fs", Tags=[{"Key": "Name", "Value": "analytics-tmp"},
                                                          {"Key": "team", "Value": "analytics"}])
    ev = evaluate(scan(access, SERVICES, regions=["us-east-1"]))
    [found] = [f for f in findings_of(ev, "efs.file_system_in_backup_plan") if f.resource_name == "analytics-tmp"]
    assert (found.status.value, found.message) == ("pass", "assigned to backup plan(s) pass-daily-35d")


ACTIONS = sorted({a for spec in load_collectors().values() if spec.service == "efs" for a in spec.permissions})
CONTROLS = load_controls()


@pytest.mark.parametrize("action", ACTIONS)
def test_denied_read_is_error_never_a_verdict(access: AwsAccess, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, SERVICES, regions=["us-east-1"]))
    assert any(e.operation == action for e in ev.inventory.errors)
    for control in (c for c in CONTROLS.values() if action in c.needs):
        found = findings_of(ev, control.id)
        assert not [f for f in found if f.status.value in ("pass", "fail")], control.id
        assert any(f.status.value == "error" and action in f.message for f in found), control.id
