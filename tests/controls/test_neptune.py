"""Neptune controls: pure functions over Neptune clusters and manual cluster snapshots."""

from __future__ import annotations

from typing import Any

from assay.controls import neptune
from assay.models.findings import Status
from assay.models.resources.neptune import NeptuneDbCluster, NeptuneDbClusterSnapshot

ACCOUNT = "123456789012"
P, F, E = Status.PASS, Status.FAIL, Status.ERROR


def cluster(**over: Any) -> NeptuneDbCluster:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:graph", id="graph", account_id=ACCOUNT, region="us-east-1",
        engine="neptune", storage_encrypted=True, backup_retention_days=7, deletion_protection=True,
        iam_auth_enabled=True, log_exports=("audit",), copy_tags_to_snapshot=True,
    )
    return NeptuneDbCluster(**{**base, **over})


def snap(**over: Any) -> NeptuneDbClusterSnapshot:
    base: dict[str, Any] = dict(arn=f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster-snapshot:g1", id="g1",
                                account_id=ACCOUNT, region="us-east-1", engine="neptune", source_id="graph",
                                encrypted=True, restorable_by=())
    return NeptuneDbClusterSnapshot(**{**base, **over})


def test_cluster_storage_encrypted() -> None:
    assert neptune.cluster_storage_encrypted(cluster()).status is P
    assert neptune.cluster_storage_encrypted(cluster(storage_encrypted=False)).status is F


def test_cluster_backup_retention() -> None:
    assert neptune.cluster_backup_retention(cluster()) == (P, "automated backups are kept 7 days")
    assert neptune.cluster_backup_retention(cluster(backup_retention_days=1)) == \
        (F, "automated backups are kept 1 day(s), fewer than 7")
    assert neptune.cluster_backup_retention(cluster(backup_retention_days=1), min_retention_days=1).status is P


def test_cluster_deletion_protection() -> None:
    assert neptune.cluster_deletion_protection(cluster()).status is P
    assert neptune.cluster_deletion_protection(cluster(deletion_protection=False)).status is F


def test_cluster_iam_auth_enabled() -> None:
    assert neptune.cluster_iam_auth_enabled(cluster()).status is P
    out = neptune.cluster_iam_auth_enabled(cluster(iam_auth_enabled=False))
    assert out.status is F and "any client" in out.message


def test_cluster_audit_logs_exported() -> None:
    assert neptune.cluster_audit_logs_exported(cluster()).status is P
    assert neptune.cluster_audit_logs_exported(cluster(log_exports=())) == \
        (F, "audit logs are not exported to CloudWatch Logs")
    assert neptune.cluster_audit_logs_exported(cluster(log_exports=("slowquery",))) == \
        (F, "audit logs are not exported to CloudWatch Logs (exports only slowquery)")


def test_cluster_copy_tags_to_snapshot() -> None:
    assert neptune.cluster_copy_tags_to_snapshot(cluster()).status is P
    assert neptune.cluster_copy_tags_to_snapshot(cluster(copy_tags_to_snapshot=False)).status is F


def test_cluster_snapshot_encrypted() -> None:
    assert neptune.cluster_snapshot_encrypted(snap()).status is P
    assert neptune.cluster_snapshot_encrypted(snap(encrypted=False)) == (F, "snapshot of graph is not encrypted")


def test_cluster_snapshot_not_public() -> None:
    assert neptune.cluster_snapshot_not_public(snap()).status is P
    assert neptune.cluster_snapshot_not_public(snap(restorable_by=("all",))).status is F
    assert neptune.cluster_snapshot_not_public(snap(restorable_by=None)).status is E
