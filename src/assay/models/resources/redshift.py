"""Redshift resources: provisioned clusters."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class RedshiftCluster(Resource):
    """A provisioned cluster. The listing gives most fields; the two that need a call of their own are None
    when that call failed."""

    type: ClassVar[str] = "AWS::Redshift::Cluster"
    node_type: str = ""
    publicly_accessible: bool = False
    encrypted: bool = False
    kms_key_id: str | None = None
    enhanced_vpc_routing: bool = False
    allow_version_upgrade: bool = False
    snapshot_retention_days: int = 0  # automated snapshots; 0 = off
    parameter_groups: tuple[str, ...] = ()
    audit_logging: bool | None = None  # DescribeLoggingStatus.LoggingEnabled
    # require_ssl of every parameter group the cluster uses ("true"/"false"); None: a group could not be read.
    require_ssl: dict[str, str] | None = None
