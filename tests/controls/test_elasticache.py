"""ElastiCache controls: pure functions over ElastiCacheReplicationGroup."""

from __future__ import annotations

from typing import Any

from assay.controls import elasticache, elasticache_clusters
from assay.models.findings import Status
from assay.models.resources.elasticache import ElastiCacheReplicationGroup
from assay.models.resources.elasticache_clusters import ElastiCacheCluster

P, F, S = Status.PASS, Status.FAIL, Status.SKIP


def group(**over: Any) -> ElastiCacheReplicationGroup:
    base: dict[str, Any] = dict(
        arn="arn:aws:elasticache:us-east-1:123456789012:replicationgroup:sessions", id="sessions",
        account_id="123456789012", region="us-east-1", members=("sessions-001", "sessions-002"),
        transit_encryption=True, transit_encryption_mode="required", at_rest_encryption=True,
        auth_token_enabled=True, snapshot_retention_days=7, multi_az=True, automatic_failover="enabled",
    )
    return ElastiCacheReplicationGroup(**{**base, **over})


def test_replication_group_encrypted_in_transit() -> None:
    assert elasticache.replication_group_encrypted_in_transit(group()).status is P
    # older groups report no mode: encryption on means required
    assert elasticache.replication_group_encrypted_in_transit(group(transit_encryption_mode="")).status is P
    assert elasticache.replication_group_encrypted_in_transit(group(transit_encryption=False)) == \
        (F, "in-transit encryption is off")
    out = elasticache.replication_group_encrypted_in_transit(group(transit_encryption_mode="preferred"))
    assert out.status is F and "clear-text" in out.message


def test_replication_group_encrypted_at_rest() -> None:
    assert elasticache.replication_group_encrypted_at_rest(group()).status is P
    assert elasticache.replication_group_encrypted_at_rest(group(at_rest_encryption=False)).status is F


def test_replication_group_auth_enabled() -> None:
    assert elasticache.replication_group_auth_enabled(group()) == (P, "clients must present the AUTH token")
    rbac = group(auth_token_enabled=False, user_group_ids=("app-users",))
    assert elasticache.replication_group_auth_enabled(rbac) == (P, "clients authenticate as users of app-users")
    assert elasticache.replication_group_auth_enabled(group(auth_token_enabled=False)).status is F


def test_replication_group_backups() -> None:
    assert elasticache.replication_group_backups(group()) == (P, "automatic backups are kept 7 days")
    assert elasticache.replication_group_backups(group(snapshot_retention_days=0)) == \
        (F, "automatic backups are disabled (retention 0 days)")
    assert elasticache.replication_group_backups(group(), min_retention_days=15).status is F


def test_replication_group_multi_az() -> None:
    assert elasticache.replication_group_multi_az(group()).status is P
    single = group(multi_az=False, automatic_failover="disabled", members=("x-001",))
    assert elasticache.replication_group_multi_az(single) == \
        (F, "Multi-AZ is disabled (automatic failover disabled, 1 node(s))")


# -- cache clusters outside replication groups -------------------------------------------------------

def cluster(**over: Any) -> ElastiCacheCluster:
    base: dict[str, Any] = dict(
        arn="arn:aws:elasticache:us-east-1:123456789012:cluster:flags", id="flags", account_id="123456789012",
        region="us-east-1", engine="redis", engine_version="7.1", transit_encryption=True,
        snapshot_retention_days=7, auto_minor_version_upgrade=True,
    )
    return ElastiCacheCluster(**{**base, **over})


def test_cluster_encrypted_in_transit() -> None:
    assert elasticache_clusters.cluster_encrypted_in_transit(cluster()).status is P
    assert elasticache_clusters.cluster_encrypted_in_transit(cluster(engine="memcached", engine_version="1.6.22",
                                                                     transit_encryption=False)) == \
        (F, "in-transit encryption is off (memcached 1.6.22)")


def test_cluster_backups() -> None:
    assert elasticache_clusters.cluster_backups(cluster()) == (P, "automatic backups are kept 7 days")
    assert elasticache_clusters.cluster_backups(cluster(snapshot_retention_days=0)).status is F
    assert elasticache_clusters.cluster_backups(cluster(), min_retention_days=14).status is F
    assert elasticache_clusters.cluster_backups(cluster(engine="memcached", snapshot_retention_days=0)).status is S


def test_cluster_auto_minor_version_upgrade() -> None:
    assert elasticache_clusters.cluster_auto_minor_version_upgrade(cluster()).status is P
    assert elasticache_clusters.cluster_auto_minor_version_upgrade(cluster(auto_minor_version_upgrade=False)) == \
        (F, "automatic minor version upgrades are off (redis 7.1)")
    # AWS always reports the setting: its absence is unknown, never a pass
    assert elasticache_clusters.cluster_auto_minor_version_upgrade(
        cluster(auto_minor_version_upgrade=None)).status is Status.ERROR
