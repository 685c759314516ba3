"""ElastiCache cache clusters that belong to no replication group: Memcached clusters and single-node
Redis OSS or Valkey clusters (members of a replication group are judged through the group)."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class ElastiCacheCluster(Resource):
    type: ClassVar[str] = "AWS::ElastiCache::CacheCluster"
    engine: str = "redis"  # redis, valkey or memcached
    engine_version: str = ""
    node_type: str = ""
    nodes: int = 1
    transit_encryption: bool = False
    at_rest_encryption: bool = False
    auth_token_enabled: bool = False
    snapshot_retention_days: int = 0  # automatic backups (Redis OSS and Valkey only); 0 = off
    auto_minor_version_upgrade: bool | None = None  # None: not reported

    @property
    def memcached(self) -> bool:
        return self.engine == "memcached"
