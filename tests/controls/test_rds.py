"""RDS controls: pure functions over RDS instances, clusters and manual snapshots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from assay.controls import rds, rds_backup
from assay.models.findings import Status
from assay.models.resources.rds import RdsDbCluster, RdsDbClusterSnapshot, RdsDbInstance, RdsDbSnapshot
from tests.controls.backup_cover import covered

ACCOUNT = "123456789012"
P, F, S, E = Status.PASS, Status.FAIL, Status.SKIP, Status.ERROR


def db(**over: Any) -> RdsDbInstance:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:rds:us-east-1:{ACCOUNT}:db:orders", id="orders", account_id=ACCOUNT, region="us-east-1",
        engine="postgres", engine_version="16.3", storage_encrypted=True, multi_az=True, backup_retention_days=7,
        deletion_protection=True, auto_minor_version_upgrade=True, monitoring_interval=60, iam_auth_enabled=True,
        log_exports=("postgresql", "upgrade"), copy_tags_to_snapshot=True,
    )
    return RdsDbInstance(**{**base, **over})


def member(**over: Any) -> RdsDbInstance:
    return db(engine="aurora-postgresql", cluster_id="ledger", storage_encrypted=False, multi_az=False,
              backup_retention_days=1, deletion_protection=False, iam_auth_enabled=False, log_exports=(),
              copy_tags_to_snapshot=False, **over)


def cluster(**over: Any) -> RdsDbCluster:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:ledger", id="ledger", account_id=ACCOUNT, region="us-east-1",
        engine="aurora-postgresql", engine_mode="provisioned", members=("ledger-1", "ledger-2"),
        storage_encrypted=True, multi_az=True, backup_retention_days=14, deletion_protection=True,
        iam_auth_enabled=True, log_exports=("postgresql",), copy_tags_to_snapshot=True,
    )
    return RdsDbCluster(**{**base, **over})


def snap(**over: Any) -> RdsDbSnapshot:
    base: dict[str, Any] = dict(arn=f"arn:aws:rds:us-east-1:{ACCOUNT}:snapshot:s1", id="s1", account_id=ACCOUNT,
                                region="us-east-1", source_id="orders", encrypted=True, restorable_by=())
    return RdsDbSnapshot(**{**base, **over})


def cluster_snap(**over: Any) -> RdsDbClusterSnapshot:
    base: dict[str, Any] = dict(arn=f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster-snapshot:c1", id="c1",
                                account_id=ACCOUNT, region="us-east-1", source_id="ledger", encrypted=True,
                                restorable_by=())
    return RdsDbClusterSnapshot(**{**base, **over})


def test_instance_not_publicly_accessible() -> None:
    assert rds.instance_not_publicly_accessible(db()).status is P
    out = rds.instance_not_publicly_accessible(db(publicly_accessible=True))
    assert out.status is F and "public IP" in out.message
    # a cluster member can be public on its own: it is judged, not skipped
    assert rds.instance_not_publicly_accessible(member(publicly_accessible=True)).status is F


def test_instance_storage_encrypted() -> None:
    assert rds.instance_storage_encrypted(db()).status is P
    assert rds.instance_storage_encrypted(db(storage_encrypted=False)) == (F, "storage is not encrypted")
    out = rds.instance_storage_encrypted(member())
    assert out.status is S and "cluster ledger" in out.message


def test_instance_backup_retention_with_threshold() -> None:
    assert rds.instance_backup_retention(db()).status is P
    assert rds.instance_backup_retention(db(backup_retention_days=0)) == \
        (F, "automated backups are disabled (retention 0 days)")
    assert rds.instance_backup_retention(db(backup_retention_days=3)) == \
        (F, "automated backups are kept 3 day(s), fewer than 7")
    assert rds.instance_backup_retention(db(backup_retention_days=3), min_retention_days=1).status is P
    assert rds.instance_backup_retention(db(backup_retention_days=7), min_retention_days=14).status is F
    assert rds.instance_backup_retention(member()).status is S
    replica = db(read_replica_source="orders", backup_retention_days=0)
    assert rds.instance_backup_retention(replica).status is S


def test_instance_multi_az() -> None:
    assert rds.instance_multi_az(db()).status is P
    assert rds.instance_multi_az(db(multi_az=False)) == (F, "instance runs in a single Availability Zone")
    assert rds.instance_multi_az(member()).status is S


def test_instance_deletion_protection() -> None:
    assert rds.instance_deletion_protection(db()).status is P
    out = rds.instance_deletion_protection(db(deletion_protection=False))
    assert out.status is F and "delete the instance" in out.message
    assert rds.instance_deletion_protection(member()).status is S


def test_instance_log_exports_enabled() -> None:
    assert rds.instance_log_exports_enabled(db()) == (P, "exports postgresql, upgrade to CloudWatch Logs")
    partial = rds.instance_log_exports_enabled(db(engine="mysql", log_exports=("error",)))
    assert partial.status is P and "not exported: audit, general, slowquery" in partial.message
    none = rds.instance_log_exports_enabled(db(engine="mysql", log_exports=()))
    assert none.status is F and "available for mysql: audit, error, general, slowquery" in none.message
    sqlserver = rds.instance_log_exports_enabled(db(engine="sqlserver-se", log_exports=()))
    assert "error, agent" in sqlserver.message
    assert rds.instance_log_exports_enabled(member()).status is S


def test_instance_iam_auth_enabled() -> None:
    assert rds.instance_iam_auth_enabled(db()).status is P
    assert rds.instance_iam_auth_enabled(db(iam_auth_enabled=False)).status is F
    assert rds.instance_iam_auth_enabled(db(engine="oracle-ee", iam_auth_enabled=False)).status is S
    assert rds.instance_iam_auth_enabled(member()).status is S


def test_instance_auto_minor_version_upgrade() -> None:
    assert rds.instance_auto_minor_version_upgrade(db()).status is P
    assert rds.instance_auto_minor_version_upgrade(db(auto_minor_version_upgrade=False)) == \
        (F, "automatic minor version upgrades are off (postgres 16.3)")
    # instance-level even in a cluster
    assert rds.instance_auto_minor_version_upgrade(member(auto_minor_version_upgrade=True)).status is P


def test_instance_enhanced_monitoring() -> None:
    assert rds.instance_enhanced_monitoring(db()) == (P, "Enhanced Monitoring samples every 60 seconds")
    assert rds.instance_enhanced_monitoring(db(monitoring_interval=0)) == (F, "Enhanced Monitoring is off")


def test_instance_copy_tags_to_snapshot() -> None:
    assert rds.instance_copy_tags_to_snapshot(db()).status is P
    assert rds.instance_copy_tags_to_snapshot(db(copy_tags_to_snapshot=False)).status is F
    assert rds.instance_copy_tags_to_snapshot(member()).status is S


def test_cluster_storage_encrypted() -> None:
    assert rds.cluster_storage_encrypted(cluster()).status is P
    assert rds.cluster_storage_encrypted(cluster(storage_encrypted=False)) == (F, "cluster storage is not encrypted")


def test_cluster_backup_retention() -> None:
    assert rds.cluster_backup_retention(cluster()).status is P
    assert rds.cluster_backup_retention(cluster(backup_retention_days=1)).status is F
    assert rds.cluster_backup_retention(cluster(backup_retention_days=14), min_retention_days=30).status is F


def test_cluster_multi_az() -> None:
    assert rds.cluster_multi_az(cluster()).status is P
    assert rds.cluster_multi_az(cluster(multi_az=False, members=("ledger-1",))) == \
        (F, "cluster runs in a single Availability Zone (1 instance(s))")
    assert rds.cluster_multi_az(cluster(multi_az=False, engine_mode="serverless")).status is S


def test_cluster_deletion_protection() -> None:
    assert rds.cluster_deletion_protection(cluster()).status is P
    assert rds.cluster_deletion_protection(cluster(deletion_protection=False)).status is F


def test_cluster_log_exports_enabled() -> None:
    assert rds.cluster_log_exports_enabled(cluster()) == (P, "exports postgresql to CloudWatch Logs")
    assert rds.cluster_log_exports_enabled(cluster(log_exports=())).status is F


def test_cluster_iam_auth_enabled() -> None:
    assert rds.cluster_iam_auth_enabled(cluster()).status is P
    assert rds.cluster_iam_auth_enabled(cluster(iam_auth_enabled=False)).status is F
    assert rds.cluster_iam_auth_enabled(cluster(engine="docdb", iam_auth_enabled=False)).status is S
    assert rds.cluster_iam_auth_enabled(cluster(engine="postgres", iam_auth_enabled=False)).status is S


def test_cluster_copy_tags_to_snapshot() -> None:
    assert rds.cluster_copy_tags_to_snapshot(cluster()).status is P
    assert rds.cluster_copy_tags_to_snapshot(cluster(copy_tags_to_snapshot=False)) == \
        (F, "tags are not copied to snapshots")


@pytest.mark.parametrize(("control", "make"), [(rds.snapshot_not_public, snap),
                                                (rds.cluster_snapshot_not_public, cluster_snap)])
def test_snapshot_not_public(control: Any, make: Any) -> None:
    assert control(make()) == (P, "snapshot is not shared")
    assert control(make(restorable_by=("111122223333",))) == (P, "snapshot is shared only with account(s) 111122223333")
    assert control(make(restorable_by=("111122223333", "all"))) == \
        (F, "snapshot is public: any AWS account can restore it")
    assert control(make(restorable_by=None)).status is E


@pytest.mark.parametrize(("control", "make", "source"), [(rds.snapshot_encrypted, snap, "orders"),
                                                          (rds.cluster_snapshot_encrypted, cluster_snap, "ledger")])
def test_snapshot_encrypted(control: Any, make: Any, source: str) -> None:
    assert control(make()).status is P
    assert control(make(encrypted=False)) == (F, f"snapshot of {source} is not encrypted")
    # encryption is read by the listing itself: unknown sharing does not matter here
    assert control(make(restorable_by=None)).status is P


# -- AWS Backup coverage (assay.controls.rds_backup) ------------------------------------------------

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_instance_in_backup_plan() -> None:
    assert rds_backup.instance_in_backup_plan(db(), covered(db(), NOW)) == (P, "assigned to backup plan(s) daily")
    assert rds_backup.instance_in_backup_plan(db(), covered(db(), NOW, selected=False)).status is F
    out = rds_backup.instance_in_backup_plan(db(), covered(db(), NOW, opted_in=False))
    assert out.status is F and "not opted in" in out.message
    assert rds_backup.instance_in_backup_plan(member(), covered(member(), NOW)).status is S


def test_instance_recently_backed_up() -> None:
    fresh = covered(db(), NOW, last_backup=NOW - timedelta(hours=20))
    assert rds_backup.instance_recently_backed_up(db(), fresh, NOW).status is P
    stale = covered(db(), NOW, last_backup=NOW - timedelta(days=9))
    assert rds_backup.instance_recently_backed_up(db(), stale, NOW).status is F
    assert rds_backup.instance_recently_backed_up(db(), stale, NOW, max_age_days=10).status is P
    assert rds_backup.instance_recently_backed_up(db(), covered(db(), NOW), NOW).status is F
    assert rds_backup.instance_recently_backed_up(member(), covered(member(), NOW), NOW).status is S
    unread = covered(db(), NOW, protected_read=False)
    assert rds_backup.instance_recently_backed_up(db(), unread, NOW).status is E


def test_cluster_recently_backed_up() -> None:
    fresh = covered(cluster(), NOW, last_backup=NOW - timedelta(hours=3))
    assert rds_backup.cluster_recently_backed_up(cluster(), fresh, NOW).status is P
    assert rds_backup.cluster_recently_backed_up(cluster(), covered(cluster(), NOW), NOW).status is F
    neptune = cluster(engine="neptune")
    assert rds_backup.cluster_recently_backed_up(neptune, covered(neptune, NOW), NOW).status is S
