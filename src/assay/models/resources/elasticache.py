"""ElastiCache resources: Redis OSS and Valkey replication groups (every node group and replica of a cache)."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class ElastiCacheReplicationGroup(Resource):
    type: ClassVar[str] = "AWS::ElastiCache::ReplicationGroup"
    engine: str = "redis"
    node_type: str = ""
    members: tuple[str, ...] = ()  # cache cluster (node) ids
    transit_encryption: bool = False
    transit_encryption_mode: str = ""  # "required" or "preferred" (accepts clear text too) when on
    at_rest_encryption: bool = False
    auth_token_enabled: bool = False
    user_group_ids: tuple[str, ...] = ()  # RBAC user groups, the alternative to an AUTH token
    snapshot_retention_days: int = 0  # automatic backups; 0 = off
    multi_az: bool = False
    automatic_failover: str = "disabled"  # enabled | disabled | enabling | disabling
