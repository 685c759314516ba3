"""EFS controls: encryption at rest and backups (automatic backups or an AWS Backup plan)."""

from __future__ import annotations

from datetime import datetime

from assay.controls.backup import SELECTIONS, in_backup_plan, recently_backed_up
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Status
from assay.models.inventory import Inventory
from assay.models.resources.efs import EfsFileSystem

FILE_SYSTEMS = ["elasticfilesystem:DescribeFileSystems"]


@control(
    id="efs.file_system_encrypted",
    title="EFS file systems are encrypted at rest",
    severity="high",
    needs=FILE_SYSTEMS,
    rationale="Encryption at rest protects file data, metadata and backups of the file system from anyone "
    "who reaches the storage outside the file system's access controls, and ties access to a KMS key "
    "whose use is logged. It is part of the logical access protections of CC6.1 and of protecting "
    "confidential information (C1.1). Encryption can only be chosen when a file system is created.",
    remediation=Remediation(
        console="EFS console > Create file system > Customize > Enable encryption of data at rest (choose a KMS "
        "key) > Create; then copy the data over (e.g. with AWS DataSync) and retire the unencrypted one.",
        cli="aws efs create-file-system --encrypted --kms-key-id <key-arn> --creation-token <token>",
        terraform='resource "aws_efs_file_system" "example" {\n  encrypted  = true\n'
        '  kms_key_id = aws_kms_key.efs.arn\n}',
    ),
)
def file_system_encrypted(fs: EfsFileSystem) -> Outcome:
    if fs.encrypted:
        return Pass(f"encrypted at rest with {fs.kms_key_id or 'a KMS key'}")
    return Fail("not encrypted at rest")


@control(
    id="efs.file_system_in_backup_plan",
    title="EFS file systems have automatic backups on or are assigned to an AWS Backup plan",
    severity="high",
    needs=[*FILE_SYSTEMS, "elasticfilesystem:DescribeBackupPolicy", *SELECTIONS],
    rationale="A file system without backups cannot be recovered after accidental deletion of files, "
    "corruption or ransomware: EFS replication copies deletions too. EFS automatic backups (the file "
    "system's backup policy, which uses AWS Backup's default plan) or an explicit AWS Backup plan selecting "
    "the file system by ARN, resource type or tag provide the scheduled backups A1.2 and CC7.4 expect.",
    remediation=Remediation(
        console="EFS console > File systems > the file system > General > Edit > Automatic backups: Enable > "
        "Save changes; or assign it to a plan in AWS Backup > Backup plans > the plan > Assign resources.",
        cli="aws efs put-backup-policy --file-system-id <fs-id> --backup-policy Status=ENABLED",
        terraform='resource "aws_efs_backup_policy" "example" {\n  file_system_id = aws_efs_file_system.example.id\n'
        '  backup_policy {\n    status = "ENABLED"\n  }\n}',
    ),
)
def file_system_in_backup_plan(fs: EfsFileSystem, inv: Inventory) -> Outcome:
    if fs.backup_policy is None:
        return Error("the file system's backup policy was not read")
    if fs.backup_policy in ("ENABLED", "ENABLING"):
        return Pass("automatic backups are enabled (AWS Backup's default EFS plan)")
    outcome = in_backup_plan(fs, inv, "file system")
    if outcome.status is Status.FAIL and outcome.message.startswith("no backup plan"):
        return Fail("automatic backups are off and " + outcome.message)
    return outcome


@control(
    id="efs.file_system_recently_backed_up",
    title="EFS file systems have a recent AWS Backup recovery point",
    severity="high",
    needs=[*FILE_SYSTEMS, "backup:ListProtectedResources"],
    rationale="A backup policy or plan assignment is an intention; a recovery point is the fact. AWS Backup's "
    "list of protected resources shows when the latest recovery point of the file system was taken. One "
    "within `max_age_days` (2 by default, for daily backups with a start window) shows the backup process of "
    "A1.2 and CC7.4 is working.",
    remediation=Remediation(
        console="AWS Backup console > Jobs > Backup jobs: filter on the file system and fix failures (role, "
        "KMS key access); or Protected resources > Create on-demand backup.",
        cli="aws backup list-backup-jobs --by-resource-arn <fs-arn>\naws backup start-backup-job "
        "--backup-vault-name <vault> --resource-arn <fs-arn> --iam-role-arn <role-arn>",
        terraform='resource "aws_efs_backup_policy" "example" {\n  file_system_id = aws_efs_file_system.example.id\n'
        '  backup_policy {\n    status = "ENABLED"\n  }\n}',
    ),
)
def file_system_recently_backed_up(fs: EfsFileSystem, inv: Inventory, now: datetime, *,
                                   max_age_days: int = 2) -> Outcome:
    return recently_backed_up(fs, inv, now, max_age_days)
