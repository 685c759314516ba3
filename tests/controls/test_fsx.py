"""FSx controls: pure functions over FsxFileSystem and the region's AWS Backup record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assay.controls import fsx
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.backup import BackupRegion, ProtectedResource
from assay.models.resources.fsx import FsxFileSystem
from tests.controls.backup_cover import covered

ACCOUNT = "123456789012"
NOW = datetime(2025, 6, 1, tzinfo=UTC)
ARN = f"arn:aws:fsx:eu-west-1:{ACCOUNT}:file-system/fs-1"
VOLUMES = (
    f"arn:aws:fsx:eu-west-1:{ACCOUNT}:volume/fs-1/fsvol-a",
    f"arn:aws:fsx:eu-west-1:{ACCOUNT}:volume/fs-1/fsvol-b",
)


def fs(**over: Any) -> FsxFileSystem:
    base: dict[str, Any] = dict(
        arn=ARN,
        id="fs-1",
        name="shares",
        account_id=ACCOUNT,
        region="eu-west-1",
        file_system_type="WINDOWS",
        deployment_type="MULTI_AZ_1",
        state="AVAILABLE",
        automatic_backup_retention_days=0,
    )
    return FsxFileSystem(**{**base, **over})


def ontap(**over: Any) -> FsxFileSystem:
    return fs(**{"file_system_type": "ONTAP", "backup_volume_arns": VOLUMES, **over})


def with_protected(r: Resource, protected: dict[str, ProtectedResource] | None) -> Inventory:
    region = BackupRegion(
        arn=f"arn:aws:backup:eu-west-1:{ACCOUNT}:region-settings",
        id="eu-west-1",
        account_id=ACCOUNT,
        region="eu-west-1",
        protected=protected,
    )
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], [r, region], [])


def point(hours: float) -> ProtectedResource:
    return ProtectedResource(resource_type="FSx", last_backup=NOW - timedelta(hours=hours))


def test_protected_by_automatic_backups() -> None:
    windows = fs(automatic_backup_retention_days=30)
    out = fsx.file_system_protected_by_backup(windows, covered(windows, NOW, selected=False), NOW)
    assert out == (Status.PASS, "FSx automatic daily backups are on, kept 30 days")
    # Automatic backups stand on the file system's own description: AWS Backup's record is not needed.
    assert fsx.file_system_protected_by_backup(windows, with_protected(windows, None), NOW).status is Status.PASS
    short = fs(automatic_backup_retention_days=3)
    out = fsx.file_system_protected_by_backup(short, covered(short, NOW), NOW)
    assert out == (
        Status.FAIL,
        "automatic backups are kept only 3 days (under 7), and AWS Backup holds no recovery point of it",
    )
    assert (
        fsx.file_system_protected_by_backup(short, covered(short, NOW), NOW, min_automatic_retention_days=3).status
        is Status.PASS
    )
    out = fsx.file_system_protected_by_backup(windows, covered(windows, NOW), NOW, accept_automatic_backups=False)
    assert out == (Status.FAIL, "AWS Backup holds no recovery point of it")


def test_protected_by_aws_backup() -> None:
    fresh = covered(fs(), NOW, last_backup=NOW - timedelta(hours=6))
    out = fsx.file_system_protected_by_backup(fs(), fresh, NOW)
    assert out.status is Status.PASS and out.message.startswith("latest AWS Backup recovery point taken 2025-05-31")
    old = covered(fs(), NOW, last_backup=NOW - timedelta(days=9))
    out = fsx.file_system_protected_by_backup(fs(), old, NOW)
    assert out == (
        Status.FAIL,
        "automatic backups are off, and the latest AWS Backup recovery point is 9 days old (2025-05-23)",
    )
    assert fsx.file_system_protected_by_backup(fs(), old, NOW, max_age_days=10).status is Status.PASS
    out = fsx.file_system_protected_by_backup(fs(), covered(fs(), NOW), NOW)
    assert out == (Status.FAIL, "automatic backups are off, and AWS Backup holds no recovery point of it")


def test_protected_by_backup_not_applicable() -> None:
    scratch = fs(file_system_type="LUSTRE", deployment_type="SCRATCH_2")
    out = fsx.file_system_protected_by_backup(scratch, covered(scratch, NOW), NOW)
    assert out.status is Status.SKIP and "SCRATCH_2" in out.message
    persistent = fs(file_system_type="LUSTRE", deployment_type="PERSISTENT_2")
    assert fsx.file_system_protected_by_backup(persistent, covered(persistent, NOW), NOW).status is Status.FAIL
    out = fsx.file_system_protected_by_backup(fs(state="CREATING"), covered(fs(), NOW), NOW)
    assert out == (Status.SKIP, "the file system is creating")
    empty = ontap(backup_volume_arns=())
    out = fsx.file_system_protected_by_backup(empty, with_protected(empty, {}), NOW)
    assert out.status is Status.SKIP and "no volume" in out.message


def test_protected_by_backup_unknown_is_error() -> None:
    out = fsx.file_system_protected_by_backup(fs(), covered(fs(), NOW, protected_read=False), NOW)
    assert out == (Status.ERROR, "the resources AWS Backup protects were not read in this region")
    lone = fs()
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW)
    no_backup = Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], [lone], [])
    assert fsx.file_system_protected_by_backup(lone, no_backup, NOW).status is Status.ERROR
    unread = ontap(backup_volume_arns=None)
    out = fsx.file_system_protected_by_backup(unread, with_protected(unread, {}), NOW)
    assert out == (Status.ERROR, "the file system's volumes were not read")
    out = fsx.file_system_protected_by_backup(ontap(), with_protected(ontap(), None), NOW)
    assert out.status is Status.ERROR
    undated = {VOLUMES[0]: point(1), VOLUMES[1]: ProtectedResource(resource_type="FSx")}
    out = fsx.file_system_protected_by_backup(ontap(), with_protected(ontap(), undated), NOW)
    assert out.status is Status.ERROR and "no last backup time" in out.message


def test_ontap_volumes_each_backed_up() -> None:
    both = {VOLUMES[0]: point(5), VOLUMES[1]: point(20)}
    out = fsx.file_system_protected_by_backup(ontap(), with_protected(ontap(), both), NOW)
    assert out == (Status.PASS, "AWS Backup took a recovery point of each of its 2 volume(s) in the last 2 days")
    one_old = {VOLUMES[0]: point(5), VOLUMES[1]: point(24 * 5)}
    out = fsx.file_system_protected_by_backup(ontap(), with_protected(ontap(), one_old), NOW)
    assert out == (
        Status.FAIL,
        "automatic backups are off, and no AWS Backup recovery point in the last 2 days for volume(s) fsvol-b",
    )
    # A recovery point of the file system's ARN says nothing about its ONTAP volumes.
    out = fsx.file_system_protected_by_backup(ontap(), with_protected(ontap(), {ARN: point(1)}), NOW)
    assert out.status is Status.FAIL and "fsvol-a, fsvol-b" in out.message
    on = ontap(automatic_backup_retention_days=14)
    assert fsx.file_system_protected_by_backup(on, with_protected(on, {}), NOW).status is Status.PASS
