"""AWS Backup at Northwind Analytics: a well-kept primary region (us-east-1) and a neglected one.

us-east-1: a locked, customer-key vault with a deletion-denying policy and a daily plan copied to
eu-west-1; a legacy vault (AWS managed key, public policy, an unencrypted short-lived recovery point);
a weekly plan without copies; a restore testing plan and a recent restore. eu-west-1: the copy
target vault, one old on-demand backup, no plan and no restore testing.

moto 5.2 emulates only vaults, plans and vault lock. `ensure_moto_backup()` teaches the in-process
server the other calls Assay reads (selections, protected resources, vault access policies, recovery
points, region settings, restore testing plans and restore jobs) plus the few writes that create
them, keeping its state on moto's own backend so a reset clears it. A no-op for calls moto has.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from assay.demo.estate import ClientFactory

ACCOUNT = "123456789012"
PRIMARY, SECONDARY = "us-east-1", "eu-west-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/northwind-backup"

# Paths moto's backup app does not route; added before the app is first built.
# Trailing slashes as in botocore's request URIs (the routes match them exactly).
_PATHS = [
    "{0}/resources/$",
    "{0}/account-settings$",
    "{0}/backup-jobs$",
    "{0}/backup-vaults/(?P<name>[^/]+)/access-policy$",
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$",
    "{0}/restore-testing/plans$",
    "{0}/restore-jobs/$",
    "{0}/restore-jobs$",
]


def _state(backend: Any) -> dict[str, Any]:
    if "_assay" not in backend.__dict__:
        backend._assay = {"selections": {}, "policies": {}, "points": {}, "protected": {}, "testing": [],
                          "restores": []}
    return backend._assay  # type: ignore[no-any-return]


def _iso(t: datetime) -> float:
    return t.timestamp()


def _list_backup_selections(self: Any) -> str:
    plan_id = self.path.split("/plans/")[1].split("/")[0]
    sels = _state(self.backup_backend)["selections"].get(plan_id, {})
    return json.dumps({"BackupSelectionsList": [
        {"SelectionId": sid, "SelectionName": s["SelectionName"], "BackupPlanId": plan_id,
         "IamRoleArn": s.get("IamRoleArn", "")} for sid, s in sels.items()]})


def _create_backup_selection(self: Any) -> str:
    plan_id = self.path.split("/plans/")[1].split("/")[0]
    selection = json.loads(self.body)["BackupSelection"]
    sid = str(uuid.uuid4())
    _state(self.backup_backend)["selections"].setdefault(plan_id, {})[sid] = selection
    return json.dumps({"SelectionId": sid, "BackupPlanId": plan_id})


def _get_backup_selection(self: Any) -> str:
    plan_id, _, sid = self.path.split("/plans/")[1].strip("/").split("/")
    selection = _state(self.backup_backend)["selections"][plan_id][sid]
    return json.dumps({"BackupSelection": selection, "SelectionId": sid, "BackupPlanId": plan_id})


def _vault_name(self: Any) -> str:
    return unquote(self.path.split("/backup-vaults/")[1].split("/")[0])


def _get_backup_vault_access_policy(self: Any) -> str:
    from moto.backup.exceptions import ResourceNotFoundException

    policy = _state(self.backup_backend)["policies"].get(_vault_name(self))
    if policy is None:
        raise ResourceNotFoundException(msg="Backup vault has no access policy")
    return json.dumps({"BackupVaultName": _vault_name(self), "Policy": policy})


def _put_backup_vault_access_policy(self: Any) -> str:
    _state(self.backup_backend)["policies"][_vault_name(self)] = json.loads(self.body)["Policy"]
    return "{}"


def _list_recovery_points_by_backup_vault(self: Any) -> str:
    return json.dumps({"RecoveryPoints": _state(self.backup_backend)["points"].get(_vault_name(self), [])})


def _start_backup_job(self: Any) -> str:
    """Completes at once: a recovery point in the vault, and the resource listed as protected."""
    body = json.loads(self.body)
    backend, now = self.backup_backend, datetime.now(UTC)
    vault = backend.vaults[body["BackupVaultName"]]
    arn = body["ResourceArn"]
    kind = {"dynamodb": "DynamoDB", "elasticfilesystem": "EFS", "ec2": "EBS", "rds": "RDS",
            "fsx": "FSx"}[arn.split(":")[2]]
    kind = {":instance/": "EC2", ":cluster:": "Aurora"}.get(next((k for k in (":instance/", ":cluster:") if k in arn),
                                                            ""), kind)
    point = f"arn:aws:backup:{backend.region_name}:{backend.account_id}:recovery-point:{uuid.uuid4()}"
    _state(backend)["points"].setdefault(vault.backup_vault_name, []).append({
        "RecoveryPointArn": point, "BackupVaultName": vault.backup_vault_name, "ResourceArn": arn,
        "ResourceType": kind, "Status": "COMPLETED", "IsEncrypted": True, "CreationDate": _iso(now),
        "EncryptionKeyArn": vault.encryption_key_arn, "Lifecycle": body.get("Lifecycle") or {},
    })
    _state(backend)["protected"][arn] = {"ResourceArn": arn, "ResourceType": kind, "LastBackupTime": _iso(now),
                                         "LastBackupVaultArn": vault.backup_vault_arn, "LastRecoveryPointArn": point}
    return json.dumps({"BackupJobId": str(uuid.uuid4()), "RecoveryPointArn": point, "CreationDate": _iso(now)})


def _list_protected_resources(self: Any) -> str:
    return json.dumps({"Results": list(_state(self.backup_backend)["protected"].values())})


def _describe_region_settings(self: Any) -> str:
    types = ["Aurora", "DynamoDB", "EBS", "EC2", "EFS", "FSx", "RDS", "S3", "Storage Gateway"]
    return json.dumps({"ResourceTypeOptInPreference": dict.fromkeys(types, True),
                       "ResourceTypeManagementPreference": {"DynamoDB": True, "EFS": True}})


def _create_restore_testing_plan(self: Any) -> str:
    plan = json.loads(self.body)["RestoreTestingPlan"]
    backend = self.backup_backend
    name = plan["RestoreTestingPlanName"]
    arn = f"arn:aws:backup:{backend.region_name}:{backend.account_id}:restore-testing-plan:{name}"
    now = _iso(datetime.now(UTC))
    _state(backend)["testing"].append({"RestoreTestingPlanName": plan["RestoreTestingPlanName"],
                                       "RestoreTestingPlanArn": arn, "ScheduleExpression": plan["ScheduleExpression"],
                                       "CreationTime": now})
    return json.dumps({"RestoreTestingPlanName": plan["RestoreTestingPlanName"], "RestoreTestingPlanArn": arn,
                       "CreationTime": now})


def _list_restore_testing_plans(self: Any) -> str:
    return json.dumps({"RestoreTestingPlans": _state(self.backup_backend)["testing"]})


def _start_restore_job(self: Any) -> str:
    """Completes at once, as a restore that worked."""
    body = json.loads(self.body)
    job_id, now = str(uuid.uuid4()), _iso(datetime.now(UTC))
    kind = body.get("ResourceType") or "DynamoDB"
    _state(self.backup_backend)["restores"].append({
        "RestoreJobId": job_id, "RecoveryPointArn": body["RecoveryPointArn"], "Status": "COMPLETED",
        "ResourceType": kind, "CreationDate": now, "CompletionDate": now, "IamRoleArn": body.get("IamRoleArn", ""),
    })
    return json.dumps({"RestoreJobId": job_id})


def _list_restore_jobs(self: Any) -> str:
    q = self.querystring
    jobs = _state(self.backup_backend)["restores"]
    if "status" in q:
        jobs = [j for j in jobs if j["Status"] == q["status"][0]]
    if "completeAfter" in q:
        raw = q["completeAfter"][0]
        after = float(raw) if raw.replace(".", "").isdigit() else datetime.fromisoformat(raw).timestamp()
        jobs = [j for j in jobs if j.get("CompletionDate", 0) > after]
    return json.dumps({"RestoreJobs": jobs})


_HANDLERS = {
    "list_backup_selections": _list_backup_selections,
    "create_backup_selection": _create_backup_selection,
    "get_backup_selection": _get_backup_selection,
    "get_backup_vault_access_policy": _get_backup_vault_access_policy,
    "put_backup_vault_access_policy": _put_backup_vault_access_policy,
    "list_recovery_points_by_backup_vault": _list_recovery_points_by_backup_vault,
    "start_backup_job": _start_backup_job,
    "list_protected_resources": _list_protected_resources,
    "describe_region_settings": _describe_region_settings,
    "create_restore_testing_plan": _create_restore_testing_plan,
    "list_restore_testing_plans": _list_restore_testing_plans,
    "start_restore_job": _start_restore_job,
    "list_restore_jobs": _list_restore_jobs,
}


def ensure_moto_backup() -> None:
    """Teach moto's in-process server the AWS Backup calls it lacks (see the module docstring).

    Routes are read when the server first builds its backup app, so call this before the first
    AWS Backup request in the process.
    """
    from moto.backup import urls
    from moto.backup.responses import BackupResponse

    for path in _PATHS:
        urls.url_paths.setdefault(path, urls.response.dispatch)
    for name, handler in _HANDLERS.items():
        if not hasattr(BackupResponse, name):
            setattr(BackupResponse, name, handler)


def backdate(account: str, region: str, resource_arn: str, days: int) -> None:
    """Make the latest backup of a resource `days` old: moto has no clock to wind."""
    from moto.backup.models import backup_backends

    state = _state(backup_backends[account][region])
    when = _iso(datetime.now(UTC) - timedelta(days=days))
    state["protected"][resource_arn]["LastBackupTime"] = when
    for points in state["points"].values():
        for p in points:
            if p["ResourceArn"] == resource_arn:
                p["CreationDate"] = when


def _aws_managed_key(kms: Any, region: str) -> str:
    """The aws/backup key AWS creates on first use; moto only makes customer keys, so mark it."""
    from moto.kms.models import kms_backends

    key = kms.create_key(Description="Default key that protects my backups when no other key is defined")
    meta = key["KeyMetadata"]
    backend = kms_backends[ACCOUNT][region]
    backend.keys[meta["KeyId"]].key_manager = "AWS"
    backend.create_alias(meta["KeyId"], "alias/aws/backup")
    return str(meta["Arn"])


DENY_DELETION = {"Version": "2012-10-17", "Statement": [{
    "Sid": "NoEarlyDeletion", "Effect": "Deny", "Principal": {"AWS": "*"},
    "Action": ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle",
               "backup:PutBackupVaultAccessPolicy"],
    "Resource": "*",
    "Condition": {"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/break-glass"}},
}]}
OPEN_TO_ALL = {"Version": "2012-10-17", "Statement": [{
    "Sid": "LegacyPartnerCopy", "Effect": "Allow", "Principal": "*", "Action": "backup:CopyIntoBackupVault",
    "Resource": "*",
}]}


def _vaults(client: ClientFactory) -> dict[str, str]:
    backup, kms = client("backup", PRIMARY), client("kms", PRIMARY)
    cmk = kms.create_key(Description="Northwind backup vault key")["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/northwind-backup", TargetKeyId=cmk)
    kms.enable_key_rotation(KeyId=cmk)
    good = _protected_vault(backup, "pass-northwind-vault", cmk)
    backup.create_backup_vault(BackupVaultName="fail-legacy-vault", EncryptionKeyArn=_aws_managed_key(kms, PRIMARY))
    backup.put_backup_vault_access_policy(BackupVaultName="fail-legacy-vault", Policy=json.dumps(OPEN_TO_ALL))
    _protected_vault(backup, "skip-empty-archive-vault", cmk)
    dr_kms = client("kms", SECONDARY)
    dr_key = dr_kms.create_key(Description="Northwind disaster recovery vault key")["KeyMetadata"]["Arn"]
    dr_kms.create_alias(AliasName="alias/northwind-backup-dr", TargetKeyId=dr_key)
    dr_kms.enable_key_rotation(KeyId=dr_key)
    dr = _protected_vault(client("backup", SECONDARY), "pass-dr-vault", dr_key)
    return {"good": good, "dr": dr}


def _protected_vault(backup: Any, name: str, key: str) -> str:
    arn = str(backup.create_backup_vault(BackupVaultName=name, EncryptionKeyArn=key)["BackupVaultArn"])
    backup.put_backup_vault_lock_configuration(BackupVaultName=name, MinRetentionDays=35, MaxRetentionDays=3650)
    backup.put_backup_vault_access_policy(BackupVaultName=name, Policy=json.dumps(DENY_DELETION))
    return arn


def _plans(client: ClientFactory, dr_vault: str) -> None:
    backup = client("backup", PRIMARY)
    daily = backup.create_backup_plan(BackupPlan={"BackupPlanName": "pass-daily-35d", "Rules": [{
        "RuleName": "daily", "TargetBackupVaultName": "pass-northwind-vault",
        "ScheduleExpression": "cron(0 5 ? * * *)", "Lifecycle": {"DeleteAfterDays": 35},
        "CopyActions": [{"DestinationBackupVaultArn": dr_vault, "Lifecycle": {"DeleteAfterDays": 35}}],
    }]})["BackupPlanId"]
    backup.create_backup_selection(BackupPlanId=daily, BackupSelection={
        "SelectionName": "tagged-daily", "IamRoleArn": ROLE, "Resources": [],
        "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "daily"}]})
    backup.create_backup_selection(BackupPlanId=daily, BackupSelection={
        "SelectionName": "shared-files", "IamRoleArn": ROLE,
        "Resources": [f"arn:aws:elasticfilesystem:{PRIMARY}:{ACCOUNT}:file-system/*"],
        "Conditions": {"StringEquals": [{"ConditionKey": "aws:ResourceTag/team", "ConditionValue": "analytics"}]}})
    # weekly, kept a week, plus a monthly archive that nobody ever set to expire
    weekly = backup.create_backup_plan(BackupPlan={"BackupPlanName": "fail-weekly-7d", "Rules": [{
        "RuleName": "weekly", "TargetBackupVaultName": "fail-legacy-vault",
        "ScheduleExpression": "cron(0 3 ? * SUN *)", "Lifecycle": {"DeleteAfterDays": 7}}, {
        "RuleName": "monthly-archive", "TargetBackupVaultName": "fail-legacy-vault",
        "ScheduleExpression": "cron(0 4 1 * ? *)"}]})["BackupPlanId"]
    backup.create_backup_selection(BackupPlanId=weekly, BackupSelection={
        "SelectionName": "legacy-volumes", "IamRoleArn": ROLE,
        "Resources": [f"arn:aws:ec2:{PRIMARY}:{ACCOUNT}:volume/*"]})


def seed(client: ClientFactory, regions: list[str]) -> None:
    ensure_moto_backup()
    if PRIMARY not in regions or SECONDARY not in regions:
        return
    vaults = _vaults(client)
    _plans(client, vaults["dr"])
    # Backups, restores and restore testing. The tables come from the dynamodb module, seeded later: AWS
    # Backup records ARNs, so their jobs can be recorded first (file systems get IDs, so efs backs them up).
    backup = client("backup", PRIMARY)
    for arn in (f"arn:aws:dynamodb:{PRIMARY}:{ACCOUNT}:table/pass-orders",
                f"arn:aws:dynamodb:{PRIMARY}:{ACCOUNT}:table/fail-stale-events"):
        backup.start_backup_job(BackupVaultName="pass-northwind-vault", ResourceArn=arn, IamRoleArn=ROLE,
                                Lifecycle={"DeleteAfterDays": 35})
    backdate(ACCOUNT, PRIMARY, f"arn:aws:dynamodb:{PRIMARY}:{ACCOUNT}:table/fail-stale-events", days=10)
    legacy = backup.start_backup_job(BackupVaultName="fail-legacy-vault", IamRoleArn=ROLE,
                                     ResourceArn=f"arn:aws:ec2:{PRIMARY}:{ACCOUNT}:volume/vol-0legacy0000000001",
                                     Lifecycle={"DeleteAfterDays": 7})
    _mark_unencrypted(legacy["RecoveryPointArn"])
    backup.create_restore_testing_plan(RestoreTestingPlan={
        "RestoreTestingPlanName": "pass_weekly_restore_test", "ScheduleExpression": "cron(0 6 ? * SUN *)",
        "RecoveryPointSelection": {"Algorithm": "LATEST_WITHIN_WINDOW", "IncludeVaults": ["*"],
                                   "RecoveryPointTypes": ["SNAPSHOT"]}})
    point = backup.list_recovery_points_by_backup_vault(BackupVaultName="pass-northwind-vault")["RecoveryPoints"][0]
    backup.start_restore_job(RecoveryPointArn=point["RecoveryPointArn"], IamRoleArn=ROLE, ResourceType="DynamoDB",
                             Metadata={"targetTableName": "restore-test-orders"})
    # The orders database and the ledger cluster are backed up too; the reporting database and the analytics
    # cluster are not (instances and volumes, whose ids moto draws, are backed up by their own modules).
    for arn in (f"arn:aws:rds:{PRIMARY}:{ACCOUNT}:db:pass-orders-db",
                f"arn:aws:rds:{PRIMARY}:{ACCOUNT}:cluster:pass-ledger"):
        backup.start_backup_job(BackupVaultName="pass-northwind-vault", ResourceArn=arn, IamRoleArn=ROLE,
                                Lifecycle={"DeleteAfterDays": 35})
    # eu-west-1: one on-demand backup a month ago, nothing scheduled, nothing tested.
    eu = f"arn:aws:dynamodb:{SECONDARY}:{ACCOUNT}:table/fail-eu-customers"
    client("backup", SECONDARY).start_backup_job(BackupVaultName="pass-dr-vault", ResourceArn=eu, IamRoleArn=ROLE)
    backdate(ACCOUNT, SECONDARY, eu, days=30)


def back_up(client: ClientFactory, region: str, resource_arn: str) -> None:
    """Record a completed AWS Backup job for a resource another module created, in the whole demo only.

    Instances and volumes get their ids from moto as they are created, so their modules record their
    backups; a module seeded on its own (in a test) has no vault to back up to and records nothing.
    """
    if region != PRIMARY:
        return
    ensure_moto_backup()
    backup = client("backup", region)
    if "pass-northwind-vault" in {v["BackupVaultName"] for v in backup.list_backup_vaults()["BackupVaultList"]}:
        backup.start_backup_job(BackupVaultName="pass-northwind-vault", ResourceArn=resource_arn, IamRoleArn=ROLE,
                                Lifecycle={"DeleteAfterDays": 35})


def _mark_unencrypted(point_arn: str) -> None:
    """A snapshot of an unencrypted EBS volume stays unencrypted in AWS Backup."""
    from moto.backup.models import backup_backends

    for p in _state(backup_backends[ACCOUNT][PRIMARY])["points"].get("fail-legacy-vault", []):
        if p["RecoveryPointArn"] == point_arn:
            p["IsEncrypted"] = False
