"""AWS Backup controls: pure functions over vaults, plans and region records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from assay.controls import backup, backup_disposal
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.backup import (
    BackupPlan,
    BackupRegion,
    BackupRule,
    BackupSelection,
    BackupVault,
    CopyAction,
    ProtectedResource,
    RecoveryPoint,
    RestoreJob,
    TagCondition,
)
from assay.models.resources.dynamodb import DynamoDbTable
from assay.models.resources.kms import KmsKey

ACCOUNT = "123456789012"
NOW = datetime(2025, 6, 1, tzinfo=UTC)
CMK = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/cmk"
AWS_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/aws"


def inventory(*resources: Resource) -> Inventory:
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], resources, [])


def vault(**over: Any) -> BackupVault:
    base: dict[str, Any] = dict(arn=f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:v", id="v", name="v",
                                account_id=ACCOUNT, region="us-east-1", encryption_key_arn=CMK, access_policy={},
                                recovery_points=())
    return BackupVault(**{**base, **over})


def plan(*rules: BackupRule, **over: Any) -> BackupPlan:
    base: dict[str, Any] = dict(arn=f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-plan:p", id="p", name="p",
                                account_id=ACCOUNT, region="us-east-1", rules=rules, selections=())
    return BackupPlan(**{**base, **over})


def rule(schedule: str | None = "cron(0 5 ? * * *)", keep: int | None = 35, **over: Any) -> BackupRule:
    return BackupRule(**{"name": "r", "target_vault": "v", "schedule": schedule, "delete_after_days": keep, **over})


def region(**over: Any) -> BackupRegion:
    base: dict[str, Any] = dict(arn=f"arn:aws:backup:us-east-1:{ACCOUNT}:region-settings", id="us-east-1",
                                name="us-east-1", account_id=ACCOUNT, region="us-east-1", protected={}, opt_in={},
                                restore_testing_plans=(), restore_jobs=(), restore_jobs_since=NOW - timedelta(days=366))
    return BackupRegion(**{**base, **over})


def table(**over: Any) -> DynamoDbTable:
    base: dict[str, Any] = dict(arn=f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders", id="orders", name="orders",
                                account_id=ACCOUNT, region="us-east-1")
    return DynamoDbTable(**{**base, **over})


def point(**over: Any) -> RecoveryPoint:
    return RecoveryPoint(**{"arn": "rp-1", "status": "COMPLETED", "encrypted": True, "delete_after_days": 35, **over})


# -- plans ----------------------------------------------------------------------------------------


def test_plan_exists() -> None:
    assert backup.plan_exists(region(), inventory(plan(rule()))).status is Status.PASS
    out = backup.plan_exists(region(), inventory(table()))
    assert out.status is Status.FAIL and "DynamoDB" in out.message
    assert backup.plan_exists(region(), inventory()).status is Status.SKIP
    other = table(region="eu-west-1", arn=f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/orders")
    assert backup.plan_exists(region(), inventory(other)).status is Status.SKIP


@pytest.mark.parametrize(("schedule", "hours"), [
    ("cron(0 5 ? * * *)", 24), ("cron(0 */6 ? * * *)", 6), ("cron(0 1,13 * * ? *)", 12),
    ("cron(0 3 ? * SUN *)", 168), ("cron(0 3 1 * ? *)", 744), ("cron(0 5 ? * MON-SUN *)", 24),
    ("rate(1 day)", None), (None, None), ("cron(0 5 *)", None),
])
def test_interval_hours(schedule: str | None, hours: float | None) -> None:
    assert backup.interval_hours(schedule) == hours


def test_plan_daily_with_retention() -> None:
    assert backup.plan_daily_with_retention(plan(rule())).status is Status.PASS
    assert backup.plan_daily_with_retention(plan(rule(keep=None))).status is Status.PASS
    assert backup.plan_daily_with_retention(plan(rule(schedule=None, continuous=True))).status is Status.PASS
    weekly_long = plan(rule("cron(0 3 ? * SUN *)", 365), rule(keep=7))
    out = backup.plan_daily_with_retention(weekly_long)
    assert out.status is Status.FAIL and "every ~168h, kept 365 days" in out.message
    assert backup.plan_daily_with_retention(weekly_long, min_retention_days=7).status is Status.PASS
    assert backup.plan_daily_with_retention(plan()).status is Status.FAIL
    assert backup.plan_daily_with_retention(plan(rules=None)).status is Status.ERROR


def test_plan_copies_to_another_region() -> None:
    away = CopyAction(destination_vault_arn=f"arn:aws:backup:eu-west-1:{ACCOUNT}:backup-vault:dr")
    same = CopyAction(destination_vault_arn="arn:aws:backup:us-east-1:210987654321:backup-vault:x")
    out = backup.plan_copies_to_another_region(plan(rule(copy_actions=(away,))))
    assert out.status is Status.PASS and "eu-west-1" in out.message
    assert backup.plan_copies_to_another_region(plan(rule(copy_actions=(same,)))).status is Status.FAIL
    assert backup.plan_copies_to_another_region(plan(rule())).status is Status.FAIL
    assert backup.plan_copies_to_another_region(plan(rules=None)).status is Status.ERROR


# -- vaults ---------------------------------------------------------------------------------------


def key(arn: str, manager: str) -> KmsKey:
    return KmsKey(arn=arn, id=arn.rsplit("/", 1)[1], account_id=ACCOUNT, region="us-east-1", manager=manager,
                  state="Enabled", spec="SYMMETRIC_DEFAULT")


def test_vault_customer_managed_key() -> None:
    inv = inventory(key(CMK, "CUSTOMER"), key(AWS_KEY, "AWS"))
    assert backup.vault_customer_managed_key(vault(), inv).status is Status.PASS
    assert backup.vault_customer_managed_key(vault(encryption_key_arn=AWS_KEY), inv).status is Status.FAIL
    assert backup.vault_customer_managed_key(vault(encryption_key_arn=AWS_KEY), inv,
                                             require_customer_managed_key=False).status is Status.PASS
    assert backup.vault_customer_managed_key(vault(encryption_key_arn=None), inv).status is Status.FAIL
    foreign = "arn:aws:kms:us-east-1:999999999999:key/k"
    assert backup.vault_customer_managed_key(vault(encryption_key_arn=foreign), inv).status is Status.PASS
    assert backup.vault_customer_managed_key(vault(), inventory()).status is Status.ERROR
    gapped = vault(vault_type="LOGICALLY_AIR_GAPPED_BACKUP_VAULT")
    assert backup.vault_customer_managed_key(gapped, inv).status is Status.SKIP


def test_vault_lock_enabled() -> None:
    assert backup.vault_lock_enabled(vault(locked=True, min_retention_days=35)).status is Status.PASS
    out = backup.vault_lock_enabled(vault(locked=True, lock_date=NOW))
    assert out.status is Status.PASS and "compliance mode" in out.message
    assert backup.vault_lock_enabled(vault()).status is Status.FAIL


PUBLIC = {"Statement": [{"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "backup:*", "Resource": "*"}]}
DENY = {"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Resource": "*",
                       "Action": ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]}]}


def test_vault_access_policy_not_public() -> None:
    assert backup.vault_access_policy_not_public(vault()).status is Status.PASS
    assert backup.vault_access_policy_not_public(vault(access_policy=DENY)).status is Status.PASS
    out = backup.vault_access_policy_not_public(vault(access_policy=PUBLIC))
    assert out.status is Status.FAIL and "Open" in out.message
    assert backup.vault_access_policy_not_public(vault(access_policy=None)).status is Status.ERROR


def test_vault_denies_recovery_point_deletion() -> None:
    assert backup.vault_denies_recovery_point_deletion(vault(access_policy=DENY), NOW).status is Status.PASS
    wildcard = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "backup:*", "Resource": "*"}]}
    assert backup.vault_denies_recovery_point_deletion(vault(access_policy=wildcard), NOW).status is Status.PASS
    partial = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "backup:Delete*", "Resource": "*"}]}
    out = backup.vault_denies_recovery_point_deletion(vault(access_policy=partial), NOW)
    assert out.status is Status.FAIL and out.message.endswith("backup:UpdateRecoveryPointLifecycle to everyone")
    assert backup.vault_denies_recovery_point_deletion(vault(), NOW).status is Status.FAIL
    locked = vault(locked=True, lock_date=NOW - timedelta(days=1), access_policy=None)
    assert backup.vault_denies_recovery_point_deletion(locked, NOW).status is Status.PASS
    grace = vault(locked=True, lock_date=NOW + timedelta(days=2), access_policy=None)
    assert backup.vault_denies_recovery_point_deletion(grace, NOW).status is Status.ERROR


def test_recovery_points_encrypted() -> None:
    assert backup.recovery_points_encrypted(vault(recovery_points=(point(),))).status is Status.PASS
    out = backup.recovery_points_encrypted(vault(recovery_points=(point(), point(arn="rp-2", encrypted=False))))
    assert out.status is Status.FAIL and "rp-2" in out.message
    assert backup.recovery_points_encrypted(vault()).status is Status.SKIP
    assert backup.recovery_points_encrypted(vault(recovery_points=None)).status is Status.ERROR
    assert backup.recovery_points_encrypted(vault(recovery_points=(point(encrypted=None),))).status is Status.ERROR


def test_recovery_points_retained() -> None:
    assert backup.recovery_points_retained(vault(recovery_points=(point(), point(delete_after_days=None)))
                                           ).status is Status.PASS
    out = backup.recovery_points_retained(vault(recovery_points=(point(arn="rp-7", delete_after_days=7),)))
    assert out.status is Status.FAIL and "rp-7 (7 days)" in out.message
    short = vault(recovery_points=(point(delete_after_days=7),))
    assert backup.recovery_points_retained(short, min_retention_days=7).status is Status.PASS
    assert backup.recovery_points_retained(vault(recovery_points=(point(status="EXPIRED"),))).status is Status.SKIP
    assert backup.recovery_points_retained(vault(recovery_points=None)).status is Status.ERROR


# -- restore testing ------------------------------------------------------------------------------

PROTECTED = {"arn:x": ProtectedResource(resource_type="DynamoDB", last_backup=NOW)}


def test_restore_testing_plan_exists() -> None:
    out = backup.restore_testing_plan_exists(region(protected=PROTECTED, restore_testing_plans=("weekly",)))
    assert out.status is Status.PASS and "weekly" in out.message
    assert backup.restore_testing_plan_exists(region(protected=PROTECTED)).status is Status.FAIL
    assert backup.restore_testing_plan_exists(region()).status is Status.SKIP
    assert backup.restore_testing_plan_exists(region(protected=None)).status is Status.ERROR
    assert backup.restore_testing_plan_exists(region(protected=PROTECTED, restore_testing_plans=None)
                                              ).status is Status.ERROR


def test_restore_tested_recently() -> None:
    recent = RestoreJob(id="j1", resource_type="DynamoDB", completed=NOW - timedelta(days=10), restore_testing_plan="t")
    old = RestoreJob(id="j0", resource_type="EBS", completed=NOW - timedelta(days=200))
    out = backup.restore_tested_recently(region(protected=PROTECTED, restore_jobs=(old, recent)), NOW)
    assert out.status is Status.PASS and "j1" in out.message and "restore testing plan" in out.message
    out = backup.restore_tested_recently(region(protected=PROTECTED, restore_jobs=(old,)), NOW)
    assert out.status is Status.FAIL and "the latest on" in out.message
    assert backup.restore_tested_recently(region(protected=PROTECTED, restore_jobs=(old,)), NOW,
                                          max_age_days=365).status is Status.PASS
    assert backup.restore_tested_recently(region(protected=PROTECTED), NOW).status is Status.FAIL
    assert backup.restore_tested_recently(region(), NOW).status is Status.SKIP
    assert backup.restore_tested_recently(region(protected=PROTECTED, restore_jobs=None), NOW).status is Status.ERROR
    assert backup.restore_tested_recently(region(protected=PROTECTED), NOW, max_age_days=400).status is Status.ERROR


# -- selection semantics --------------------------------------------------------------------------


def eq(k: str, v: str, op: str = "STRINGEQUALS") -> TagCondition:
    return TagCondition(operator=op, key=k, value=v)


ARN = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"


@pytest.mark.parametrize(("selection", "tags", "selected"), [
    (BackupSelection(id="s", resources=("*",)), {}, True),
    (BackupSelection(id="s", resources=("arn:aws:dynamodb:*:*:table/*",)), {}, True),
    (BackupSelection(id="s", resources=("arn:aws:elasticfilesystem:*:*:file-system/*",)), {}, False),
    (BackupSelection(id="s", resources=(ARN,)), {}, True),
    (BackupSelection(id="s", resources=("*",), not_resources=(ARN,)), {}, False),
    (BackupSelection(id="s", list_of_tags=(eq("backup", "daily"), eq("tier", "1"))), {"tier": "1"}, True),
    (BackupSelection(id="s", list_of_tags=(eq("backup", "daily"),)), {"backup": "weekly"}, False),
    (BackupSelection(id="s", resources=("*",), conditions=(eq("env", "prod", "StringEquals"),)), {"env": "dev"}, False),
    (BackupSelection(id="s", resources=("*",), conditions=(eq("env", "pr*", "StringLike"),)), {"env": "prod"}, True),
    (BackupSelection(id="s", resources=("*",), conditions=(eq("skip", "yes", "StringNotEquals"),)), {}, True),
    (BackupSelection(id="s", conditions=(eq("env", "prod", "StringEquals"),)), {"env": "prod"}, True),
    (BackupSelection(id="s"), {}, False),
])
def test_selection_semantics(selection: BackupSelection, tags: dict[str, str], selected: bool) -> None:
    assert selection.selects(ARN, tags) is selected


def test_in_backup_plan_helper() -> None:
    by_tag = plan(rule(), name="daily", selections=(BackupSelection(id="s", list_of_tags=(eq("backup", "daily"),)),))
    assert backup.in_backup_plan(table(tags={"backup": "daily"}), inventory(region(), by_tag), "table"
                                 ).status is Status.PASS
    assert backup.in_backup_plan(table(), inventory(region(), by_tag), "table").status is Status.FAIL
    opted_out = region(opt_in={"DynamoDB": False})
    out = backup.in_backup_plan(table(tags={"backup": "daily"}), inventory(opted_out, by_tag), "table")
    assert out.status is Status.FAIL and "not opted in" in out.message
    unread = plan(rule(), name="hidden", selections=None, id="h",
                  arn=f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-plan:h")
    out = backup.in_backup_plan(table(), inventory(region(), by_tag, unread), "table")
    assert out.status is Status.ERROR and "hidden" in out.message
    assert backup.in_backup_plan(table(), inventory(), "table").status is Status.ERROR


def test_recently_backed_up_helper() -> None:
    fresh = region(protected={ARN: ProtectedResource(resource_type="DynamoDB", last_backup=NOW - timedelta(hours=20))})
    assert backup.recently_backed_up(table(), inventory(fresh), NOW, 2).status is Status.PASS
    stale = region(protected={ARN: ProtectedResource(resource_type="DynamoDB", last_backup=NOW - timedelta(days=9))})
    out = backup.recently_backed_up(table(), inventory(stale), NOW, 2)
    assert out.status is Status.FAIL and "9 days old" in out.message
    assert backup.recently_backed_up(table(), inventory(region()), NOW, 2).status is Status.FAIL
    assert backup.recently_backed_up(table(), inventory(region(protected=None)), NOW, 2).status is Status.ERROR


def test_plan_recovery_points_expire() -> None:
    f = backup_disposal.plan_recovery_points_expire
    dr = f"arn:aws:backup:eu-west-1:{ACCOUNT}:backup-vault:dr"
    assert f(plan(rule(copy_actions=(CopyAction(destination_vault_arn=dr, delete_after_days=35),)))) == \
        (Status.PASS, "every rule and copy expires its recovery points")
    forever = plan(rule(name="daily"), rule(name="monthly", keep=None),
                   rule(name="weekly", copy_actions=(CopyAction(destination_vault_arn=dr),)))
    assert f(forever) == (Status.FAIL, "recovery points kept beyond the retention period: monthly (never expires); "
                                       "weekly copy to dr (never expires)")
    assert f(plan(rule(keep=3650)), max_retention_days=2555).status is Status.FAIL
    assert f(plan()).status is Status.SKIP
    assert f(plan(rules=None)).status is Status.ERROR
