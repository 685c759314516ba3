"""AWS Backup collectors against moto's server (taught the calls moto 5.2 lacks, as the demo does),
AWS-shaped answers through botocore's Stubber, and ERROR (never PASS or FAIL) when a read is denied."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from assay.collect.aws.backup import collect_region
from assay.collect.calls import Ctx
from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import backup as backup_estate
from assay.demo.estate import dynamodb as dynamodb_estate
from assay.demo.estate import efs as efs_estate
from assay.demo.estate import rds as rds_estate
from assay.faults import deny
from assay.models.resources.backup import BackupRegion
from tests.helpers import by_name, evaluate, findings_of, scan

backup_estate.ensure_moto_backup()  # before this process's first AWS Backup request builds moto's routes

REGIONS = ["us-east-1", "eu-west-1"]
SERVICES = ["backup", "dynamodb", "efs", "kms"]


def seed_estate(seed: Any) -> None:
    for module in (backup_estate, dynamodb_estate, efs_estate):
        module.seed(seed, REGIONS)


def test_collects_backup_estate_and_evaluates(access: AwsAccess, seed: Any) -> None:
    seed_estate(seed)
    seed("backup", "eu-west-1").create_backup_vault(BackupVaultName="plain")  # no access policy at all
    ev = evaluate(scan(access, SERVICES, regions=REGIONS))
    assert ev.inventory.complete, [c for c in ev.inventory.coverage if c.status != "complete"]
    assert by_name(ev, "backup.plan_daily_with_retention") == {"pass-daily-35d": "pass", "fail-weekly-7d": "fail"}
    assert by_name(ev, "backup.plan_copies_to_another_region") == {"pass-daily-35d": "pass", "fail-weekly-7d": "fail"}
    assert by_name(ev, "backup.plan_recovery_points_expire") == {"pass-daily-35d": "pass", "fail-weekly-7d": "fail"}
    assert by_name(ev, "backup.plan_exists") == {"us-east-1": "pass", "eu-west-1": "fail"}
    assert by_name(ev, "backup.vault_customer_managed_key") == {
        "pass-northwind-vault": "pass", "skip-empty-archive-vault": "pass", "pass-dr-vault": "pass",
        "fail-legacy-vault": "fail", "plain": "fail"}
    assert by_name(ev, "backup.vault_access_policy_not_public") == {
        "pass-northwind-vault": "pass", "skip-empty-archive-vault": "pass", "pass-dr-vault": "pass",
        "fail-legacy-vault": "fail", "plain": "pass"}
    plain = [f for f in findings_of(ev, "backup.vault_access_policy_not_public") if f.resource_name == "plain"]
    assert plain[0].message == "the vault has no access policy (only IAM grants access)"
    assert by_name(ev, "backup.vault_denies_recovery_point_deletion")["fail-legacy-vault"] == "fail"
    assert by_name(ev, "backup.vault_denies_recovery_point_deletion")["pass-northwind-vault"] == "pass"
    assert by_name(ev, "backup.vault_lock_enabled")["fail-legacy-vault"] == "fail"
    assert by_name(ev, "backup.vault_lock_enabled")["pass-dr-vault"] == "pass"
    assert by_name(ev, "backup.recovery_points_encrypted") == {
        "pass-northwind-vault": "pass", "skip-empty-archive-vault": "skip", "pass-dr-vault": "pass",
        "fail-legacy-vault": "fail", "plain": "skip"}
    assert by_name(ev, "backup.recovery_points_retained")["fail-legacy-vault"] == "fail"
    assert by_name(ev, "backup.recovery_points_retained")["pass-northwind-vault"] == "pass"
    assert by_name(ev, "backup.restore_testing_plan_exists") == {"us-east-1": "pass", "eu-west-1": "fail"}
    assert by_name(ev, "backup.restore_tested_recently") == {"us-east-1": "pass", "eu-west-1": "fail"}
    assert by_name(ev, "dynamodb.table_in_backup_plan") == {
        "pass-orders": "pass", "fail-stale-events": "pass", "fail-sessions": "fail", "fail-eu-customers": "fail"}
    assert by_name(ev, "efs.file_system_in_backup_plan") == {"pass-shared": "pass", "fail-scratch": "fail"}


def test_rds_coverage_verdicts(access: AwsAccess, seed: Any) -> None:
    backup_estate.seed(seed, REGIONS)
    rds_estate.seed(seed, REGIONS)
    ev = evaluate(scan(access, ["backup", "rds"], regions=REGIONS))
    assert by_name(ev, "rds.instance_in_backup_plan") == {
        "pass-orders-db": "pass", "fail-reporting-db": "fail", "pass-orders-db-eu-west-1": "fail",
        "skip-ledger-1": "skip", "skip-ledger-2": "skip"}
    assert by_name(ev, "rds.instance_recently_backed_up")["pass-orders-db"] == "pass"
    assert by_name(ev, "rds.instance_recently_backed_up")["fail-reporting-db"] == "fail"
    assert by_name(ev, "rds.cluster_recently_backed_up") == {"pass-ledger": "pass", "fail-analytics": "fail"}
    access.hooks.append(("before-call", deny({"backup:ListProtectedResources"}, code="AccessDeniedException")))
    denied = evaluate(scan(access, ["backup", "rds"], regions=REGIONS))
    assert set(by_name(denied, "rds.cluster_recently_backed_up").values()) == {"error"}


def test_region_without_backup_skips_restore_controls(access: AwsAccess, seed: Any) -> None:
    ev = evaluate(scan(access, SERVICES, regions=["us-east-1"]))
    assert by_name(ev, "backup.restore_tested_recently") == {"us-east-1": "skip"}
    assert by_name(ev, "backup.plan_exists") == {"us-east-1": "skip"}


COLLECTORS = load_collectors()
CONTROLS = load_controls()
ACTIONS = sorted({a for spec in COLLECTORS.values() if spec.service == "backup" for a in spec.permissions})
SCANNED = {a for spec in COLLECTORS.values() if spec.service in SERVICES for a in spec.permissions}


@pytest.mark.parametrize("action", ACTIONS)
def test_denied_backup_read_is_error_never_a_verdict(access: AwsAccess, seed: Any, action: str) -> None:
    seed_estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, SERVICES, regions=REGIONS))
    attempted = {e.region for e in ev.inventory.errors if e.operation == action}
    assert attempted, f"{action} was never called"
    # the controls on the resources this estate holds (RDS, EBS and EC2 coverage: test_rds_coverage_verdicts)
    needing = [c for c in CONTROLS.values() if action in c.needs and set(c.needs) <= SCANNED]
    assert needing, f"no control needs {action}"
    for control in needing:
        # Where the read was never attempted (a region without plans), verdicts stand on what was read.
        found = [f for f in findings_of(ev, control.id) if f.region in attempted]
        verdicts = [(f.resource_name, f.status.value) for f in found if f.status.value in ("pass", "fail")]
        assert not verdicts, f"{control.id} judged although {action} was denied: {verdicts}"
        assert any(f.status.value == "error" and action in f.message for f in found), control.id


class _StubCtx(Ctx):
    """A Ctx whose clients are botocore clients answered by a Stubber."""

    def __init__(self, client: Any) -> None:
        super().__init__(AwsAccess(endpoint_url="http://127.0.0.1:9", home_region="us-east-1", access_key="x",
                                   secret_key="y"), "123456789012", "us-east-1", "backup", "aws")
        self._stubbed = client

    def client(self, service: str, region: str | None = None) -> Any:
        return self._stubbed


def test_region_record_reads_aws_shaped_answers() -> None:
    """The calls moto lacks, answered in AWS's own shapes (timestamps, nested CreatedBy, opt-in map)."""
    client = boto3.client("backup", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    done = datetime(2025, 5, 20, 6, 30, tzinfo=UTC)
    table = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    with Stubber(client) as stub:
        stub.add_response("list_protected_resources", {"Results": [
            {"ResourceArn": table, "ResourceType": "DynamoDB", "LastBackupTime": done, "ResourceName": "orders"}]})
        stub.add_response("describe_region_settings", {"ResourceTypeOptInPreference": {"DynamoDB": True, "EFS": False}})
        stub.add_response("list_restore_testing_plans", {"RestoreTestingPlans": [{
            "RestoreTestingPlanName": "weekly", "RestoreTestingPlanArn": "arn:x",
            "ScheduleExpression": "cron(0 6 ? * SUN *)", "CreationTime": done}]})
        stub.add_response("list_restore_jobs", {"RestoreJobs": [{
            "RestoreJobId": "job-1", "Status": "COMPLETED", "ResourceType": "DynamoDB", "CompletionDate": done,
            "CreatedBy": {"RestoreTestingPlanArn": "arn:x"}}]})
        [record] = list(collect_region(_StubCtx(client)))
    assert isinstance(record, BackupRegion)
    assert record.protected is not None and record.protected[table].last_backup == done
    assert record.opt_in == {"DynamoDB": True, "EFS": False}
    assert record.restore_testing_plans == ("weekly",)
    assert record.restore_jobs is not None and record.restore_jobs[0].restore_testing_plan == "arn:x"
    assert record.restore_jobs_since is not None
