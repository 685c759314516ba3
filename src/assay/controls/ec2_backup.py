"""EC2 control on AWS Backup coverage of instances."""

from __future__ import annotations

from datetime import datetime

from assay.controls.backup import recently_backed_up
from assay.controls.registry import Remediation, control
from assay.models.findings import Outcome, Skip
from assay.models.inventory import Inventory
from assay.models.resources.ec2 import Instance


@control(
    id="ec2.instance_recently_backed_up",
    title="Running EC2 instances have a recent AWS Backup recovery point",
    severity="medium",
    needs=["ec2:DescribeInstances", "backup:ListProtectedResources"],
    rationale="An AWS Backup recovery point of an instance is an AMI with snapshots of all its volumes, enough "
    "to rebuild the server as it was. One no older than max_age_days (2 by default) shows instances that "
    "hold state can be recovered (A1.2, CC7.5). Stopped instances are not applicable; stateless instances "
    "rebuilt from images are accepted exceptions.",
    remediation=Remediation(
        console="AWS Backup console > Backup plans > the plan > Assign resources > EC2 > the instance (or a tag "
        "it carries); Protected resources > Create on-demand backup to take one now.",
        cli="aws backup start-backup-job --backup-vault-name <vault> "
        "--resource-arn arn:aws:ec2:<region>:<account>:instance/<instance-id> --iam-role-arn <role-arn>",
        terraform='resource "aws_backup_selection" "ec2" {\n  name         = "ec2"\n'
        "  plan_id      = aws_backup_plan.daily.id\n  iam_role_arn = aws_iam_role.backup.arn\n"
        "  resources    = [aws_instance.app.arn]\n}",
    ),
)
def instance_recently_backed_up(instance: Instance, inv: Inventory, now: datetime, *,
                                max_age_days: int = 2) -> Outcome:
    if instance.state != "running":
        return Skip(f"the instance is {instance.state}")
    return recently_backed_up(instance, inv, now, max_age_days)
