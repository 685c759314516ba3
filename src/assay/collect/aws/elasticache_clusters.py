"""ElastiCache cache clusters outside any replication group, from the one DescribeCacheClusters listing."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.elasticache_clusters import ElastiCacheCluster


@collector(service="elasticache", produces=[ElastiCacheCluster], permissions=["elasticache:DescribeCacheClusters"])
def collect_cache_clusters(ctx: Ctx) -> Iterator[ElastiCacheCluster]:
    elasticache = ctx.client("elasticache")
    for c in ctx.paginate(elasticache, "describe_cache_clusters", "CacheClusters"):
        if c.get("ReplicationGroupId"):
            continue  # a node of a replication group: the group's own controls judge it
        ident = str(c["CacheClusterId"])
        upgrade = c.get("AutoMinorVersionUpgrade")
        yield ElastiCacheCluster(
            arn=str(c.get("ARN") or ctx.arn("elasticache", f"cluster:{ident}")), id=ident,
            account_id=ctx.account_id, region=ctx.region, name=ident, engine=str(c.get("Engine") or "redis"),
            engine_version=str(c.get("EngineVersion") or ""), node_type=str(c.get("CacheNodeType") or ""),
            nodes=int(c.get("NumCacheNodes") or 1), transit_encryption=bool(c.get("TransitEncryptionEnabled")),
            at_rest_encryption=bool(c.get("AtRestEncryptionEnabled")),
            auth_token_enabled=bool(c.get("AuthTokenEnabled")),
            snapshot_retention_days=int(c.get("SnapshotRetentionLimit") or 0),
            auto_minor_version_upgrade=None if upgrade is None else bool(upgrade),
        )
