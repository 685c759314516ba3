"""RDS controls on AWS Backup coverage: DB instances assigned to a backup plan and backed up recently, and
Aurora clusters backed up recently (AWS Backup protects an Aurora cluster as a whole, not its instances)."""

from __future__ import annotations

from datetime import datetime

from assay.controls.backup import SELECTIONS, in_backup_plan, recently_backed_up
from assay.controls.registry import Remediation, control
from assay.models.findings import Outcome, Skip
from assay.models.inventory import Inventory
from assay.models.resources.rds import RdsDbCluster, RdsDbInstance

INSTANCES = ["rds:DescribeDBInstances"]
CLUSTERS = ["rds:DescribeDBClusters"]
AURORA = ("aurora", "aurora-mysql", "aurora-postgresql")


def _cluster_member(db: RdsDbInstance) -> Outcome | None:
    if db.cluster_id:
        return Skip(f"a member of cluster {db.cluster_id}: AWS Backup protects the cluster, not its instances")
    return None


@control(
    id="rds.instance_in_backup_plan",
    title="RDS DB instances are assigned to an AWS Backup plan",
    severity="medium",
    needs=[*INSTANCES, *SELECTIONS],
    rationale="Automated RDS backups are kept at most 35 days, in the instance's own region and account, and "
    "vanish with the instance unless retained. An AWS Backup plan adds scheduled recovery points with their "
    "own retention, copies to another region or account and vault locks, the backup process A1.2 and CC7.5 "
    "expect. An instance is covered when a plan's selection assigns it by ARN, resource type or tag and RDS "
    "is opted in to AWS Backup in the region.",
    remediation=Remediation(
        console="AWS Backup console > Backup plans > the plan > Resource assignments > Assign resources: "
        "Specific resource types > RDS > the instance (or tag the instance with a key the assignment selects).",
        cli="aws backup create-backup-selection --backup-plan-id <plan-id> --backup-selection "
        "'{\"SelectionName\":\"rds\",\"IamRoleArn\":\"<backup-role-arn>\",\"Resources\":"
        "[\"arn:aws:rds:<region>:<account>:db:<instance>\"]}'",
        terraform='resource "aws_backup_selection" "rds" {\n  name         = "rds"\n'
        "  plan_id      = aws_backup_plan.daily.id\n  iam_role_arn = aws_iam_role.backup.arn\n"
        "  resources    = [aws_db_instance.example.arn]\n}",
    ),
)
def instance_in_backup_plan(db: RdsDbInstance, inv: Inventory) -> Outcome:
    return _cluster_member(db) or in_backup_plan(db, inv, "DB instance")


@control(
    id="rds.instance_recently_backed_up",
    title="RDS DB instances have a recent AWS Backup recovery point",
    severity="medium",
    needs=[*INSTANCES, "backup:ListProtectedResources"],
    rationale="A plan assignment does not prove backups run: a missing role permission, an opt-in switched off "
    "or a failing job leaves no recovery point. AWS Backup's protected resources show that one exists and when "
    "the latest was taken; one within max_age_days (2 by default, for daily plans) is evidence of working "
    "backups (A1.2, CC7.5).",
    remediation=Remediation(
        console="AWS Backup console > Jobs > Backup jobs: filter by the instance, fix the cause of failed jobs "
        "(role, opt-in, KMS key access); Protected resources > Create on-demand backup to take one now.",
        cli="aws backup list-backup-jobs --by-resource-arn <instance-arn> --by-state FAILED\n"
        "aws backup start-backup-job --backup-vault-name <vault> --resource-arn <instance-arn> "
        "--iam-role-arn <role-arn>",
        terraform="# assign the instance to a plan (aws_backup_selection) whose rule runs daily, with an\n"
        "# iam_role_arn that has the AWSBackupServiceRolePolicyForBackup managed policy",
    ),
)
def instance_recently_backed_up(db: RdsDbInstance, inv: Inventory, now: datetime, *, max_age_days: int = 2) -> Outcome:
    return _cluster_member(db) or recently_backed_up(db, inv, now, max_age_days)


@control(
    id="rds.cluster_recently_backed_up",
    title="Aurora DB clusters have a recent AWS Backup recovery point",
    severity="medium",
    needs=[*CLUSTERS, "backup:ListProtectedResources"],
    rationale="AWS Backup protects an Aurora cluster as a whole. A recovery point within max_age_days (2 by "
    "default) shows the cluster is really backed up by the backup process, with the retention, copies and "
    "vault protection that Aurora's own 35-day automated backups lack (A1.2, CC7.5). Other engines' clusters "
    "(Neptune, DocumentDB) are not applicable here.",
    remediation=Remediation(
        console="AWS Backup console > Backup plans > the plan > Assign resources > Aurora > the cluster; then "
        "Jobs > Backup jobs to confirm a job completes (or Protected resources > Create on-demand backup).",
        cli="aws backup start-backup-job --backup-vault-name <vault> "
        "--resource-arn arn:aws:rds:<region>:<account>:cluster:<cluster> --iam-role-arn <role-arn>",
        terraform='resource "aws_backup_selection" "aurora" {\n  name         = "aurora"\n'
        "  plan_id      = aws_backup_plan.daily.id\n  iam_role_arn = aws_iam_role.backup.arn\n"
        "  resources    = [aws_rds_cluster.example.arn]\n}",
    ),
)
def cluster_recently_backed_up(c: RdsDbCluster, inv: Inventory, now: datetime, *, max_age_days: int = 2) -> Outcome:
    if c.engine not in AURORA:
        return Skip(f"{c.engine} cluster: not an Aurora cluster")
    return recently_backed_up(c, inv, now, max_age_days)
