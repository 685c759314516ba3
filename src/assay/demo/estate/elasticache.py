"""Northwind's caches: the session store (TLS, AUTH, encrypted, backed up, Multi-AZ) and a leftover
recommendations cache with every protection off; outside replication groups, a product-catalogue Memcached
cluster and a rate limiter (TLS, backups, automatic upgrades) and a feature-flag cache with none of them."""

from __future__ import annotations

from assay.demo.estate import ClientFactory


def seed(client: ClientFactory, regions: list[str]) -> None:
    for region in regions:
        cache = client("elasticache", region)
        cache.create_replication_group(
            ReplicationGroupId=f"pass-sessions-{region}", ReplicationGroupDescription="web sessions",
            Engine="redis", CacheNodeType="cache.r7g.large", NumCacheClusters=2, TransitEncryptionEnabled=True,
            TransitEncryptionMode="required", AtRestEncryptionEnabled=True, AuthToken="northwind-demo-auth-token",
            SnapshotRetentionLimit=7, MultiAZEnabled=True, AutomaticFailoverEnabled=True)
    client("elasticache", regions[0]).create_replication_group(
        ReplicationGroupId="fail-recommendations", ReplicationGroupDescription="recommendations prototype",
        Engine="redis", CacheNodeType="cache.t4g.small")
    cache = client("elasticache", regions[0])
    cache.create_cache_cluster(CacheClusterId="pass-catalog-memcached", Engine="memcached", EngineVersion="1.6.22",
                               CacheNodeType="cache.t4g.small", NumCacheNodes=2, TransitEncryptionEnabled=True,
                               AutoMinorVersionUpgrade=True)
    cache.create_cache_cluster(CacheClusterId="pass-rate-limiter", Engine="redis", EngineVersion="7.1",
                               CacheNodeType="cache.t4g.small", TransitEncryptionEnabled=True,
                               SnapshotRetentionLimit=7, AutoMinorVersionUpgrade=True)
    cache.create_cache_cluster(CacheClusterId="fail-feature-flags", Engine="redis", EngineVersion="6.2",
                               CacheNodeType="cache.t4g.micro", AutoMinorVersionUpgrade=False)
