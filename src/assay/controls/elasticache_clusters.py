"""ElastiCache controls over cache clusters outside replication groups (Memcached, single-node Redis OSS and
Valkey): encryption in transit, automatic backups, automatic minor upgrades."""

from __future__ import annotations

from assay.controls.rds import MIN_BACKUP_DAYS, judge_retention
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.elasticache_clusters import ElastiCacheCluster

CLUSTERS = ["elasticache:DescribeCacheClusters"]


@control(
    id="elasticache.cluster_encrypted_in_transit",
    title="ElastiCache clusters outside replication groups encrypt traffic in transit",
    severity="medium",
    needs=CLUSTERS,
    rationale="A Memcached cluster or single-node Redis OSS cache without in-transit encryption serves "
    "sessions, tokens and cached records in clear text to anything on the network path; TLS keeps that "
    "data confidential while it moves between the application and the cache (CC6.7).",
    remediation=Remediation(
        console="ElastiCache console > Memcached caches (or Redis OSS caches) > the cluster: in-transit "
        "encryption is chosen at creation for these clusters, so create a replacement with Encryption in "
        "transit enabled (Memcached 1.6.12 or later), point clients at it with TLS, and delete the old one.",
        cli="aws elasticache create-cache-cluster --cache-cluster-id <id>-tls --engine memcached "
        "--cache-node-type <type> --num-cache-nodes <n> --transit-encryption-enabled\n"
        "aws elasticache delete-cache-cluster --cache-cluster-id <id>",
        terraform='resource "aws_elasticache_cluster" "example" {\n  engine                     = "memcached"\n'
        "  transit_encryption_enabled = true\n}",
    ),
)
def cluster_encrypted_in_transit(c: ElastiCacheCluster) -> Outcome:
    if c.transit_encryption:
        return Pass("clients connect over TLS")
    return Fail(f"in-transit encryption is off ({c.engine} {c.engine_version}".rstrip() + ")")


@control(
    id="elasticache.cluster_backups",
    title="Single-node Redis OSS and Valkey clusters keep automatic backups for the minimum retention period",
    severity="medium",
    needs=CLUSTERS,
    rationale="A single-node cache that an application uses as a data store loses everything when its node "
    "fails; daily automatic backups kept for the minimum retention (default 7 days) let it be restored (A1.2, "
    "CC7.5). Memcached keeps no data on disk and cannot be backed up, so it is not applicable.",
    remediation=Remediation(
        console="ElastiCache console > Redis OSS caches > the cluster > Modify > Backup > Enable automatic "
        "backups > Backup retention period: 7 days or more > Preview changes > Modify.",
        cli="aws elasticache modify-cache-cluster --cache-cluster-id <id> --snapshot-retention-limit 7 "
        "--apply-immediately",
        terraform='resource "aws_elasticache_cluster" "example" {\n  snapshot_retention_limit = 7\n'
        '  snapshot_window          = "03:00-04:00"\n}',
    ),
)
def cluster_backups(c: ElastiCacheCluster, *, min_retention_days: int = MIN_BACKUP_DAYS) -> Outcome:
    if c.memcached:
        return Skip("Memcached keeps no data on disk and cannot be backed up")
    return judge_retention(c.snapshot_retention_days, min_retention_days, "automatic backups")


@control(
    id="elasticache.cluster_auto_minor_version_upgrade",
    title="ElastiCache clusters outside replication groups apply minor engine upgrades automatically",
    severity="low",
    needs=CLUSTERS,
    rationale="Minor engine versions carry security fixes; letting ElastiCache apply them in the maintenance "
    "window keeps caches patched through a scheduled, controlled change rather than by hand (CC7.1, CC8.1).",
    remediation=Remediation(
        console="ElastiCache console > the cluster > Modify > Maintenance > Auto upgrade minor versions: Enable "
        "> Preview changes > Modify.",
        cli="aws elasticache modify-cache-cluster --cache-cluster-id <id> --auto-minor-version-upgrade "
        "--apply-immediately",
        terraform='resource "aws_elasticache_cluster" "example" {\n  auto_minor_version_upgrade = true\n}',
    ),
)
def cluster_auto_minor_version_upgrade(c: ElastiCacheCluster) -> Outcome:
    if c.auto_minor_version_upgrade is None:
        return Error("the cluster did not report its minor version upgrade setting")
    if c.auto_minor_version_upgrade:
        return Pass("automatic minor version upgrades are on")
    return Fail(f"automatic minor version upgrades are off ({c.engine} {c.engine_version}".rstrip() + ")")
