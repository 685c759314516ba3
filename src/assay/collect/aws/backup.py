"""AWS Backup: vaults (key, lock, access policy, recovery points), plans with their selections,
and per region what is protected, what is opted in and whether restores are tested."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
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

RESTORE_LOOKBACK = timedelta(days=366)  # completed restore jobs read; controls judge within it
RESTORE_JOBS_KEPT = 20  # the most recent completed restores kept as evidence
SELECTIONS = ("backup:ListBackupSelections", "backup:GetBackupSelection")


@collector(
    service="backup",
    produces=[BackupVault],
    permissions=["backup:ListBackupVaults", "backup:GetBackupVaultAccessPolicy",
                 "backup:ListRecoveryPointsByBackupVault"],
    absent={"backup:GetBackupVaultAccessPolicy": ["ResourceNotFoundException"]},
)
def collect_vaults(ctx: Ctx) -> Iterator[BackupVault]:
    backup = ctx.client("backup")
    for v in ctx.paginate(backup, "list_backup_vaults", "BackupVaultList"):
        name, arn = v["BackupVaultName"], v["BackupVaultArn"]
        got = ctx.call(backup, "get_backup_vault_access_policy", resource_arn=arn, BackupVaultName=name)
        policy = None if got is None else ctx.policy_document(
            "backup:GetBackupVaultAccessPolicy", got.get("Policy"), arn)
        points: tuple[RecoveryPoint, ...] | None = tuple(
            _recovery_point(p) for p in ctx.paginate(
                backup, "list_recovery_points_by_backup_vault", "RecoveryPoints", resource_arn=arn,
                BackupVaultName=name)
        )
        if ctx.failed("backup:ListRecoveryPointsByBackupVault", arn):
            points = None
        yield BackupVault(
            arn=arn, id=name, name=name, account_id=ctx.account_id, region=ctx.region,
            vault_type=v.get("VaultType") or "BACKUP_VAULT", encryption_key_arn=v.get("EncryptionKeyArn"),
            locked=bool(v.get("Locked")), lock_date=v.get("LockDate"),
            min_retention_days=v.get("MinRetentionDays"), max_retention_days=v.get("MaxRetentionDays"),
            recovery_point_count=int(v.get("NumberOfRecoveryPoints") or 0),
            access_policy=policy, recovery_points=points,
        )


def _recovery_point(p: dict[str, Any]) -> RecoveryPoint:
    return RecoveryPoint(
        arn=p.get("RecoveryPointArn", ""), resource_arn=p.get("ResourceArn", ""),
        resource_type=p.get("ResourceType", ""), status=p.get("Status", ""),
        encrypted=p.get("IsEncrypted"), delete_after_days=(p.get("Lifecycle") or {}).get("DeleteAfterDays"),
        created=p.get("CreationDate"),
    )


@collector(
    service="backup",
    produces=[BackupPlan],
    permissions=["backup:ListBackupPlans", "backup:GetBackupPlan", *SELECTIONS],
)
def collect_plans(ctx: Ctx) -> Iterator[BackupPlan]:
    backup = ctx.client("backup")
    for p in ctx.paginate(backup, "list_backup_plans", "BackupPlansList"):
        plan_id, arn = p["BackupPlanId"], p["BackupPlanArn"]
        got = ctx.call(backup, "get_backup_plan", resource_arn=arn, BackupPlanId=plan_id)
        rules = None if got is None else tuple(_rule(r) for r in (got.get("BackupPlan") or {}).get("Rules") or [])
        yield BackupPlan(
            arn=arn, id=plan_id, name=p.get("BackupPlanName", ""), account_id=ctx.account_id, region=ctx.region,
            version_id=p.get("VersionId", ""), rules=rules, selections=_selections(ctx, backup, plan_id),
        )


def _rule(r: dict[str, Any]) -> BackupRule:
    return BackupRule(
        name=r.get("RuleName", ""), target_vault=r.get("TargetBackupVaultName", ""),
        schedule=r.get("ScheduleExpression") or None, continuous=bool(r.get("EnableContinuousBackup")),
        delete_after_days=(r.get("Lifecycle") or {}).get("DeleteAfterDays"),
        copy_actions=tuple(
            CopyAction(destination_vault_arn=c.get("DestinationBackupVaultArn", ""),
                       delete_after_days=(c.get("Lifecycle") or {}).get("DeleteAfterDays"))
            for c in r.get("CopyActions") or []
        ),
    )


def _selections(ctx: Ctx, backup: Any, plan_id: str) -> tuple[BackupSelection, ...] | None:
    """A plan's selections. A failed read is recorded for the region, not the plan: it leaves the
    coverage of every resource there unknown, which is what the coverage controls must report."""
    out = []
    for s in ctx.paginate(backup, "list_backup_selections", "BackupSelectionsList", BackupPlanId=plan_id):
        got = ctx.call(backup, "get_backup_selection", BackupPlanId=plan_id, SelectionId=s["SelectionId"])
        if got is None:
            return None
        sel = got.get("BackupSelection") or {}
        out.append(BackupSelection(
            id=s["SelectionId"], name=sel.get("SelectionName", ""),
            resources=tuple(sel.get("Resources") or ()), not_resources=tuple(sel.get("NotResources") or ()),
            list_of_tags=tuple(
                TagCondition(operator=t.get("ConditionType", "STRINGEQUALS"), key=t.get("ConditionKey", ""),
                             value=t.get("ConditionValue", ""))
                for t in sel.get("ListOfTags") or []
            ),
            conditions=tuple(
                TagCondition(operator=op, key=c.get("ConditionKey", "").removeprefix("aws:ResourceTag/"),
                             value=c.get("ConditionValue", ""))
                for op, items in (sel.get("Conditions") or {}).items() for c in items or []
            ),
        ))
    if ctx.failed("backup:ListBackupSelections"):
        return None
    return tuple(out)


@collector(
    service="backup",
    produces=[BackupRegion],
    permissions=["backup:ListProtectedResources", "backup:DescribeRegionSettings",
                 "backup:ListRestoreTestingPlans", "backup:ListRestoreJobs"],
)
def collect_region(ctx: Ctx) -> Iterator[BackupRegion]:
    backup = ctx.client("backup")
    protected: dict[str, ProtectedResource] | None = {
        r["ResourceArn"]: ProtectedResource(resource_type=r.get("ResourceType", ""),
                                            last_backup=r.get("LastBackupTime"))
        for r in ctx.paginate(backup, "list_protected_resources", "Results") if r.get("ResourceArn")
    }
    if ctx.failed("backup:ListProtectedResources"):
        protected = None
    settings = ctx.call(backup, "describe_region_settings")
    opt_in = None if settings is None else {
        str(k): bool(v) for k, v in (settings.get("ResourceTypeOptInPreference") or {}).items()}
    plans: tuple[str, ...] | None = tuple(
        p.get("RestoreTestingPlanName", "") for p in ctx.paginate(backup, "list_restore_testing_plans",
                                                                  "RestoreTestingPlans"))
    if ctx.failed("backup:ListRestoreTestingPlans"):
        plans = None
    since = datetime.now(UTC) - RESTORE_LOOKBACK
    jobs: tuple[RestoreJob, ...] | None = tuple(
        RestoreJob(id=j.get("RestoreJobId", ""), resource_type=j.get("ResourceType", ""),
                   completed=j.get("CompletionDate"),
                   restore_testing_plan=(j.get("CreatedBy") or {}).get("RestoreTestingPlanArn", ""))
        for j in ctx.paginate(backup, "list_restore_jobs", "RestoreJobs", ByStatus="COMPLETED", ByCompleteAfter=since)
    )
    if ctx.failed("backup:ListRestoreJobs"):
        jobs = None
    else:
        newest = sorted(jobs or (), key=lambda j: j.completed or since, reverse=True)
        jobs = tuple(newest[:RESTORE_JOBS_KEPT])
    yield BackupRegion(
        arn=ctx.arn("backup", "region-settings"), id=ctx.region, name=ctx.region, account_id=ctx.account_id,
        region=ctx.region, protected=protected, opt_in=opt_in, restore_testing_plans=plans, restore_jobs=jobs,
        restore_jobs_since=since,
    )
