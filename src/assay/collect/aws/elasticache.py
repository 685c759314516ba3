"""ElastiCache: Redis OSS and Valkey replication groups, all read from the one DescribeReplicationGroups listing."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.elasticache import ElastiCacheReplicationGroup


@collector(service="elasticache", produces=[ElastiCacheReplicationGroup],
           permissions=["elasticache:DescribeReplicationGroups"])
def collect_replication_groups(ctx: Ctx) -> Iterator[ElastiCacheReplicationGroup]:
    elasticache = ctx.client("elasticache")
    for g in ctx.paginate(elasticache, "describe_replication_groups", "ReplicationGroups"):
        ident = g["ReplicationGroupId"]
        yield ElastiCacheReplicationGroup(
            arn=g.get("ARN") or ctx.arn("elasticache", f"replicationgroup:{ident}"), id=ident,
            account_id=ctx.account_id, region=ctx.region, name=ident, engine=g.get("Engine") or "redis",
            node_type=g.get("CacheNodeType") or "", members=tuple(g.get("MemberClusters") or ()),
            transit_encryption=bool(g.get("TransitEncryptionEnabled", False)),
            transit_encryption_mode=g.get("TransitEncryptionMode") or "",
            at_rest_encryption=bool(g.get("AtRestEncryptionEnabled", False)),
            auth_token_enabled=bool(g.get("AuthTokenEnabled", False)),
            user_group_ids=tuple(g.get("UserGroupIds") or ()),
            snapshot_retention_days=int(g.get("SnapshotRetentionLimit") or 0),
            multi_az=g.get("MultiAZ") == "enabled", automatic_failover=g.get("AutomaticFailover") or "disabled",
        )
