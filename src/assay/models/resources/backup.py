"""AWS Backup resources: vaults, plans with their selections, and one record per region.

`backup_coverage()` answers "which plans select this resource, and does it have a recovery point?"
for any collected resource (DynamoDB tables and EFS file systems here; RDS and EBS resources use it
the same way), from the plans' selections and the region's ListProtectedResources answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource

if TYPE_CHECKING:
    from assay.models.inventory import Inventory


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RecoveryPoint(_Part):
    """The few facts about one recovery point that controls judge (ListRecoveryPointsByBackupVault)."""

    arn: str
    resource_arn: str = ""
    resource_type: str = ""
    status: str = ""  # COMPLETED, PARTIAL, DELETING, EXPIRED, ...
    encrypted: bool | None = None  # None: AWS did not say
    delete_after_days: int | None = None  # None: kept until deleted by hand
    created: datetime | None = None


class BackupVault(Resource):
    type: ClassVar[str] = "AWS::Backup::BackupVault"
    vault_type: str = "BACKUP_VAULT"  # or LOGICALLY_AIR_GAPPED_BACKUP_VAULT, RESTORE_ACCESS_BACKUP_VAULT
    encryption_key_arn: str | None = None  # None: the vault reports no key
    locked: bool = False  # Vault Lock applies
    lock_date: datetime | None = None  # set: compliance mode, immutable after this date
    min_retention_days: int | None = None
    max_retention_days: int | None = None
    recovery_point_count: int = 0
    access_policy: dict[str, Any] | None = None  # {}: no policy; None: not read
    recovery_points: tuple[RecoveryPoint, ...] | None = None  # None: not read


class CopyAction(_Part):
    destination_vault_arn: str
    delete_after_days: int | None = None


class BackupRule(_Part):
    name: str
    target_vault: str
    schedule: str | None = None  # cron(...) expression; None: on-demand only
    continuous: bool = False  # continuous backup (point-in-time restore) for supported types
    delete_after_days: int | None = None  # None: recovery points never expire
    copy_actions: tuple[CopyAction, ...] = ()


class TagCondition(_Part):
    operator: str  # StringEquals, StringNotEquals, StringLike, StringNotLike
    key: str  # the tag key (without "aws:ResourceTag/")
    value: str


class BackupSelection(_Part):
    """What one selection assigns: (Resources OR ListOfTags) AND every Condition, minus NotResources."""

    id: str
    name: str = ""
    resources: tuple[str, ...] = ()  # ARNs or ARN patterns with "*"
    not_resources: tuple[str, ...] = ()
    list_of_tags: tuple[TagCondition, ...] = ()  # any one matching tag assigns the resource
    conditions: tuple[TagCondition, ...] = ()  # all must match

    def selects(self, arn: str, tags: dict[str, str]) -> bool:
        if any(fnmatchcase(arn, p) for p in self.not_resources):
            return False
        if not all(_tag_matches(c, tags) for c in self.conditions):
            return False
        if not self.resources and not self.list_of_tags:
            return bool(self.conditions)  # a selection by conditions alone assigns what they match
        return any(fnmatchcase(arn, p) for p in self.resources) or any(_tag_matches(c, tags) for c in self.list_of_tags)


def _tag_matches(cond: TagCondition, tags: dict[str, str]) -> bool:
    value = tags.get(cond.key)
    op = cond.operator.lower()
    if op in ("stringequals", "equals"):
        return value == cond.value
    if op == "stringnotequals":
        return value != cond.value
    if op == "stringlike":
        return value is not None and fnmatchcase(value, cond.value)
    if op == "stringnotlike":
        return value is None or not fnmatchcase(value, cond.value)
    return False  # an operator we do not know assigns nothing we can vouch for


class BackupPlan(Resource):
    type: ClassVar[str] = "AWS::Backup::BackupPlan"
    version_id: str = ""
    rules: tuple[BackupRule, ...] | None = None  # None: GetBackupPlan failed
    selections: tuple[BackupSelection, ...] | None = None  # None: a selection could not be read


class ProtectedResource(_Part):
    resource_type: str
    last_backup: datetime | None = None


class RestoreJob(_Part):
    id: str
    resource_type: str = ""
    completed: datetime | None = None
    restore_testing_plan: str = ""  # set when the job ran from a restore testing plan


class BackupRegion(Resource):
    """AWS Backup's state in one scanned region: what it protects, what is opted in, restore testing.

    One record per (account, region), emitted whether or not Backup is used there, so that
    region-level controls (a plan exists, restores are tested) are judged region by region.
    """

    type: ClassVar[str] = "AWS::Backup::Region"
    # ListProtectedResources: resource ARN -> type and last backup. None: not read.
    protected: dict[str, ProtectedResource] | None = None
    # DescribeRegionSettings: resource type (e.g. "DynamoDB") -> opted in. None: not read.
    opt_in: dict[str, bool] | None = None
    restore_testing_plans: tuple[str, ...] | None = None  # names; None: not read
    # ListRestoreJobs(ByStatus=COMPLETED, ByCompleteAfter=restore_jobs_since). None: not read.
    restore_jobs: tuple[RestoreJob, ...] | None = None
    restore_jobs_since: datetime | None = None


# CloudFormation resource type -> AWS Backup's ResourceType (as in ListProtectedResources and opt-in).
BACKUP_RESOURCE_TYPES = {
    "AWS::DynamoDB::Table": "DynamoDB",
    "AWS::EFS::FileSystem": "EFS",
    "AWS::RDS::DBInstance": "RDS",
    "AWS::RDS::DBCluster": "Aurora",
    "AWS::EC2::Volume": "EBS",
    "AWS::EC2::Instance": "EC2",
    "AWS::FSx::FileSystem": "FSx",
    "AWS::S3::Bucket": "S3",
}


@dataclass
class Coverage:
    """How AWS Backup covers one resource. `unknown` lists what could not be read."""

    arn: str
    region: BackupRegion | None
    selected_by: list[str] = field(default_factory=list)  # plan names whose selections assign it
    opted_in: bool | None = None  # the resource type is enabled for AWS Backup in the region
    unknown: list[str] = field(default_factory=list)

    @property
    def protected(self) -> ProtectedResource | None:
        return None if self.region is None or self.region.protected is None else self.region.protected.get(self.arn)


def backup_coverage(inv: Inventory, r: Resource) -> Coverage:
    """The resource's coverage, read-only: the last one made is kept, since the backup controls of a
    resource type are judged one after the other on each resource."""
    last: dict[str, tuple[Resource, Coverage]] = inv.memo(("backup.last_coverage",), dict)
    kept = last.get("last")
    if kept is None or kept[0] is not r:
        kept = last["last"] = (r, _coverage(inv, r))
    return kept[1]


def _coverage(inv: Inventory, r: Resource) -> Coverage:
    region = next(iter(inv.in_account(BackupRegion, r.account_id, r.region)), None)
    cov = Coverage(arn=r.arn, region=region)
    if region is None:
        cov.unknown.append(f"AWS Backup was not read in {r.region}")
    elif region.opt_in is not None and r.type in BACKUP_RESOURCE_TYPES:
        cov.opted_in = region.opt_in.get(BACKUP_RESOURCE_TYPES[r.type], True)
    for plan in inv.in_account(BackupPlan, r.account_id, r.region):
        if plan.selections is None:
            cov.unknown.append(f"the selections of plan {plan.display_name} were not read")
        elif any(s.selects(r.arn, r.tags) for s in plan.selections):
            cov.selected_by.append(plan.display_name)
    return cov
