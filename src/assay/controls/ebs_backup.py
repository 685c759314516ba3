"""EBS and EC2 controls on AWS Backup coverage: volumes assigned to a plan and backed up recently, and
instances backed up recently."""

from __future__ import annotations

from datetime import datetime

from assay.controls.backup import SELECTIONS, in_backup_plan, recently_backed_up
from assay.controls.registry import Remediation, control
from assay.models.findings import Outcome
from assay.models.inventory import Inventory
from assay.models.resources.ec2 import Volume

VOLUMES = ["ec2:DescribeVolumes"]


@control(
    id="ebs.volume_in_backup_plan",
    title="EBS volumes are assigned to an AWS Backup plan",
    severity="medium",
    needs=[*VOLUMES, *SELECTIONS],
    rationale="A volume that no backup plan selects is backed up only if someone remembers to take a snapshot. "
    "Assignment to a plan, by ARN, resource type or tag, with EBS opted in to AWS Backup, puts it under a "
    "schedule, a retention period and optional copies and vault locks: the backup process A1.2 and CC7.5 "
    "expect. Scratch volumes that need no backup are accepted exceptions.",
    remediation=Remediation(
        console="AWS Backup console > Backup plans > the plan > Resource assignments > Assign resources: "
        "Specific resource types > EBS > the volume, or tag it with a key the assignment selects.",
        cli="aws ec2 create-tags --resources <volume-id> --tags Key=backup,Value=daily  "
        "# when the plan selects that tag\n"
        "aws backup create-backup-selection --backup-plan-id <plan-id> --backup-selection file://selection.json",
        terraform='resource "aws_backup_selection" "ebs" {\n  name         = "ebs"\n'
        "  plan_id      = aws_backup_plan.daily.id\n  iam_role_arn = aws_iam_role.backup.arn\n"
        '  selection_tag {\n    type  = "STRINGEQUALS"\n    key   = "backup"\n    value = "daily"\n  }\n}',
    ),
)
def volume_in_backup_plan(volume: Volume, inv: Inventory) -> Outcome:
    return in_backup_plan(volume, inv, "volume")


@control(
    id="ebs.volume_recently_backed_up",
    title="EBS volumes have a recent AWS Backup recovery point",
    severity="medium",
    needs=[*VOLUMES, "backup:ListProtectedResources"],
    rationale="A recovery point in AWS Backup no older than max_age_days (2 by default) shows the volume's "
    "backups actually run, rather than being merely planned (A1.2, CC7.5). Snapshots taken outside AWS Backup "
    "are judged by ebs.volume_has_snapshot.",
    remediation=Remediation(
        console="AWS Backup console > Jobs > Backup jobs: filter by the volume and fix failed jobs; or Protected "
        "resources > Create on-demand backup.",
        cli="aws backup start-backup-job --backup-vault-name <vault> "
        "--resource-arn arn:aws:ec2:<region>:<account>:volume/<volume-id> --iam-role-arn <role-arn>",
        terraform="# assign the volume to a plan (aws_backup_selection) whose rule runs daily",
    ),
)
def volume_recently_backed_up(volume: Volume, inv: Inventory, now: datetime, *, max_age_days: int = 2) -> Outcome:
    return recently_backed_up(volume, inv, now, max_age_days)
