"""Northwind's caches: the session store (TLS, AUTH, encrypted, backed up, Multi-AZ) and a leftover
recommendations cache with every protection off."""

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
