"""EFS controls: pure functions over EfsFileSystem (and AWS Backup records for coverage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assay.controls import efs
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.backup import BackupPlan, BackupRegion, BackupSelection, ProtectedResource, TagCondition
from assay.models.resources.efs import EfsFileSystem

ACCOUNT = "123456789012"
NOW = datetime(2025, 6, 1, tzinfo=UTC)
ARN = f"arn:aws:elasticfilesystem:us-east-1:{ACCOUNT}:file-system/fs-1"


def fs(**over: Any) -> EfsFileSystem:
    base: dict[str, Any] = dict(arn=ARN, id="fs-1", name="shared", account_id=ACCOUNT, region="us-east-1",
                                encrypted=True, kms_key_id="arn:aws:kms:us-east-1:1:key/k", backup_policy="DISABLED")
    return EfsFileSystem(**{**base, **over})


def inventory(*resources: Resource) -> Inventory:
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], resources, [])


def region(**over: Any) -> BackupRegion:
    base: dict[str, Any] = dict(arn="arn:aws:backup:us-east-1:123456789012:region-settings", id="us-east-1",
                                account_id=ACCOUNT, region="us-east-1", protected={}, opt_in={"EFS": True})
    return BackupRegion(**{**base, **over})


def test_file_system_encrypted() -> None:
    out = efs.file_system_encrypted(fs())
    assert out.status is Status.PASS and "key/k" in out.message
    assert efs.file_system_encrypted(fs(encrypted=False, kms_key_id=None)).status is Status.FAIL


def test_file_system_in_backup_plan() -> None:
    assert efs.file_system_in_backup_plan(fs(backup_policy="ENABLED"), inventory()).status is Status.PASS
    team = BackupSelection(id="s", resources=("arn:aws:elasticfilesystem:*:*:file-system/*",),
                           conditions=(TagCondition(operator="StringEquals", key="team", value="data"),))
    selecting = BackupPlan(arn="arn:aws:backup:us-east-1:1:backup-plan:p", id="p", name="files", account_id=ACCOUNT,
                           region="us-east-1", rules=(), selections=(team,))
    out = efs.file_system_in_backup_plan(fs(tags={"team": "data"}), inventory(region(), selecting))
    assert out.status is Status.PASS and "files" in out.message
    out = efs.file_system_in_backup_plan(fs(), inventory(region(), selecting))
    assert out.status is Status.FAIL and out.message.startswith("automatic backups are off and no backup plan")
    assert efs.file_system_in_backup_plan(fs(backup_policy=None), inventory(region())).status is Status.ERROR
    assert efs.file_system_in_backup_plan(fs(), inventory()).status is Status.ERROR


def test_file_system_recently_backed_up() -> None:
    fresh = region(protected={ARN: ProtectedResource(resource_type="EFS", last_backup=NOW - timedelta(hours=3))})
    assert efs.file_system_recently_backed_up(fs(), inventory(fresh), NOW).status is Status.PASS
    old = region(protected={ARN: ProtectedResource(resource_type="EFS", last_backup=NOW - timedelta(days=40))})
    assert efs.file_system_recently_backed_up(fs(), inventory(old), NOW).status is Status.FAIL
    assert efs.file_system_recently_backed_up(fs(), inventory(region()), NOW).status is Status.FAIL
    assert efs.file_system_recently_backed_up(fs(), inventory(region(protected=None)), NOW).status is Status.ERROR
