"""Neptune controls: cluster encryption, backups, deletion protection, IAM authentication, audit logs, snapshots.

Neptune clusters and snapshots come from the RDS API (see collect/aws/rds.py); the verdict logic is
shared with the RDS cluster controls.
"""

from __future__ import annotations

from assay.controls.rds import (
    MIN_BACKUP_DAYS,
    judge_copy_tags,
    judge_deletion_protection,
    judge_encrypted,
    judge_retention,
    judge_snapshot_encrypted,
    judge_snapshot_sharing,
    verdict,
)
from assay.controls.registry import Remediation, control
from assay.models.findings import Outcome
from assay.models.resources.neptune import NeptuneDbCluster, NeptuneDbClusterSnapshot

CLUSTERS = ["rds:DescribeDBClusters"]


@control(
    id="neptune.cluster_storage_encrypted",
    title="Neptune DB clusters encrypt their storage",
    severity="high",
    needs=CLUSTERS,
    rationale="Encryption at rest protects the graph data, its backups and snapshots with a KMS key whose "
    "policy decides who can read them (CC6.1, C1.1).",
    remediation=Remediation(
        console="Encryption is chosen at creation: Neptune console > the cluster > Actions > Take snapshot; "
        "Snapshots > Copy with encryption; Restore snapshot with a KMS key; move clients to the new cluster.",
        cli="aws neptune create-db-cluster-snapshot --db-cluster-identifier <id> "
        "--db-cluster-snapshot-identifier <id>-s\n"
        "aws neptune restore-db-cluster-from-snapshot --db-cluster-identifier <id>-new --snapshot-identifier <id>-s "
        "--engine neptune --kms-key-id <kms-key-arn>",
        terraform='resource "aws_neptune_cluster" "example" {\n  storage_encrypted = true\n'
        '  kms_key_arn       = aws_kms_key.neptune.arn\n}',
    ),
)
def cluster_storage_encrypted(c: NeptuneDbCluster) -> Outcome:
    return judge_encrypted(c)


@control(
    id="neptune.cluster_backup_retention",
    title="Neptune DB clusters keep automated backups for the minimum retention period",
    severity="medium",
    needs=CLUSTERS,
    rationale="Automated backups allow point-in-time restore of the graph after corruption or a destructive "
    "change; several days of retention leave time to notice (A1.2, CC7.4). The minimum is a parameter "
    "(default 7 days).",
    remediation=Remediation(
        console="Neptune console > Databases > the cluster > Modify > Backup retention period: 7 days or more > "
        "Continue > Apply immediately.",
        cli="aws neptune modify-db-cluster --db-cluster-identifier <id> --backup-retention-period 7 "
        "--apply-immediately",
        terraform='resource "aws_neptune_cluster" "example" {\n  backup_retention_period = 7\n}',
    ),
)
def cluster_backup_retention(c: NeptuneDbCluster, *, min_retention_days: int = MIN_BACKUP_DAYS) -> Outcome:
    return judge_retention(c.backup_retention_days, min_retention_days)


@control(
    id="neptune.cluster_deletion_protection",
    title="Neptune DB clusters have deletion protection",
    severity="medium",
    needs=CLUSTERS,
    rationale="Deleting a cluster also deletes its automated backups; deletion protection turns that into a "
    "deliberate two-step change (C1.1, A1.2).",
    remediation=Remediation(
        console="Neptune console > Databases > the cluster > Modify > check Enable deletion protection > Continue.",
        cli="aws neptune modify-db-cluster --db-cluster-identifier <id> --deletion-protection --apply-immediately",
        terraform='resource "aws_neptune_cluster" "example" {\n  deletion_protection = true\n}',
    ),
)
def cluster_deletion_protection(c: NeptuneDbCluster) -> Outcome:
    return judge_deletion_protection("cluster", c.deletion_protection)


@control(
    id="neptune.cluster_iam_auth_enabled",
    title="Neptune DB clusters require IAM database authentication",
    severity="medium",
    needs=CLUSTERS,
    rationale="Neptune has no database users of its own: without IAM authentication any client that reaches "
    "the endpoint can read and change the graph. IAM authentication ties every request to an IAM identity "
    "(CC6.1, CC6.2).",
    remediation=Remediation(
        console="Neptune console > Databases > the cluster > Modify > Authentication > Enable IAM DB "
        "authentication > Continue > Apply immediately.",
        cli="aws neptune modify-db-cluster --db-cluster-identifier <id> --enable-iam-database-authentication "
        "--apply-immediately",
        terraform='resource "aws_neptune_cluster" "example" {\n  iam_database_authentication_enabled = true\n}',
    ),
)
def cluster_iam_auth_enabled(c: NeptuneDbCluster) -> Outcome:
    return verdict(c.iam_auth_enabled, "IAM authentication is required",
                   "IAM authentication is off: any client reaching the endpoint can query the graph")


@control(
    id="neptune.cluster_audit_logs_exported",
    title="Neptune DB clusters export audit logs to CloudWatch Logs",
    severity="medium",
    needs=CLUSTERS,
    rationale="Neptune audit logs record every query and who sent it; exporting them to CloudWatch Logs keeps "
    "them for investigation and alerting (CC7.2, CC7.3). The cluster parameter neptune_enable_audit_log "
    "must also be 1 for records to be written.",
    remediation=Remediation(
        console="Neptune console > Databases > the cluster > Modify > Log exports > check Audit log > Continue; "
        "set neptune_enable_audit_log = 1 in the cluster parameter group.",
        cli="aws neptune modify-db-cluster --db-cluster-identifier <id> --cloudwatch-logs-export-configuration "
        "'{\"EnableLogTypes\":[\"audit\"]}' --apply-immediately",
        terraform='resource "aws_neptune_cluster" "example" {\n  enable_cloudwatch_logs_exports = ["audit"]\n}',
    ),
)
def cluster_audit_logs_exported(c: NeptuneDbCluster) -> Outcome:
    others = f" (exports only {', '.join(c.log_exports)})" if c.log_exports else ""
    return verdict("audit" in c.log_exports, "audit logs are exported to CloudWatch Logs",
                   f"audit logs are not exported to CloudWatch Logs{others}")


@control(
    id="neptune.cluster_copy_tags_to_snapshot",
    title="Neptune DB clusters copy their tags to snapshots",
    severity="low",
    needs=CLUSTERS,
    rationale="Copying tags keeps classification and ownership on every snapshot, so backups of confidential "
    "data are recognised and handled like their source (C1.1, CC6.1).",
    remediation=Remediation(
        console="Neptune console > Databases > the cluster > Modify > check Copy tags to snapshots > Continue.",
        cli="aws neptune modify-db-cluster --db-cluster-identifier <id> --copy-tags-to-snapshot --apply-immediately",
        terraform='resource "aws_neptune_cluster" "example" {\n  copy_tags_to_snapshot = true\n}',
    ),
)
def cluster_copy_tags_to_snapshot(c: NeptuneDbCluster) -> Outcome:
    return judge_copy_tags(c.copy_tags_to_snapshot)


@control(
    id="neptune.cluster_snapshot_encrypted",
    title="Manual Neptune DB cluster snapshots are encrypted",
    severity="medium",
    needs=["rds:DescribeDBClusterSnapshots"],
    rationale="A snapshot is a full copy of the graph; encryption keeps it behind a KMS key policy wherever it "
    "is kept, copied or shared (CC6.1, C1.1).",
    remediation=Remediation(
        console="Neptune console > Snapshots > the snapshot > Actions > Copy snapshot > enable encryption with a "
        "KMS key; delete the unencrypted original once the copy is verified.",
        cli="aws neptune copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier <id> "
        "--target-db-cluster-snapshot-identifier <id>-enc --kms-key-id <kms-key-arn>\n"
        "aws neptune delete-db-cluster-snapshot --db-cluster-snapshot-identifier <id>",
        terraform='# Encrypt the source cluster (storage_encrypted = true on aws_neptune_cluster) so that\n'
        '# aws_neptune_cluster_snapshot resources taken from it are encrypted.',
    ),
)
def cluster_snapshot_encrypted(s: NeptuneDbClusterSnapshot) -> Outcome:
    return judge_snapshot_encrypted(s)


@control(
    id="neptune.cluster_snapshot_not_public",
    title="Manual Neptune DB cluster snapshots are not public",
    severity="critical",
    needs=["rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusterSnapshotAttributes"],
    rationale="A snapshot shared with \"all\" lets any AWS account restore the graph and read all of it "
    "(CC6.1, C1.1).",
    remediation=Remediation(
        console="Neptune console > Snapshots > the snapshot > Actions > Share snapshot > Private > Save.",
        cli="aws neptune modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier <id> "
        "--attribute-name restore --values-to-remove all",
        terraform="# Snapshots are private unless shared: remove the step that adds \"all\" to the\n"
        "# snapshot's restore attribute.",
    ),
)
def cluster_snapshot_not_public(s: NeptuneDbClusterSnapshot) -> Outcome:
    return judge_snapshot_sharing(s)
