"""ElastiCache controls over Redis OSS and Valkey replication groups: encryption, authentication, backups,
Multi-AZ failover."""

from __future__ import annotations

from assay.controls.rds import MIN_BACKUP_DAYS, judge_retention, verdict
from assay.controls.registry import Remediation, control
from assay.models.findings import Fail, Outcome, Pass
from assay.models.resources.elasticache import ElastiCacheReplicationGroup

GROUPS = ["elasticache:DescribeReplicationGroups"]


@control(
    id="elasticache.replication_group_encrypted_in_transit",
    title="ElastiCache replication groups require TLS",
    severity="medium",
    needs=GROUPS,
    rationale="Caches hold sessions, tokens and copies of database rows; without in-transit encryption they "
    "cross the network in clear text. The \"preferred\" mode still accepts clear-text clients, so only "
    "\"required\" passes (CC6.7).",
    remediation=Remediation(
        console="ElastiCache console > Redis OSS/Valkey caches > the cache > Modify > Security > Encryption in "
        "transit: enable, mode Preferred, update clients to TLS, then Modify again to mode Required.",
        cli="aws elasticache modify-replication-group --replication-group-id <id> --transit-encryption-enabled "
        "--transit-encryption-mode preferred --apply-immediately\n"
        "aws elasticache modify-replication-group --replication-group-id <id> --transit-encryption-mode required "
        "--apply-immediately",
        terraform='resource "aws_elasticache_replication_group" "example" {\n'
        '  transit_encryption_enabled = true\n  transit_encryption_mode    = "required"\n}',
    ),
)
def replication_group_encrypted_in_transit(g: ElastiCacheReplicationGroup) -> Outcome:
    if not g.transit_encryption:
        return Fail("in-transit encryption is off")
    if g.transit_encryption_mode == "preferred":
        return Fail("in-transit encryption is in \"preferred\" mode: clear-text connections are still accepted")
    return Pass("clients must connect over TLS")


@control(
    id="elasticache.replication_group_encrypted_at_rest",
    title="ElastiCache replication groups encrypt data at rest",
    severity="medium",
    needs=GROUPS,
    rationale="At-rest encryption protects data that the cache writes to disk (swap, backups, snapshots in S3) "
    "under a KMS key (CC6.1, C1.1).",
    remediation=Remediation(
        console="At-rest encryption is set at creation: ElastiCache console > the cache > Actions > Backup; then "
        "Create a cache from the backup with Encryption at rest enabled; move clients; delete the old cache.",
        cli="aws elasticache create-snapshot --replication-group-id <id> --snapshot-name <id>-move\n"
        "aws elasticache create-replication-group --replication-group-id <id>-enc --replication-group-description "
        "<text> --snapshot-name <id>-move --at-rest-encryption-enabled --kms-key-id <kms-key-arn>",
        terraform='resource "aws_elasticache_replication_group" "example" {\n  at_rest_encryption_enabled = true\n'
        '  kms_key_id                 = aws_kms_key.cache.arn\n}',
    ),
)
def replication_group_encrypted_at_rest(g: ElastiCacheReplicationGroup) -> Outcome:
    return verdict(g.at_rest_encryption, "data at rest is encrypted", "data at rest is not encrypted")


@control(
    id="elasticache.replication_group_auth_enabled",
    title="ElastiCache replication groups require client authentication",
    severity="medium",
    needs=GROUPS,
    rationale="Without an AUTH token or RBAC user group, anything that can reach the port can read and "
    "overwrite the cache; authentication makes access depend on a credential (CC6.1).",
    remediation=Remediation(
        console="ElastiCache console > User group management > create users and a user group > the cache > "
        "Modify > Access control: User group access control list > choose the group (needs in-transit "
        "encryption).",
        cli="aws elasticache modify-replication-group --replication-group-id <id> --user-group-ids-to-add <group-id> "
        "--apply-immediately",
        terraform='resource "aws_elasticache_replication_group" "example" {\n'
        '  user_group_ids = [aws_elasticache_user_group.app.id]  # or auth_token = var.token\n}',
    ),
)
def replication_group_auth_enabled(g: ElastiCacheReplicationGroup) -> Outcome:
    if g.user_group_ids:
        return Pass(f"clients authenticate as users of {', '.join(g.user_group_ids)}")
    if g.auth_token_enabled:
        return Pass("clients must present the AUTH token")
    return Fail("no AUTH token or user group: any client that reaches the port is served")


@control(
    id="elasticache.replication_group_backups",
    title="ElastiCache replication groups keep automatic backups for the minimum retention period",
    severity="medium",
    needs=GROUPS,
    rationale="Automatic backups let a cache used as a data store be restored after a failure or a bad write; "
    "the minimum retention is a parameter (default 7 days; AWS Config's rule defaults to 15) (A1.2, CC7.4).",
    remediation=Remediation(
        console="ElastiCache console > the cache > Modify > Backup > Enable automatic backups > Backup retention "
        "period: 7 days or more > Preview changes > Modify.",
        cli="aws elasticache modify-replication-group --replication-group-id <id> --snapshot-retention-limit 7 "
        "--apply-immediately",
        terraform='resource "aws_elasticache_replication_group" "example" {\n  snapshot_retention_limit = 7\n}',
    ),
)
def replication_group_backups(g: ElastiCacheReplicationGroup, *, min_retention_days: int = MIN_BACKUP_DAYS) -> Outcome:
    return judge_retention(g.snapshot_retention_days, min_retention_days, "automatic backups")


@control(
    id="elasticache.replication_group_multi_az",
    title="ElastiCache replication groups fail over automatically across Availability Zones",
    severity="medium",
    needs=GROUPS,
    rationale="With Multi-AZ, a replica in another zone is promoted automatically when the primary or its zone "
    "fails; without it, the cache is unavailable until a node is replaced by hand (A1.2).",
    remediation=Remediation(
        console="ElastiCache console > the cache > add a replica in another Availability Zone if there is none > "
        "Modify > Multi-AZ: enable > Preview changes > Modify.",
        cli="aws elasticache increase-replica-count --replication-group-id <id> --new-replica-count 1 "
        "--apply-immediately\n"
        "aws elasticache modify-replication-group --replication-group-id <id> --multi-az-enabled "
        "--automatic-failover-enabled --apply-immediately",
        terraform='resource "aws_elasticache_replication_group" "example" {\n  num_cache_clusters         = 2\n'
        '  automatic_failover_enabled = true\n  multi_az_enabled           = true\n}',
    ),
)
def replication_group_multi_az(g: ElastiCacheReplicationGroup) -> Outcome:
    if g.multi_az:
        return Pass("Multi-AZ with automatic failover is enabled")
    return Fail(f"Multi-AZ is disabled (automatic failover {g.automatic_failover}, {len(g.members)} node(s))")
