"""DynamoDB controls: pure functions over DynamoDbTable (and AWS Backup records for coverage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assay.controls import dynamodb
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.backup import BackupPlan, BackupRegion, BackupSelection, ProtectedResource
from assay.models.resources.dynamodb import DynamoDbTable

ACCOUNT = "123456789012"
NOW = datetime(2025, 6, 1, tzinfo=UTC)
ARN = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"


def table(**over: Any) -> DynamoDbTable:
    base: dict[str, Any] = dict(arn=ARN, id="orders", name="orders", account_id=ACCOUNT, region="us-east-1",
                                pitr_enabled=True, autoscaled_dimensions=())
    return DynamoDbTable(**{**base, **over})


def inventory(*resources: Resource) -> Inventory:
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], resources, [])


def region(**over: Any) -> BackupRegion:
    base: dict[str, Any] = dict(arn="arn:aws:backup:us-east-1:123456789012:region-settings", id="us-east-1",
                                account_id=ACCOUNT, region="us-east-1", protected={}, opt_in={"DynamoDB": True})
    return BackupRegion(**{**base, **over})


def plan(*selections: BackupSelection, **over: Any) -> BackupPlan:
    base: dict[str, Any] = dict(arn="arn:aws:backup:us-east-1:123456789012:backup-plan:p", id="p", name="daily",
                                account_id=ACCOUNT, region="us-east-1", rules=(), selections=selections)
    return BackupPlan(**{**base, **over})


def test_table_pitr_enabled() -> None:
    assert dynamodb.table_pitr_enabled(table()).status is Status.PASS
    assert dynamodb.table_pitr_enabled(table(pitr_enabled=False)).status is Status.FAIL
    assert dynamodb.table_pitr_enabled(table(pitr_enabled=None)).status is Status.ERROR


def test_table_in_backup_plan() -> None:
    by_type = plan(BackupSelection(id="s", resources=("arn:aws:dynamodb:*:*:table/*",)))
    out = dynamodb.table_in_backup_plan(table(), inventory(region(), by_type))
    assert out.status is Status.PASS and "daily" in out.message
    by_arn_elsewhere = plan(BackupSelection(id="s", resources=(ARN.replace("orders", "other"),)))
    out = dynamodb.table_in_backup_plan(table(), inventory(region(), by_arn_elsewhere))
    assert out.status is Status.FAIL and "no backup plan selects this table" in out.message
    assert dynamodb.table_in_backup_plan(table(), inventory(region(), plan(selections=None))).status is Status.ERROR
    other_region = plan(BackupSelection(id="s", resources=("*",)), region="eu-west-1")
    assert dynamodb.table_in_backup_plan(table(), inventory(region(), other_region)).status is Status.FAIL


def test_table_recently_backed_up() -> None:
    fresh = region(protected={ARN: ProtectedResource(resource_type="DynamoDB", last_backup=NOW - timedelta(hours=30))})
    assert dynamodb.table_recently_backed_up(table(), inventory(fresh), NOW).status is Status.PASS
    assert dynamodb.table_recently_backed_up(table(), inventory(fresh), NOW, max_age_days=1).status is Status.FAIL
    assert dynamodb.table_recently_backed_up(table(), inventory(region()), NOW).status is Status.FAIL
    assert dynamodb.table_recently_backed_up(table(), inventory(), NOW).status is Status.ERROR


def test_table_deletion_protection() -> None:
    assert dynamodb.table_deletion_protection(table(deletion_protection=True)).status is Status.PASS
    assert dynamodb.table_deletion_protection(table()).status is Status.FAIL


def test_table_kms_encrypted() -> None:
    out = dynamodb.table_kms_encrypted(table(sse_type="KMS", kms_key_arn="arn:aws:kms:us-east-1:1:key/k"))
    assert out.status is Status.PASS and "key/k" in out.message
    assert dynamodb.table_kms_encrypted(table()).status is Status.FAIL


def test_table_capacity_scales() -> None:
    assert dynamodb.table_capacity_scales(table(billing_mode="PAY_PER_REQUEST", autoscaled_dimensions=None)
                                          ).status is Status.PASS
    both = (dynamodb.READ, dynamodb.WRITE)
    assert dynamodb.table_capacity_scales(table(autoscaled_dimensions=both)).status is Status.PASS
    out = dynamodb.table_capacity_scales(table(autoscaled_dimensions=(dynamodb.READ,)))
    assert out.status is Status.FAIL and out.message.endswith("WriteCapacityUnits")
    assert dynamodb.table_capacity_scales(table()).status is Status.FAIL
    assert dynamodb.table_capacity_scales(table(autoscaled_dimensions=None)).status is Status.ERROR
