"""RDS resources: DB instances, DB clusters (Aurora, Multi-AZ DB clusters, DocumentDB) and manual snapshots.

Neptune shares the RDS API; its clusters and snapshots are modelled in `neptune.py` but read by the
same RDS collector. Every field below comes from the listing itself, so a resource that exists was
read in full; only snapshot sharing needs a second call and is None when that call failed.
"""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class RdsDbInstance(Resource):
    type: ClassVar[str] = "AWS::RDS::DBInstance"
    engine: str
    engine_version: str = ""
    instance_class: str = ""
    # Set for Aurora, Neptune and DocumentDB members: storage, backups and deletion protection live on the cluster.
    cluster_id: str | None = None
    read_replica_source: str | None = None
    publicly_accessible: bool = False
    storage_encrypted: bool = False
    multi_az: bool = False
    backup_retention_days: int = 0
    deletion_protection: bool = False
    auto_minor_version_upgrade: bool = False
    monitoring_interval: int = 0  # seconds between enhanced monitoring samples; 0 = off
    iam_auth_enabled: bool = False
    log_exports: tuple[str, ...] = ()
    copy_tags_to_snapshot: bool = False


class DbClusterFields(Resource):
    """What RDS reports about any DB cluster, whatever its engine (no CloudFormation type of its own)."""

    engine: str
    engine_mode: str = ""  # provisioned, serverless, ...
    members: tuple[str, ...] = ()
    storage_encrypted: bool = False
    multi_az: bool = False
    backup_retention_days: int = 0
    deletion_protection: bool = False
    iam_auth_enabled: bool = False
    log_exports: tuple[str, ...] = ()
    copy_tags_to_snapshot: bool = False


class RdsDbCluster(DbClusterFields):
    type: ClassVar[str] = "AWS::RDS::DBCluster"


class DbSnapshotFields(Resource):
    """A manual snapshot: who may restore it, and whether it is encrypted."""

    engine: str = ""
    source_id: str = ""  # the instance or cluster it was taken from
    snapshot_type: str = "manual"
    encrypted: bool = False
    # AWS account ids (or "all") allowed to restore the snapshot; None: DescribeDB*SnapshotAttributes failed.
    restorable_by: tuple[str, ...] | None = None


class RdsDbSnapshot(DbSnapshotFields):
    type: ClassVar[str] = "AWS::RDS::DBSnapshot"


class RdsDbClusterSnapshot(DbSnapshotFields):
    type: ClassVar[str] = "AWS::RDS::DBClusterSnapshot"
