"""RDS controls: DB instances, DB clusters (Aurora, Multi-AZ DB clusters, DocumentDB) and manual snapshots.

Aurora, DocumentDB and Neptune instances are cluster members: their storage encryption, backups,
deletion protection, log exports and tag copying are cluster settings, judged on the cluster (here
or in controls/neptune.py), so the instance controls skip them. The cluster helpers are shared with
the Neptune controls.
"""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.rds import (
    DbClusterFields,
    DbSnapshotFields,
    RdsDbCluster,
    RdsDbClusterSnapshot,
    RdsDbInstance,
    RdsDbSnapshot,
)

INSTANCES = ["rds:DescribeDBInstances"]
CLUSTERS = ["rds:DescribeDBClusters"]
MIN_BACKUP_DAYS = 7
# Log types worth exporting per engine family, named in messages so the reader knows what is missing.
ENGINE_LOGS = {
    "mysql": ("audit", "error", "general", "slowquery"), "mariadb": ("audit", "error", "general", "slowquery"),
    "postgres": ("postgresql", "upgrade"), "oracle": ("alert", "audit", "trace", "listener"),
    "sqlserver": ("error", "agent"), "db2": ("diag.log", "notify.log"),
}
IAM_AUTH_ENGINES = ("mysql", "mariadb", "postgres", "aurora-mysql", "aurora-postgresql", "aurora")
AURORA_ENGINES = ("aurora-mysql", "aurora-postgresql", "aurora")


def _family(engine: str) -> str:
    for prefix in ("aurora-mysql", "aurora-postgresql", "sqlserver", "oracle", "custom-oracle", "custom-sqlserver"):
        if engine.startswith(prefix):
            return prefix.removeprefix("custom-").removeprefix("aurora-")
    return "mysql" if engine == "aurora" else engine


def _member(db: RdsDbInstance, what: str) -> Outcome | None:
    if db.cluster_id:
        return Skip(f"member of cluster {db.cluster_id}: {what} is a cluster setting, judged on the cluster")
    return None


def verdict(ok: bool, good: str, bad: str) -> Outcome:
    return Pass(good) if ok else Fail(bad)


# Shared by the RDS and Neptune cluster controls.

def judge_encrypted(c: DbClusterFields) -> Outcome:
    return Pass("cluster storage is encrypted") if c.storage_encrypted else Fail("cluster storage is not encrypted")


def judge_retention(days: int, minimum: int, what: str = "automated backups") -> Outcome:
    if days == 0:
        return Fail(f"{what} are disabled (retention 0 days)")
    if days < minimum:
        return Fail(f"{what} are kept {days} day(s), fewer than {minimum}")
    return Pass(f"{what} are kept {days} days")


def judge_deletion_protection(kind: str, enabled: bool) -> Outcome:
    return verdict(enabled, "deletion protection is on",
                   f"deletion protection is off: a single call can delete the {kind}")


def judge_copy_tags(enabled: bool) -> Outcome:
    return Pass("tags are copied to snapshots") if enabled else Fail("tags are not copied to snapshots")


def judge_snapshot_encrypted(s: DbSnapshotFields) -> Outcome:
    return verdict(s.encrypted, "snapshot is encrypted", f"snapshot of {s.source_id or 'its source'} is not encrypted")


def judge_snapshot_sharing(s: DbSnapshotFields) -> Outcome:
    if s.restorable_by is None:
        return Error("snapshot sharing attributes were not collected")
    if "all" in s.restorable_by:
        return Fail("snapshot is public: any AWS account can restore it")
    if s.restorable_by:
        return Pass(f"snapshot is shared only with account(s) {', '.join(s.restorable_by)}")
    return Pass("snapshot is not shared")


def _snapshot_remediation(cluster: bool) -> Remediation:
    cmd = "modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier" if cluster else \
        "modify-db-snapshot-attribute --db-snapshot-identifier"
    return Remediation(
        console="RDS console > Snapshots > Manual > select the snapshot > Actions > Share snapshot > set DB snapshot "
        "visibility to Private and keep only the account ids that need it > Save.",
        cli=f"aws rds {cmd} <snapshot-id> --attribute-name restore --values-to-remove all",
        terraform="# Snapshots made by Terraform are private unless shared; remove any\n"
        "# aws_db_snapshot_copy / share step that adds \"all\" to the restore attribute.",
    )


def _encrypted_snapshot_remediation(cluster: bool) -> Remediation:
    copy = "copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier <id> " \
        "--target-db-cluster-snapshot-identifier <id>-encrypted" if cluster else \
        "copy-db-snapshot --source-db-snapshot-identifier <id> --target-db-snapshot-identifier <id>-encrypted"
    return Remediation(
        console="RDS console > Snapshots > select the snapshot > Actions > Copy snapshot > Enable encryption with a "
        "KMS key > Copy; then delete the unencrypted original once the copy is verified.",
        cli=f"aws rds {copy} --kms-key-id <kms-key-arn>\n"
        f"aws rds delete-db-{'cluster-' if cluster else ''}snapshot --db-{'cluster-' if cluster else ''}"
        "snapshot-identifier <id>",
        terraform="# Encrypt the source so its snapshots are encrypted: storage_encrypted = true and\n"
        "# kms_key_id on aws_db_instance / aws_rds_cluster (a restore from an encrypted copy).",
    )


@control(
    id="rds.instance_not_publicly_accessible",
    title="RDS DB instances are not publicly accessible",
    severity="high",
    needs=INSTANCES,
    rationale="A publicly accessible instance gets a DNS name that resolves to a public IP, so only security "
    "groups stand between the database and the internet. Keeping databases private is a basic logical "
    "access boundary for CC6.1 and CC6.6.",
    remediation=Remediation(
        console="RDS console > Databases > the instance > Modify > Connectivity > Additional configuration > "
        "Public access: Not publicly accessible > Continue > Apply immediately.",
        cli="aws rds modify-db-instance --db-instance-identifier <id> --no-publicly-accessible --apply-immediately",
        terraform='resource "aws_db_instance" "example" {\n  publicly_accessible = false\n}',
    ),
)
def instance_not_publicly_accessible(db: RdsDbInstance) -> Outcome:
    if db.publicly_accessible:
        return Fail("instance is publicly accessible: its endpoint resolves to a public IP address")
    return Pass("instance is not publicly accessible")


@control(
    id="rds.instance_storage_encrypted",
    title="RDS DB instances encrypt their storage",
    severity="high",
    needs=INSTANCES,
    rationale="Encryption at rest with KMS protects data, automated backups, replicas and snapshots against "
    "access to the underlying storage and ties every read to a key policy (CC6.1, C1.1).",
    remediation=Remediation(
        console="Encryption cannot be switched on in place: RDS console > Snapshots > take a snapshot > Copy "
        "snapshot with encryption enabled > Restore snapshot > point applications to the new instance.",
        cli="aws rds create-db-snapshot --db-instance-identifier <id> --db-snapshot-identifier <id>-plain\n"
        "aws rds copy-db-snapshot --source-db-snapshot-identifier <id>-plain --target-db-snapshot-identifier "
        "<id>-enc --kms-key-id <kms-key-arn>\n"
        "aws rds restore-db-instance-from-db-snapshot --db-instance-identifier <id>-new "
        "--db-snapshot-identifier <id>-enc",
        terraform='resource "aws_db_instance" "example" {\n  storage_encrypted = true\n'
        '  kms_key_id        = aws_kms_key.rds.arn\n}',
    ),
)
def instance_storage_encrypted(db: RdsDbInstance) -> Outcome:
    if skip := _member(db, "storage encryption"):
        return skip
    return Pass("storage is encrypted") if db.storage_encrypted else Fail("storage is not encrypted")


@control(
    id="rds.instance_backup_retention",
    title="RDS DB instances keep automated backups for the minimum retention period",
    severity="medium",
    needs=INSTANCES,
    rationale="Automated backups with point-in-time recovery are what restores a database after corruption, "
    "a bad deployment or deletion; a retention of several days leaves time to notice the problem "
    "(A1.2, CC7.4). The minimum is a parameter (default 7 days).",
    remediation=Remediation(
        console="RDS console > Databases > the instance > Modify > Additional configuration > Backup > Backup "
        "retention period: 7 days or more > Continue > Apply immediately.",
        cli="aws rds modify-db-instance --db-instance-identifier <id> --backup-retention-period 7 --apply-immediately",
        terraform='resource "aws_db_instance" "example" {\n  backup_retention_period = 7\n}',
    ),
)
def instance_backup_retention(db: RdsDbInstance, *, min_retention_days: int = MIN_BACKUP_DAYS) -> Outcome:
    if skip := _member(db, "backup retention"):
        return skip
    if db.read_replica_source and db.backup_retention_days == 0:
        return Skip(f"read replica of {db.read_replica_source}: backups are taken on the source")
    return judge_retention(db.backup_retention_days, min_retention_days)


@control(
    id="rds.instance_multi_az",
    title="RDS DB instances run in a Multi-AZ deployment",
    severity="medium",
    needs=INSTANCES,
    rationale="A Multi-AZ deployment keeps a synchronous standby in another Availability Zone and fails over "
    "automatically, so an AZ outage or host failure does not take the database down (A1.2).",
    remediation=Remediation(
        console="RDS console > Databases > the instance > Modify > Availability & durability > Create a standby "
        "instance > Continue > Apply during the next maintenance window.",
        cli="aws rds modify-db-instance --db-instance-identifier <id> --multi-az",
        terraform='resource "aws_db_instance" "example" {\n  multi_az = true\n}',
    ),
)
def instance_multi_az(db: RdsDbInstance) -> Outcome:
    if db.cluster_id:
        return Skip(f"member of cluster {db.cluster_id}: availability comes from the cluster's instances")
    return verdict(db.multi_az, "instance has a Multi-AZ standby", "instance runs in a single Availability Zone")


@control(
    id="rds.instance_deletion_protection",
    title="RDS DB instances have deletion protection",
    severity="medium",
    needs=INSTANCES,
    rationale="Deletion protection makes deleting a database a deliberate two-step change, guarding the data "
    "against mistakes and scripts that tear down the wrong environment (C1.1, A1.2).",
    remediation=Remediation(
        console="RDS console > Databases > the instance > Modify > Additional configuration > check Enable "
        "deletion protection > Continue > Apply immediately.",
        cli="aws rds modify-db-instance --db-instance-identifier <id> --deletion-protection --apply-immediately",
        terraform='resource "aws_db_instance" "example" {\n  deletion_protection = true\n}',
    ),
)
def instance_deletion_protection(db: RdsDbInstance) -> Outcome:
    if skip := _member(db, "deletion protection"):
        return skip
    return judge_deletion_protection("instance", db.deletion_protection)


@control(
    id="rds.instance_log_exports_enabled",
    title="RDS DB instances export database logs to CloudWatch Logs",
    severity="medium",
    needs=INSTANCES,
    rationale="Exported error, audit and slow-query logs outlive the instance, can be searched and alarmed on, "
    "and show who did what in the database, which CC7.2 and CC7.3 monitoring relies on.",
    remediation=Remediation(
        console="RDS console > Databases > the instance > Modify > Log exports > check the log types (e.g. "
        "error, audit, slowquery; postgresql, upgrade) > Continue > Apply immediately.",
        cli="aws rds modify-db-instance --db-instance-identifier <id> --cloudwatch-logs-export-configuration "
        "'{\"EnableLogTypes\":[\"error\",\"slowquery\"]}' --apply-immediately",
        terraform='resource "aws_db_instance" "example" {\n'
        '  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]\n}',
    ),
)
def instance_log_exports_enabled(db: RdsDbInstance) -> Outcome:
    if skip := _member(db, "log export"):
        return skip
    available = ENGINE_LOGS.get(_family(db.engine), ())
    missing = [t for t in available if t not in db.log_exports]
    if not db.log_exports:
        hint = f" (available for {db.engine}: {', '.join(available)})" if available else ""
        return Fail(f"no database logs are exported to CloudWatch Logs{hint}")
    note = f"; not exported: {', '.join(missing)}" if missing else ""
    return Pass(f"exports {', '.join(db.log_exports)} to CloudWatch Logs{note}")


@control(
    id="rds.instance_iam_auth_enabled",
    title="RDS DB instances accept IAM database authentication",
    severity="low",
    needs=INSTANCES,
    rationale="IAM database authentication replaces long-lived database passwords with short-lived tokens "
    "issued to IAM identities, so database access follows the central joiner/leaver process (CC6.1, CC6.2).",
    remediation=Remediation(
        console="RDS console > Databases > the instance > Modify > Database authentication > Password and IAM "
        "database authentication > Continue > Apply immediately.",
        cli="aws rds modify-db-instance --db-instance-identifier <id> --enable-iam-database-authentication "
        "--apply-immediately",
        terraform='resource "aws_db_instance" "example" {\n  iam_database_authentication_enabled = true\n}',
    ),
)
def instance_iam_auth_enabled(db: RdsDbInstance) -> Outcome:
    if skip := _member(db, "IAM authentication"):
        return skip
    if db.engine not in IAM_AUTH_ENGINES:
        return Skip(f"IAM database authentication is not available for {db.engine}")
    return verdict(db.iam_auth_enabled, "IAM authentication is enabled", "only password authentication is enabled")


@control(
    id="rds.instance_auto_minor_version_upgrade",
    title="RDS DB instances apply minor engine upgrades automatically",
    severity="low",
    needs=INSTANCES,
    rationale="Minor versions carry security fixes; letting RDS apply them in the maintenance window keeps "
    "databases patched through a controlled, scheduled change (CC7.1, CC8.1).",
    remediation=Remediation(
        console="RDS console > Databases > the instance > Modify > Maintenance > Enable auto minor version "
        "upgrade > Continue.",
        cli="aws rds modify-db-instance --db-instance-identifier <id> --auto-minor-version-upgrade",
        terraform='resource "aws_db_instance" "example" {\n  auto_minor_version_upgrade = true\n}',
    ),
)
def instance_auto_minor_version_upgrade(db: RdsDbInstance) -> Outcome:
    version = f"{db.engine} {db.engine_version}".strip()
    return verdict(db.auto_minor_version_upgrade, "automatic minor version upgrades are on",
                   f"automatic minor version upgrades are off ({version})")


@control(
    id="rds.instance_enhanced_monitoring",
    title="RDS DB instances have Enhanced Monitoring",
    severity="low",
    needs=INSTANCES,
    rationale="Enhanced Monitoring samples operating-system metrics (CPU, memory, I/O, processes) every few "
    "seconds, which capacity monitoring and incident diagnosis need beyond the hypervisor view (A1.1, CC7.2).",
    remediation=Remediation(
        console="RDS console > Databases > the instance > Modify > Monitoring > Enable Enhanced Monitoring > "
        "Granularity 60 seconds or less > Monitoring role > Continue.",
        cli="aws rds modify-db-instance --db-instance-identifier <id> --monitoring-interval 60 "
        "--monitoring-role-arn <rds-monitoring-role-arn>",
        terraform='resource "aws_db_instance" "example" {\n  monitoring_interval = 60\n'
        '  monitoring_role_arn = aws_iam_role.rds_monitoring.arn\n}',
    ),
)
def instance_enhanced_monitoring(db: RdsDbInstance) -> Outcome:
    if db.monitoring_interval > 0:
        return Pass(f"Enhanced Monitoring samples every {db.monitoring_interval} seconds")
    return Fail("Enhanced Monitoring is off")


@control(
    id="rds.instance_copy_tags_to_snapshot",
    title="RDS DB instances copy their tags to snapshots",
    severity="low",
    needs=INSTANCES,
    rationale="Copying tags keeps data-classification and ownership tags on every snapshot, so backups of "
    "confidential data are recognised and handled like their source (C1.1, CC6.1).",
    remediation=Remediation(
        console="RDS console > Databases > the instance > Modify > Additional configuration > Backup > check "
        "Copy tags to snapshots > Continue > Apply immediately.",
        cli="aws rds modify-db-instance --db-instance-identifier <id> --copy-tags-to-snapshot --apply-immediately",
        terraform='resource "aws_db_instance" "example" {\n  copy_tags_to_snapshot = true\n}',
    ),
)
def instance_copy_tags_to_snapshot(db: RdsDbInstance) -> Outcome:
    if skip := _member(db, "copying tags to snapshots"):
        return skip
    return judge_copy_tags(db.copy_tags_to_snapshot)


@control(
    id="rds.cluster_storage_encrypted",
    title="RDS DB clusters encrypt their storage",
    severity="high",
    needs=CLUSTERS,
    rationale="Encryption at rest protects the cluster volume, its backups and snapshots with a KMS key whose "
    "policy decides who can read the data (CC6.1, C1.1).",
    remediation=Remediation(
        console="Encryption cannot be switched on in place: RDS console > the cluster > Actions > Take snapshot; "
        "Snapshots > Copy snapshot with encryption; Restore snapshot to a new cluster; move applications.",
        cli="aws rds create-db-cluster-snapshot --db-cluster-identifier <id> --db-cluster-snapshot-identifier <id>-s\n"
        "aws rds restore-db-cluster-from-snapshot --db-cluster-identifier <id>-new --snapshot-identifier <id>-s "
        "--engine <engine> --kms-key-id <kms-key-arn>",
        terraform='resource "aws_rds_cluster" "example" {\n  storage_encrypted = true\n'
        '  kms_key_id        = aws_kms_key.rds.arn\n}',
    ),
)
def cluster_storage_encrypted(c: RdsDbCluster) -> Outcome:
    return judge_encrypted(c)


@control(
    id="rds.cluster_backup_retention",
    title="RDS DB clusters keep automated backups for the minimum retention period",
    severity="medium",
    needs=CLUSTERS,
    rationale="Cluster backups give point-in-time recovery of the whole cluster volume; several days of retention "
    "leave time to detect corruption or a destructive change before the last good copy expires (A1.2, CC7.4). "
    "The minimum is a parameter (default 7 days).",
    remediation=Remediation(
        console="RDS console > Databases > the cluster > Modify > Backup > Backup retention period: 7 days or more "
        "> Continue > Apply immediately.",
        cli="aws rds modify-db-cluster --db-cluster-identifier <id> --backup-retention-period 7 --apply-immediately",
        terraform='resource "aws_rds_cluster" "example" {\n  backup_retention_period = 7\n}',
    ),
)
def cluster_backup_retention(c: RdsDbCluster, *, min_retention_days: int = MIN_BACKUP_DAYS) -> Outcome:
    return judge_retention(c.backup_retention_days, min_retention_days)


@control(
    id="rds.cluster_multi_az",
    title="RDS DB clusters have instances in more than one Availability Zone",
    severity="medium",
    needs=CLUSTERS,
    rationale="A cluster whose instances span Availability Zones can promote a reader when the writer's zone "
    "fails; a single-AZ cluster is down until the instance is replaced (A1.2).",
    remediation=Remediation(
        console="RDS console > Databases > the cluster > Actions > Add reader > choose an Availability Zone other "
        "than the writer's > Add reader.",
        cli="aws rds create-db-instance --db-instance-identifier <id>-reader --db-cluster-identifier <id> "
        "--engine <engine> --db-instance-class <class> --availability-zone <other-az>",
        terraform='resource "aws_rds_cluster_instance" "reader" {\n  cluster_identifier = aws_rds_cluster.example.id\n'
        '  availability_zone  = "<other-az>"\n}',
    ),
)
def cluster_multi_az(c: RdsDbCluster) -> Outcome:
    if c.engine_mode == "serverless":
        return Skip("Aurora Serverless v1 clusters are placed across zones by AWS")
    if c.multi_az:
        return Pass("cluster has instances in more than one Availability Zone")
    return Fail(f"cluster runs in a single Availability Zone ({len(c.members)} instance(s))")


@control(
    id="rds.cluster_deletion_protection",
    title="RDS DB clusters have deletion protection",
    severity="medium",
    needs=CLUSTERS,
    rationale="Deleting a cluster deletes its automated backups with it; deletion protection makes that a "
    "deliberate change rather than an accident (C1.1, A1.2).",
    remediation=Remediation(
        console="RDS console > Databases > the cluster > Modify > check Enable deletion protection > Continue > "
        "Apply immediately.",
        cli="aws rds modify-db-cluster --db-cluster-identifier <id> --deletion-protection --apply-immediately",
        terraform='resource "aws_rds_cluster" "example" {\n  deletion_protection = true\n}',
    ),
)
def cluster_deletion_protection(c: RdsDbCluster) -> Outcome:
    return judge_deletion_protection("cluster", c.deletion_protection)


@control(
    id="rds.cluster_log_exports_enabled",
    title="RDS DB clusters export database logs to CloudWatch Logs",
    severity="medium",
    needs=CLUSTERS,
    rationale="Exported database logs (audit, error, slow query, postgresql) are retained outside the cluster "
    "and can feed alarms and investigations, supporting CC7.2 and CC7.3.",
    remediation=Remediation(
        console="RDS console > Databases > the cluster > Modify > Log exports > check the log types > Continue > "
        "Apply immediately.",
        cli="aws rds modify-db-cluster --db-cluster-identifier <id> --cloudwatch-logs-export-configuration "
        "'{\"EnableLogTypes\":[\"audit\",\"error\"]}' --apply-immediately",
        terraform='resource "aws_rds_cluster" "example" {\n  enabled_cloudwatch_logs_exports = ["audit", "error"]\n}',
    ),
)
def cluster_log_exports_enabled(c: RdsDbCluster) -> Outcome:
    if c.log_exports:
        return Pass(f"exports {', '.join(c.log_exports)} to CloudWatch Logs")
    return Fail("no database logs are exported to CloudWatch Logs")


@control(
    id="rds.cluster_iam_auth_enabled",
    title="Aurora DB clusters accept IAM database authentication",
    severity="low",
    needs=CLUSTERS,
    rationale="IAM authentication issues short-lived tokens to IAM identities instead of shared database "
    "passwords, so access is granted and revoked with the central identity process (CC6.1, CC6.2).",
    remediation=Remediation(
        console="RDS console > Databases > the cluster > Modify > Database authentication > Password and IAM "
        "database authentication > Continue > Apply immediately.",
        cli="aws rds modify-db-cluster --db-cluster-identifier <id> --enable-iam-database-authentication "
        "--apply-immediately",
        terraform='resource "aws_rds_cluster" "example" {\n  iam_database_authentication_enabled = true\n}',
    ),
)
def cluster_iam_auth_enabled(c: RdsDbCluster) -> Outcome:
    if c.engine not in AURORA_ENGINES:
        return Skip(f"IAM database authentication is not available for {c.engine} clusters")
    return verdict(c.iam_auth_enabled, "IAM authentication is enabled", "only password authentication is enabled")


@control(
    id="rds.cluster_copy_tags_to_snapshot",
    title="RDS DB clusters copy their tags to snapshots",
    severity="low",
    needs=CLUSTERS,
    rationale="Tags copied to cluster snapshots carry data classification and ownership to every backup, so "
    "copies of confidential data are handled like their source (C1.1, CC6.1).",
    remediation=Remediation(
        console="RDS console > Databases > the cluster > Modify > Backup > check Copy tags to snapshots > "
        "Continue > Apply immediately.",
        cli="aws rds modify-db-cluster --db-cluster-identifier <id> --copy-tags-to-snapshot --apply-immediately",
        terraform='resource "aws_rds_cluster" "example" {\n  copy_tags_to_snapshot = true\n}',
    ),
)
def cluster_copy_tags_to_snapshot(c: RdsDbCluster) -> Outcome:
    return judge_copy_tags(c.copy_tags_to_snapshot)


@control(
    id="rds.snapshot_not_public",
    title="Manual RDS DB snapshots are not public",
    severity="critical",
    needs=["rds:DescribeDBSnapshots", "rds:DescribeDBSnapshotAttributes"],
    rationale="A snapshot whose restore attribute holds \"all\" can be copied and restored by any AWS account, "
    "handing over the full database; unencrypted public snapshots are a classic data leak (CC6.1, C1.1).",
    remediation=_snapshot_remediation(cluster=False),
)
def snapshot_not_public(s: RdsDbSnapshot) -> Outcome:
    return judge_snapshot_sharing(s)


@control(
    id="rds.cluster_snapshot_not_public",
    title="Manual RDS DB cluster snapshots are not public",
    severity="critical",
    needs=["rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusterSnapshotAttributes"],
    rationale="A cluster snapshot shared with \"all\" lets any AWS account restore the whole cluster volume, "
    "exposing every database in it (CC6.1, C1.1).",
    remediation=_snapshot_remediation(cluster=True),
)
def cluster_snapshot_not_public(s: RdsDbClusterSnapshot) -> Outcome:
    return judge_snapshot_sharing(s)


@control(
    id="rds.snapshot_encrypted",
    title="Manual RDS DB snapshots are encrypted",
    severity="medium",
    needs=["rds:DescribeDBSnapshots"],
    rationale="Snapshots hold a full copy of the database; encrypting them keeps that copy behind a KMS key "
    "policy when it is retained, copied across regions or shared (CC6.1, C1.1).",
    remediation=_encrypted_snapshot_remediation(cluster=False),
)
def snapshot_encrypted(s: RdsDbSnapshot) -> Outcome:
    return judge_snapshot_encrypted(s)


@control(
    id="rds.cluster_snapshot_encrypted",
    title="Manual RDS DB cluster snapshots are encrypted",
    severity="medium",
    needs=["rds:DescribeDBClusterSnapshots"],
    rationale="A cluster snapshot is a full copy of the cluster volume; encryption keeps it behind a KMS key "
    "policy wherever it is kept or copied (CC6.1, C1.1).",
    remediation=_encrypted_snapshot_remediation(cluster=True),
)
def cluster_snapshot_encrypted(s: RdsDbClusterSnapshot) -> Outcome:
    return judge_snapshot_encrypted(s)
