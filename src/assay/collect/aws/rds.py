"""RDS: DB instances, DB clusters and manual snapshots, for RDS, Aurora, DocumentDB and Neptune.

Neptune is served by this same API (DescribeDBClusters returns clusters of every engine, even through
the "neptune" client), so one collector reads everything once and sorts clusters and snapshots into
RDS or Neptune models by engine. Only manual snapshots are listed: automated ones cannot be shared and
inherit their source's encryption, which the instance and cluster controls already judge.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import Resource, tags_from
from assay.models.resources.neptune import NeptuneDbCluster, NeptuneDbClusterSnapshot
from assay.models.resources.rds import RdsDbCluster, RdsDbClusterSnapshot, RdsDbInstance, RdsDbSnapshot

NEPTUNE = "neptune"


def _common(ctx: Ctx, item: dict[str, Any], arn: str, ident: str) -> dict[str, Any]:
    return dict(arn=arn, id=ident, account_id=ctx.account_id, region=ctx.region, name=ident,
                tags=tags_from(item.get("TagList")))


def _instance(ctx: Ctx, db: dict[str, Any]) -> RdsDbInstance:
    ident = db["DBInstanceIdentifier"]
    arn = db.get("DBInstanceArn") or ctx.arn("rds", f"db:{ident}")
    return RdsDbInstance(
        **_common(ctx, db, arn, ident),
        engine=db.get("Engine") or "", engine_version=db.get("EngineVersion") or "",
        instance_class=db.get("DBInstanceClass") or "", cluster_id=db.get("DBClusterIdentifier"),
        read_replica_source=db.get("ReadReplicaSourceDBInstanceIdentifier"),
        publicly_accessible=bool(db.get("PubliclyAccessible", False)),
        storage_encrypted=bool(db.get("StorageEncrypted", False)), multi_az=bool(db.get("MultiAZ", False)),
        backup_retention_days=int(db.get("BackupRetentionPeriod") or 0),
        deletion_protection=bool(db.get("DeletionProtection", False)),
        auto_minor_version_upgrade=bool(db.get("AutoMinorVersionUpgrade", False)),
        monitoring_interval=int(db.get("MonitoringInterval") or 0),
        iam_auth_enabled=bool(db.get("IAMDatabaseAuthenticationEnabled", False)),
        log_exports=tuple(db.get("EnabledCloudwatchLogsExports") or ()),
        copy_tags_to_snapshot=bool(db.get("CopyTagsToSnapshot", False)),
    )


def _cluster(ctx: Ctx, c: dict[str, Any]) -> RdsDbCluster | NeptuneDbCluster:
    ident = c["DBClusterIdentifier"]
    arn = c.get("DBClusterArn") or ctx.arn("rds", f"cluster:{ident}")
    model = NeptuneDbCluster if c.get("Engine") == NEPTUNE else RdsDbCluster
    return model(
        **_common(ctx, c, arn, ident),
        engine=c.get("Engine") or "", engine_mode=c.get("EngineMode") or "",
        members=tuple(m["DBInstanceIdentifier"] for m in c.get("DBClusterMembers") or []
                      if m.get("DBInstanceIdentifier")),
        storage_encrypted=bool(c.get("StorageEncrypted", False)), multi_az=bool(c.get("MultiAZ", False)),
        backup_retention_days=int(c.get("BackupRetentionPeriod") or 0),
        deletion_protection=bool(c.get("DeletionProtection", False)),
        iam_auth_enabled=bool(c.get("IAMDatabaseAuthenticationEnabled", False)),
        log_exports=tuple(c.get("EnabledCloudwatchLogsExports") or ()),
        copy_tags_to_snapshot=bool(c.get("CopyTagsToSnapshot", False)),
    )


def _restorable_by(response: dict[str, Any] | None, result_key: str, list_key: str) -> tuple[str, ...] | None:
    """Account ids (or "all") in the snapshot's "restore" attribute; None when the read failed."""
    if response is None:
        return None
    attributes = (response.get(result_key) or {}).get(list_key) or []
    values = [v for a in attributes if a.get("AttributeName") == "restore" for v in a.get("AttributeValues") or []]
    return tuple(sorted(values))


@collector(
    service="rds",
    produces=[RdsDbInstance, RdsDbCluster, RdsDbSnapshot, RdsDbClusterSnapshot, NeptuneDbCluster,
              NeptuneDbClusterSnapshot],
    permissions=["rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:DescribeDBSnapshots",
                 "rds:DescribeDBSnapshotAttributes", "rds:DescribeDBClusterSnapshots",
                 "rds:DescribeDBClusterSnapshotAttributes"],
)
def collect_databases(ctx: Ctx) -> Iterator[Resource]:
    rds = ctx.client("rds")
    for db in ctx.paginate(rds, "describe_db_instances", "DBInstances"):
        yield _instance(ctx, db)
    for c in ctx.paginate(rds, "describe_db_clusters", "DBClusters"):
        yield _cluster(ctx, c)
    for s in ctx.paginate(rds, "describe_db_snapshots", "DBSnapshots", SnapshotType="manual"):
        ident = s["DBSnapshotIdentifier"]
        arn = s.get("DBSnapshotArn") or ctx.arn("rds", f"snapshot:{ident}")
        attrs = ctx.call(rds, "describe_db_snapshot_attributes", resource_arn=arn, DBSnapshotIdentifier=ident)
        yield RdsDbSnapshot(
            **_common(ctx, s, arn, ident), engine=s.get("Engine") or "", source_id=s.get("DBInstanceIdentifier") or "",
            snapshot_type=s.get("SnapshotType") or "manual", encrypted=bool(s.get("Encrypted", False)),
            restorable_by=_restorable_by(attrs, "DBSnapshotAttributesResult", "DBSnapshotAttributes"),
        )
    for s in ctx.paginate(rds, "describe_db_cluster_snapshots", "DBClusterSnapshots", SnapshotType="manual"):
        ident = s["DBClusterSnapshotIdentifier"]
        arn = s.get("DBClusterSnapshotArn") or ctx.arn("rds", f"cluster-snapshot:{ident}")
        attrs = ctx.call(rds, "describe_db_cluster_snapshot_attributes", resource_arn=arn,
                         DBClusterSnapshotIdentifier=ident)
        model = NeptuneDbClusterSnapshot if s.get("Engine") == NEPTUNE else RdsDbClusterSnapshot
        yield model(
            **_common(ctx, s, arn, ident), engine=s.get("Engine") or "", source_id=s.get("DBClusterIdentifier") or "",
            snapshot_type=s.get("SnapshotType") or "manual", encrypted=bool(s.get("StorageEncrypted", False)),
            restorable_by=_restorable_by(attrs, "DBClusterSnapshotAttributesResult", "DBClusterSnapshotAttributes"),
        )
