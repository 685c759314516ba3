"""DynamoDB collector against moto's server, and ERROR (never PASS or FAIL) when its reads are denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import backup as backup_estate
from assay.demo.estate import dynamodb as dynamodb_estate
from assay.faults import deny
from tests.helpers import by_name, evaluate, findings_of, scan

backup_estate.ensure_moto_backup()  # the coverage controls read AWS Backup too

REGIONS = ["us-east-1", "eu-west-1"]
SERVICES = ["dynamodb", "backup"]


def test_collects_tables_and_evaluates(access: AwsAccess, seed: Any) -> None:
    dynamodb_estate.seed(seed, REGIONS)
    ev = evaluate(scan(access, SERVICES, regions=REGIONS))
    assert ev.inventory.complete
    assert by_name(ev, "dynamodb.table_pitr_enabled") == {
        "pass-orders": "pass", "fail-stale-events": "pass", "fail-eu-customers": "pass", "fail-sessions": "fail"}
    assert by_name(ev, "dynamodb.table_deletion_protection")["fail-sessions"] == "fail"
    assert by_name(ev, "dynamodb.table_deletion_protection")["pass-orders"] == "pass"
    assert by_name(ev, "dynamodb.table_kms_encrypted") == {
        "pass-orders": "pass", "fail-stale-events": "pass", "fail-eu-customers": "fail", "fail-sessions": "fail"}
    assert by_name(ev, "dynamodb.table_capacity_scales") == {
        "pass-orders": "pass", "fail-stale-events": "pass", "fail-eu-customers": "pass", "fail-sessions": "fail"}
    # No AWS Backup here: nothing selects or protects the tables.
    assert set(by_name(ev, "dynamodb.table_in_backup_plan").values()) == {"fail"}
    assert set(by_name(ev, "dynamodb.table_recently_backed_up").values()) == {"fail"}
    tagged = [t for t in ev.inventory.resources() if t.name == "pass-orders"]
    assert tagged[0].tags == {"backup": "daily", "team": "commerce"}


def test_no_tables_no_scaling_call(access: AwsAccess, seed: Any) -> None:
    inv = scan(access, ["dynamodb"])
    assert inv.complete and not [r for r in inv.resources() if r.type == "AWS::DynamoDB::Table"]
    assert "dynamodb:ListTables" in inv.meta.api_calls
    assert "application-autoscaling:DescribeScalableTargets" not in inv.meta.api_calls


ACTIONS = sorted({a for spec in load_collectors().values() if spec.service == "dynamodb" for a in spec.permissions})
CONTROLS = load_controls()


@pytest.mark.parametrize("action", ACTIONS)
def test_denied_read_is_error_never_a_verdict(access: AwsAccess, seed: Any, action: str) -> None:
    dynamodb_estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, SERVICES, regions=REGIONS))
    attempted = {e.region for e in ev.inventory.errors if e.operation == action}
    assert attempted == set(REGIONS), f"{action} was not called in every region"
    needing = [c for c in CONTROLS.values() if action in c.needs]
    assert needing
    for control in needing:
        found = findings_of(ev, control.id)
        assert not [f for f in found if f.status.value in ("pass", "fail")], control.id
        assert any(f.status.value == "error" and action in f.message for f in found), control.id
