"""AWS Backup control on disposal: backup plans expire the recovery points and copies they create."""

from __future__ import annotations

from assay.controls.messages import names
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.backup import BackupPlan


@control(
    id="backup.plan_recovery_points_expire",
    title="Backup plans delete the recovery points and copies they create after a retention period",
    severity="low",
    needs=["backup:ListBackupPlans", "backup:GetBackupPlan"],
    rationale="A backup is a full copy of the data it protects, confidential and personal data included. A "
    "rule, or a copy action, without a lifecycle keeps its recovery points until someone deletes them by "
    "hand, so deleted or expired data lives on in backups indefinitely. An expiry on every rule and copy is how "
    "the retention schedule reaches backups (C1.2, P4.2, P4.3); backup.plan_daily_with_retention checks the "
    "other side, that they are kept long enough. Set max_retention_days to the longest period the schedule "
    "allows.",
    remediation=Remediation(
        console="AWS Backup console > Backup plans > the plan > each backup rule > Edit > Retention period: "
        "choose the period of the retention schedule (and the same under Generate copy) > Save.",
        cli="aws backup get-backup-plan --backup-plan-id <plan-id> --query BackupPlan > plan.json\n"
        "# set Lifecycle.DeleteAfterDays on every rule and every CopyActions entry, then:\n"
        "aws backup update-backup-plan --backup-plan-id <plan-id> --backup-plan file://plan.json",
        terraform='rule {\n  rule_name         = "daily"\n  target_vault_name = aws_backup_vault.main.name\n'
        '  schedule          = "cron(0 5 ? * * *)"\n  lifecycle { delete_after = 35 }\n'
        "  copy_action {\n    destination_vault_arn = aws_backup_vault.dr.arn\n"
        "    lifecycle { delete_after = 35 }\n  }\n}",
    ),
)
def plan_recovery_points_expire(plan: BackupPlan, *, max_retention_days: int | None = None) -> Outcome:
    """max_retention_days: the longest retention allowed; None accepts any retention that ends."""
    if plan.rules is None:
        return Error("the plan's rules were not read")
    if not plan.rules:
        return Skip("the plan has no rules, so it creates no recovery points")
    kept: list[str] = []
    for rule in plan.rules:
        lifetimes = [(rule.name, rule.delete_after_days)]
        lifetimes += [(f"{rule.name} copy to {c.destination_vault_arn.rsplit(':', 1)[-1]}", c.delete_after_days)
                      for c in rule.copy_actions]
        for what, days in lifetimes:
            if days is None:
                kept.append(f"{what} (never expires)")
            elif max_retention_days is not None and days > max_retention_days:
                kept.append(f"{what} ({days} days > {max_retention_days})")
    if kept:
        return Fail("recovery points kept beyond the retention period: " + names(kept))
    return Pass("every rule and copy expires its recovery points")
