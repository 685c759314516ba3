"""AWS Backup controls: plans (frequency, retention, cross-region copies), vaults (key, lock, access
policy, recovery points) and, per region, restore testing. Coverage of individual resources is judged
on the resources themselves (controls/dynamodb.py, controls/efs.py) with the helpers at the bottom."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta

from assay.controls.policy import as_list, grants_everyone_unconditionally, principal_is_everyone, statements
from assay.controls.registry import Remediation, control
from assay.models.base import Resource, resource_types
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.backup import (
    BACKUP_RESOURCE_TYPES,
    BackupPlan,
    BackupRegion,
    BackupRule,
    BackupVault,
    backup_coverage,
)
from assay.models.resources.kms import KmsKey

PLANS = ["backup:ListBackupPlans", "backup:GetBackupPlan"]
VAULTS = ["backup:ListBackupVaults"]
SELECTIONS = ["backup:ListBackupPlans", "backup:ListBackupSelections", "backup:GetBackupSelection",
              "backup:DescribeRegionSettings"]
# Actions a vault access policy must deny to everyone so recovery points cannot be removed early.
DELETION_ACTIONS = ("backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle")


def _names(items: list[str], limit: int = 3) -> str:
    more = f" (+{len(items) - limit} more)" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


# -- plans ----------------------------------------------------------------------------------------


def _eligible_types(inv: Inventory) -> dict[tuple[str, str], set[str]]:
    """(account, region) -> the kinds of resource there that AWS Backup protects (S3 aside), in one pass."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for type_name, kind in BACKUP_RESOURCE_TYPES.items():
        if type_name != "AWS::S3::Bucket" and type_name in resource_types():
            for r in inv.of(resource_types()[type_name]):
                out[(r.account_id, r.region)].add(kind)
    return out


@control(
    id="backup.plan_exists",
    title="Every region holding resources AWS Backup can protect has a backup plan",
    severity="high",
    needs=["backup:ListBackupPlans"],
    rationale="A1.2 expects the entity to implement backup processes and recovery infrastructure for its "
    "data. In AWS Backup that starts with a backup plan in the region where the data lives: without one, "
    "no scheduled recovery point is ever taken of its databases, volumes or file systems, and a deletion, "
    "corruption or ransomware event can only be recovered from whatever service-native snapshots happen "
    "to exist. Regions where no collected resource is of a type AWS Backup protects are not applicable.",
    remediation=Remediation(
        console="AWS Backup console > switch to the region > Backup plans > Create backup plan > start from a "
        "template such as 'Daily-35day-Retention' (or build one) > Create plan > Assign resources.",
        cli="aws backup create-backup-plan --region <region> --backup-plan '{\"BackupPlanName\":\"daily\","
        "\"Rules\":[{\"RuleName\":\"daily-35d\",\"TargetBackupVaultName\":\"Default\","
        "\"ScheduleExpression\":\"cron(0 5 ? * * *)\",\"Lifecycle\":{\"DeleteAfterDays\":35}}]}'",
        terraform='resource "aws_backup_plan" "daily" {\n  name = "daily"\n  rule {\n    rule_name         = '
        '"daily-35d"\n    target_vault_name = aws_backup_vault.main.name\n    schedule          = '
        '"cron(0 5 ? * * *)"\n    lifecycle { delete_after = 35 }\n  }\n}',
    ),
)
def plan_exists(region: BackupRegion, inv: Inventory) -> Outcome:
    plans = [p.display_name for p in inv.in_account(BackupPlan, region.account_id, region.region)]
    if plans:
        return Pass(f"{len(plans)} backup plan(s) in {region.region}: {_names(plans)}")
    # S3 is left out: buckets are protected by versioning and replication far more often than by plans.
    eligible = sorted(inv.memo("backup.eligible_types", lambda: _eligible_types(inv))
                      .get((region.account_id, region.region), ()))
    if not eligible:
        return Skip(f"no backup plan, and no collected resource in {region.region} is of a type AWS Backup protects")
    return Fail(f"no backup plan in {region.region}, which holds {', '.join(eligible)} resources")


_CRON = re.compile(r"^cron\((.+)\)$")
_EVERY_DAY = {"*", "?", "MON-SUN", "SUN-SAT", "1-7"}


def interval_hours(schedule: str | None) -> float | None:
    """Approximate hours between runs of an AWS Backup cron schedule; None when it cannot be read."""
    m = _CRON.match((schedule or "").strip())
    if not m:
        return None
    fields = m.group(1).split()
    if len(fields) != 6:
        return None
    _, hours, dom, month, dow, _ = (f.upper() for f in fields)
    if hours == "*":
        per_day = 24.0
    elif "/" in hours:
        step = hours.split("/", 1)[1]
        per_day = 24 / int(step) if step.isdigit() and int(step) > 0 else 1.0
    elif "," in hours:
        per_day = float(len(hours.split(",")))
    elif "-" in hours and all(p.isdigit() for p in hours.split("-", 1)):
        lo, hi = (int(p) for p in hours.split("-", 1))
        per_day = float(max(hi - lo + 1, 1))
    else:
        per_day = 1.0
    if month not in ("*", "?"):
        return 24 * 365 / max(len(month.split(",")), 1)  # some months only
    if dom not in ("*", "?"):
        return 24 * 31 / max(len(dom.split(",")), 1)  # some days of the month
    if dow not in _EVERY_DAY:
        days = dow.split(",")
        return 24 * 7 / max(len(days), 1)  # some days of the week (ranges count as one: conservative)
    return 24 / per_day


def _rule_summary(rule: BackupRule) -> str:
    every = "continuous" if rule.continuous else (f"every ~{interval_hours(rule.schedule):g}h"
                                                  if interval_hours(rule.schedule) else "no readable schedule")
    keep = "kept indefinitely" if rule.delete_after_days is None else f"kept {rule.delete_after_days} days"
    return f"{rule.name} ({every}, {keep})"


@control(
    id="backup.plan_daily_with_retention",
    title="Backup plans take recovery points at least daily and keep them for the required period",
    severity="medium",
    needs=PLANS,
    rationale="How much data can be lost (recovery point objective) and how far back one can restore are set "
    "by a plan's schedule and lifecycle. A plan that runs weekly, or that expires recovery points after a "
    "few days, may not meet the recovery objectives the entity commits to under A1.2 and CC7.4 (e.g. "
    "recovering from corruption noticed weeks later). A plan passes when at least one of its rules runs at "
    "least every `max_interval_hours` (continuous backup counts) and keeps recovery points for at least "
    "`min_retention_days` (or never expires them); other rules may add longer-term copies.",
    remediation=Remediation(
        console="AWS Backup console > Backup plans > the plan > Backup rules > Edit (or Add backup rule): set "
        "Backup frequency to Daily (or more often) and Retention period to at least 35 days > Save.",
        cli="aws backup get-backup-plan --backup-plan-id <plan-id> --query BackupPlan > plan.json\n"
        "# set ScheduleExpression (e.g. cron(0 5 ? * * *)) and Lifecycle.DeleteAfterDays >= 35 in a rule, then:\n"
        "aws backup update-backup-plan --backup-plan-id <plan-id> --backup-plan file://plan.json",
        terraform='rule {\n  rule_name         = "daily-35d"\n  target_vault_name = aws_backup_vault.main.name\n'
        '  schedule          = "cron(0 5 ? * * *)"\n  lifecycle { delete_after = 35 }\n}',
    ),
)
def plan_daily_with_retention(plan: BackupPlan, *, min_retention_days: int = 35,
                              max_interval_hours: int = 24) -> Outcome:
    if plan.rules is None:
        return Error("the plan's rules were not read")
    if not plan.rules:
        return Fail("the plan has no rules")
    for rule in plan.rules:
        hours = 0.0 if rule.continuous else interval_hours(rule.schedule)
        kept = rule.delete_after_days is None or rule.delete_after_days >= min_retention_days
        if hours is not None and hours <= max_interval_hours and kept:
            return Pass(f"rule {_rule_summary(rule)} meets every {max_interval_hours}h / {min_retention_days} days")
    return Fail(f"no rule runs at least every {max_interval_hours}h and keeps recovery points "
                f"{min_retention_days} days: " + "; ".join(_rule_summary(r) for r in plan.rules))


def _arn_region(arn: str) -> str:
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 else ""


@control(
    id="backup.plan_copies_to_another_region",
    title="Backup plans copy recovery points to a vault in another region",
    severity="medium",
    needs=PLANS,
    rationale="Recovery points kept only in the region they were taken in share that region's fate: a "
    "regional outage or a disaster takes the data and its backups together. Copying recovery points to a "
    "vault in a second region is the recovery infrastructure A1.2 asks for and supports the business "
    "continuity planning of CC9.1. Copies to another account in the same region protect against account "
    "compromise, not regional loss, so they do not pass on their own.",
    remediation=Remediation(
        console="AWS Backup console > Backup plans > the plan > the rule > Edit > Generate copy - optional: "
        "choose a destination region and a vault there, and a retention > Save.",
        cli="# add to a rule in plan.json, then aws backup update-backup-plan --backup-plan-id <id> "
        "--backup-plan file://plan.json\n\"CopyActions\": [{\"DestinationBackupVaultArn\": "
        "\"arn:aws:backup:<other-region>:<account>:backup-vault:<vault>\", \"Lifecycle\": {\"DeleteAfterDays\": 35}}]",
        terraform='rule {\n  # ...\n  copy_action {\n    destination_vault_arn = aws_backup_vault.dr.arn  '
        '# a vault in another region\n    lifecycle { delete_after = 35 }\n  }\n}',
    ),
)
def plan_copies_to_another_region(plan: BackupPlan) -> Outcome:
    if plan.rules is None:
        return Error("the plan's rules were not read")
    elsewhere = sorted({_arn_region(c.destination_vault_arn) for r in plan.rules for c in r.copy_actions
                        if _arn_region(c.destination_vault_arn) not in ("", plan.region)})
    if elsewhere:
        return Pass(f"recovery points are copied to {', '.join(elsewhere)}")
    same = [c.destination_vault_arn for r in plan.rules for c in r.copy_actions]
    if same:
        return Fail(f"copies stay in {plan.region}: {_names(same, 2)}")
    return Fail(f"no rule copies recovery points out of {plan.region}")


# -- vaults ---------------------------------------------------------------------------------------


@control(
    id="backup.vault_customer_managed_key",
    title="Backup vaults encrypt recovery points with a customer-managed KMS key",
    severity="low",
    needs=[*VAULTS, "kms:ListKeys", "kms:DescribeKey"],
    rationale="Every backup vault is encrypted, but with the AWS managed key (aws/backup) anyone allowed to use "
    "the vault can read its recovery points, and the key's policy cannot be changed. A customer-managed key "
    "adds a second, separately administered permission on restoring or copying backups and lets access be "
    "revoked, supporting the logical access restrictions of CC6.1 and the protection of stored data (PI1.5). "
    "Set `require_customer_managed_key` to false to accept any KMS key. Logically air-gapped vaults use "
    "AWS-owned keys by design and are not applicable.",
    remediation=Remediation(
        console="A vault's key cannot be changed: AWS Backup console > Backup vaults > Create backup vault > "
        "Encryption key: choose a customer managed key > Create; then point backup rules at the new vault.",
        cli="aws backup create-backup-vault --backup-vault-name <name> --encryption-key-arn <cmk-arn>",
        terraform='resource "aws_backup_vault" "main" {\n  name        = "main"\n  kms_key_arn = '
        'aws_kms_key.backup.arn\n}',
    ),
)
def vault_customer_managed_key(vault: BackupVault, inv: Inventory, *,
                               require_customer_managed_key: bool = True) -> Outcome:
    if vault.vault_type == "LOGICALLY_AIR_GAPPED_BACKUP_VAULT":
        return Skip("logically air-gapped vaults are encrypted with AWS-owned keys by design")
    key_arn = vault.encryption_key_arn
    if not key_arn:
        return Fail("the vault reports no KMS encryption key")
    if not require_customer_managed_key:
        return Pass(f"recovery points are encrypted with {key_arn}")
    parts = key_arn.split(":")
    if len(parts) > 4 and parts[4] != vault.account_id:
        return Pass(f"encrypted with a key from account {parts[4]} (AWS managed keys never are)")
    key = inv.by_arn(KmsKey).get(key_arn)
    if key is None:
        return Error(f"key {key_arn} is not in the collected KMS inventory")
    if key.manager == "CUSTOMER":
        return Pass(f"encrypted with customer-managed key {key.display_name}")
    return Fail(f"encrypted with the AWS managed key {key.display_name}, not a customer-managed key")


@control(
    id="backup.vault_lock_enabled",
    title="Backup vaults have AWS Backup Vault Lock applied",
    severity="medium",
    needs=VAULTS,
    rationale="Vault Lock makes recovery points in the vault write-once: nobody, including the root user or "
    "an attacker holding administrator credentials, can delete them or shorten their retention (compliance "
    "mode), or only specially permitted principals can (governance mode). Backups that survive a "
    "destructive attack are the last line of the recovery infrastructure A1.2 calls for, and ransomware "
    "operators target backups first.",
    remediation=Remediation(
        console="AWS Backup console > Backup vaults > the vault > Vault lock > Create vault lock: choose "
        "governance or compliance mode and minimum/maximum retention > Create.",
        cli="aws backup put-backup-vault-lock-configuration --backup-vault-name <vault> "
        "--min-retention-days 35 --max-retention-days 3650 [--changeable-for-days 3]",
        terraform='resource "aws_backup_vault_lock_configuration" "main" {\n  backup_vault_name   = '
        'aws_backup_vault.main.name\n  min_retention_days  = 35\n  max_retention_days  = 3650\n'
        '  changeable_for_days = 3  # compliance mode after 3 days\n}',
    ),
)
def vault_lock_enabled(vault: BackupVault) -> Outcome:
    if not vault.locked:
        return Fail("Vault Lock is not applied: recovery points can be deleted before they expire")
    mode = f"compliance mode from {vault.lock_date:%Y-%m-%d}" if vault.lock_date else "governance mode"
    days = f", minimum retention {vault.min_retention_days} days" if vault.min_retention_days else ""
    return Pass(f"Vault Lock is applied ({mode}{days})")


@control(
    id="backup.vault_access_policy_not_public",
    title="No backup vault access policy grants access to everyone without a condition",
    severity="high",
    needs=[*VAULTS, "backup:GetBackupVaultAccessPolicy"],
    rationale="A vault access policy that allows Principal '*' with no condition lets any AWS account act on "
    "the vault's recovery points, for example copy them out or delete them, which would expose or destroy "
    "the entity's backups. Restricting access to the vault is part of the logical access controls of CC6.1 "
    "and protects the backup infrastructure of A1.2.",
    remediation=Remediation(
        console="AWS Backup console > Backup vaults > the vault > Access policy > Edit: remove the statement "
        "with Principal \"*\" or narrow it with a Condition such as aws:PrincipalOrgID > Save policy.",
        cli="aws backup get-backup-vault-access-policy --backup-vault-name <vault> --query Policy --output text "
        "> policy.json\n# edit policy.json, then:\naws backup put-backup-vault-access-policy --backup-vault-name "
        "<vault> --policy file://policy.json",
        terraform='resource "aws_backup_vault_policy" "main" {\n  backup_vault_name = aws_backup_vault.main.name\n'
        '  policy            = data.aws_iam_policy_document.vault.json  # no "*" principal without a condition\n}',
    ),
)
def vault_access_policy_not_public(vault: BackupVault) -> Outcome:
    if vault.access_policy is None:
        return Error("the vault access policy was not read")
    if not vault.access_policy:
        return Pass("the vault has no access policy (only IAM grants access)")
    public = grants_everyone_unconditionally(vault.access_policy)
    if public:
        return Fail(f"the access policy allows everyone without a condition: {', '.join(public)}")
    return Pass("the access policy grants no unconditional access to everyone")


def _action_covered(action: str, patterns: list[str]) -> bool:
    return any(re.fullmatch(re.escape(p).replace(r"\*", ".*").replace(r"\?", "."), action, re.IGNORECASE)
               for p in patterns if isinstance(p, str))


@control(
    id="backup.vault_denies_recovery_point_deletion",
    title="Backup vault access policies deny deleting recovery points or shortening their retention",
    severity="medium",
    needs=[*VAULTS, "backup:GetBackupVaultAccessPolicy"],
    rationale="An access policy statement that denies backup:DeleteRecoveryPoint and "
    "backup:UpdateRecoveryPointLifecycle to every principal stops an administrator's mistake or a "
    "compromised identity from removing recovery points before their scheduled expiry, keeping the "
    "recovery infrastructure of A1.2 and CC7.4 intact. A vault in Vault Lock compliance mode already "
    "forbids both and passes.",
    remediation=Remediation(
        console="AWS Backup console > Backup vaults > the vault > Access policy > Edit > add a statement with "
        "Effect Deny, Principal \"*\", Action backup:DeleteRecoveryPoint and backup:UpdateRecoveryPointLifecycle, "
        "Resource \"*\" (optionally excepting a break-glass role by condition) > Save policy.",
        cli="aws backup put-backup-vault-access-policy --backup-vault-name <vault> --policy '{\"Version\":"
        "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":["
        "\"backup:DeleteRecoveryPoint\",\"backup:UpdateRecoveryPointLifecycle\"],\"Resource\":\"*\"}]}'",
        terraform='data "aws_iam_policy_document" "vault" {\n  statement {\n    effect    = "Deny"\n    principals '
        '{\n      type        = "*"\n      identifiers = ["*"]\n    }\n    actions   = ["backup:DeleteRecoveryPoint",'
        ' "backup:UpdateRecoveryPointLifecycle"]\n    resources = ["*"]\n  }\n}',
    ),
)
def vault_denies_recovery_point_deletion(vault: BackupVault, now: datetime) -> Outcome:
    if vault.locked and vault.lock_date is not None and vault.lock_date <= now:
        return Pass(f"Vault Lock has been in compliance mode since {vault.lock_date:%Y-%m-%d}")
    if vault.access_policy is None:
        return Error("the vault access policy was not read")
    denied: set[str] = set()
    for st in statements(vault.access_policy):
        if st.get("Effect") == "Deny" and principal_is_everyone(st.get("Principal")):
            denied |= {a for a in DELETION_ACTIONS if _action_covered(a, as_list(st.get("Action")))}
    missing = [a for a in DELETION_ACTIONS if a not in denied]
    if not missing:
        return Pass("the access policy denies deleting recovery points and changing their lifecycle")
    return Fail(f"the access policy does not deny {', '.join(missing)} to everyone")


@control(
    id="backup.recovery_points_encrypted",
    title="Every recovery point in a backup vault is encrypted",
    severity="medium",
    needs=[*VAULTS, "backup:ListRecoveryPointsByBackupVault"],
    rationale="Recovery points hold full copies of production data. Some resource types keep their source's "
    "encryption state in their backups, so an unencrypted volume or database leaves unencrypted recovery "
    "points behind. Encrypting stored data, backups included, is part of CC6.1 and of protecting stored "
    "data (PI1.5); the concept comes from the AWS Config rule on recovery point encryption.",
    remediation=Remediation(
        console="Encrypt the source resource (e.g. copy the snapshot with encryption, restore, switch over), or "
        "use resource types with independent AWS Backup encryption; then delete unencrypted recovery points: "
        "AWS Backup console > Backup vaults > the vault > the recovery point > Delete.",
        cli="aws backup list-recovery-points-by-backup-vault --backup-vault-name <vault> "
        "--query 'RecoveryPoints[?IsEncrypted==`false`].RecoveryPointArn'\n"
        "aws backup delete-recovery-point --backup-vault-name <vault> --recovery-point-arn <arn>",
        terraform='# encrypt the sources, e.g.\nresource "aws_ebs_encryption_by_default" "on" {\n  enabled = true\n}',
    ),
)
def recovery_points_encrypted(vault: BackupVault) -> Outcome:
    if vault.recovery_points is None:
        return Error("the vault's recovery points were not read")
    if not vault.recovery_points:
        return Skip("the vault holds no recovery points")
    plain = [p.arn for p in vault.recovery_points if p.encrypted is False]
    if plain:
        return Fail(f"{len(plain)} unencrypted recovery point(s): {_names(plain, 2)}")
    unknown = [p.arn for p in vault.recovery_points if p.encrypted is None]
    if unknown:
        return Error(f"encryption not reported for {len(unknown)} recovery point(s): {_names(unknown, 2)}")
    return Pass(f"all {len(vault.recovery_points)} recovery points are encrypted")


@control(
    id="backup.recovery_points_retained",
    title="Recovery points in backup vaults are kept for at least the required period",
    severity="medium",
    needs=[*VAULTS, "backup:ListRecoveryPointsByBackupVault"],
    rationale="A recovery point that expires after a few days cannot help with corruption, deletion or an "
    "intrusion discovered later, which is common. Retaining recovery points for at least "
    "`min_retention_days` (35 by default, the AWS Config rule's default) keeps the ability to restore that "
    "A1.2 and CC7.4 expect. Recovery points with no expiry pass.",
    remediation=Remediation(
        console="AWS Backup console > Backup vaults > the vault > the recovery point > Edit > Retention period: "
        "at least 35 days > Save; and fix the plan rule that created it so new points are kept long enough.",
        cli="aws backup update-recovery-point-lifecycle --backup-vault-name <vault> --recovery-point-arn <arn> "
        "--lifecycle DeleteAfterDays=35",
        terraform='rule {\n  # ...\n  lifecycle { delete_after = 35 }\n}',
    ),
)
def recovery_points_retained(vault: BackupVault, *, min_retention_days: int = 35) -> Outcome:
    if vault.recovery_points is None:
        return Error("the vault's recovery points were not read")
    live = [p for p in vault.recovery_points if p.status not in ("EXPIRED", "DELETING")]
    if not live:
        return Skip("the vault holds no live recovery points")
    short = [f"{p.arn} ({p.delete_after_days} days)" for p in live
             if p.delete_after_days is not None and p.delete_after_days < min_retention_days]
    if short:
        return Fail(f"{len(short)} recovery point(s) kept under {min_retention_days} days: {_names(short, 2)}")
    return Pass(f"all {len(live)} recovery points are kept at least {min_retention_days} days or indefinitely")


# -- restore testing (A1.3) -------------------------------------------------------------------------


def _nothing_protected(region: BackupRegion) -> Outcome | None:
    if region.protected is None:
        return Error("the resources AWS Backup protects were not read")
    if not region.protected:
        return Skip(f"AWS Backup holds no recovery point of any resource in {region.region}")
    return None


@control(
    id="backup.restore_testing_plan_exists",
    title="Regions with backed-up resources have an AWS Backup restore testing plan",
    severity="medium",
    needs=["backup:ListProtectedResources", "backup:ListRestoreTestingPlans"],
    rationale="A1.3 requires recovery plan procedures to be tested. A backup that has never been restored "
    "is an assumption, not a recovery capability: restores fail for missing permissions, keys, parameter "
    "groups or sheer size. An AWS Backup restore testing plan restores selected recovery points on a "
    "schedule, validates them and records the result, which gives continuing evidence that recovery works.",
    remediation=Remediation(
        console="AWS Backup console > Restore testing > Create restore testing plan: set a frequency, pick "
        "recovery points (e.g. latest within 7 days), then Assign resources per resource type > Create.",
        cli="aws backup create-restore-testing-plan --restore-testing-plan '{\"RestoreTestingPlanName\":\"weekly\","
        "\"ScheduleExpression\":\"cron(0 6 ? * SUN *)\",\"RecoveryPointSelection\":{\"Algorithm\":"
        "\"LATEST_WITHIN_WINDOW\",\"IncludeVaults\":[\"*\"],\"RecoveryPointTypes\":[\"SNAPSHOT\"]}}'\n"
        "aws backup create-restore-testing-selection --restore-testing-plan-name weekly "
        "--restore-testing-selection file://selection.json",
        terraform='resource "aws_backup_restore_testing_plan" "weekly" {\n  name                = "weekly"\n'
        '  schedule_expression = "cron(0 6 ? * SUN *)"\n  recovery_point_selection {\n    algorithm             = '
        '"LATEST_WITHIN_WINDOW"\n    include_vaults        = ["*"]\n    recovery_point_types  = ["SNAPSHOT"]\n  }\n}',
    ),
)
def restore_testing_plan_exists(region: BackupRegion) -> Outcome:
    if (outcome := _nothing_protected(region)) is not None:
        return outcome
    if region.restore_testing_plans is None:
        return Error("the restore testing plans were not read")
    if region.restore_testing_plans:
        return Pass(f"restore testing plan(s): {_names(list(region.restore_testing_plans))}")
    return Fail(f"{len(region.protected or {})} resource(s) are backed up in {region.region} "
                "but no restore testing plan exists")


@control(
    id="backup.restore_tested_recently",
    title="A restore from AWS Backup completed recently in regions with backed-up resources",
    severity="high",
    needs=["backup:ListProtectedResources", "backup:ListRestoreJobs"],
    rationale="A1.3 asks for evidence that recovery actually works, and a completed restore job is that "
    "evidence: it shows a recovery point was turned back into a working resource within the period "
    "(`max_age_days`, 90 by default, i.e. at least quarterly). Restores run by restore testing plans and "
    "by hand both count.",
    remediation=Remediation(
        console="AWS Backup console > Protected resources > a resource > a recovery point > Restore (into a "
        "test location), verify and clean up; better, create a restore testing plan that does this on a schedule.",
        cli="aws backup start-restore-job --recovery-point-arn <arn> --iam-role-arn <role-arn> "
        "--metadata file://restore-metadata.json\naws backup list-restore-jobs --by-status COMPLETED",
        terraform='# schedule restores instead of running them by hand:\n'
        'resource "aws_backup_restore_testing_plan" "weekly" { /* ... */ }\n'
        'resource "aws_backup_restore_testing_selection" "ddb" { /* ... */ }',
    ),
)
def restore_tested_recently(region: BackupRegion, now: datetime, *, max_age_days: int = 90) -> Outcome:
    if (outcome := _nothing_protected(region)) is not None:
        return outcome
    if region.restore_jobs is None:
        return Error("the completed restore jobs were not read")
    since = region.restore_jobs_since
    if since is not None and now - since < timedelta(days=max_age_days):
        return Error(f"restore jobs were read back to {since:%Y-%m-%d} only, less than {max_age_days} days")
    dated = [j for j in region.restore_jobs if j.completed is not None]
    latest = max(dated, key=lambda j: j.completed or now, default=None)
    if latest is not None and latest.completed is not None and now - latest.completed <= timedelta(days=max_age_days):
        how = "by a restore testing plan" if latest.restore_testing_plan else "by hand"
        return Pass(f"restore job {latest.id} ({latest.resource_type}) completed {latest.completed:%Y-%m-%d}, {how}")
    last = f"the latest on {latest.completed:%Y-%m-%d}" if latest and latest.completed else "none in the last year"
    return Fail(f"no restore job completed in {region.region} in the last {max_age_days} days ({last})")


# -- coverage of one resource (used by the DynamoDB and EFS controls; RDS and EBS can do the same) ---


def in_backup_plan(r: Resource, inv: Inventory, noun: str) -> Outcome:
    """PASS when a plan's selection assigns the resource (and its type is opted in to AWS Backup)."""
    cov = backup_coverage(inv, r)
    if cov.selected_by:
        if cov.opted_in is False:
            kind = BACKUP_RESOURCE_TYPES.get(r.type, r.type)
            return Fail(f"selected by {_names(cov.selected_by)}, but {kind} is not opted in to AWS Backup "
                        f"in {r.region}, so no backup runs")
        return Pass(f"assigned to backup plan(s) {_names(cov.selected_by)}")
    if cov.unknown:
        return Error("; ".join(cov.unknown))
    return Fail(f"no backup plan selects this {noun} (by ARN, resource type or tag)")


def recently_backed_up(r: Resource, inv: Inventory, now: datetime, max_age_days: int) -> Outcome:
    """PASS when AWS Backup holds a recovery point of the resource no older than max_age_days."""
    cov = backup_coverage(inv, r)
    if cov.region is None or cov.region.protected is None:
        return Error("the resources AWS Backup protects were not read in this region")
    hit = cov.protected
    if hit is None:
        return Fail("AWS Backup holds no recovery point of it")
    if hit.last_backup is None:
        return Error("AWS Backup lists it as protected but gives no last backup time")
    age = now - hit.last_backup
    if age > timedelta(days=max_age_days):
        return Fail(f"the latest AWS Backup recovery point is {age.days} days old ({hit.last_backup:%Y-%m-%d})")
    return Pass(f"latest AWS Backup recovery point taken {hit.last_backup:%Y-%m-%d %H:%M} UTC")
