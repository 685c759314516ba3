"""IAM resources: users, the root user, the password policy, groups, roles and customer-managed policies.

All IAM resources live in region "global". Credential-report fields are None when the report was not
read or has no row for the resource (e.g. a user created after the report was generated); dates are
also None when the report says "N/A" or "no_information" (never used), so controls test the
report's booleans first to tell "unknown" from "never".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class AccessKeySlot(BaseModel):
    """One of the two access-key slots of the credential report, when a key exists in it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    slot: int  # 1 or 2: keys have no id in the credential report
    active: bool
    last_rotated: datetime | None = None  # creation or last rotation
    last_used: datetime | None = None  # None: never used (or not reported)


PolicyDocuments = dict[str, dict[str, Any] | None]  # inline policy name -> document (None: unreadable)


class IamUser(Resource):
    type: ClassVar[str] = "AWS::IAM::User"
    path: str = "/"
    created: datetime | None = None
    # credential report (iam:GetCredentialReport)
    password_enabled: bool | None = None
    password_last_used: datetime | None = None
    password_last_changed: datetime | None = None
    mfa_active: bool | None = None
    access_keys: tuple[AccessKeySlot, ...] | None = None  # only slots that hold a key
    # authorization details (iam:GetAccountAuthorizationDetails)
    groups: tuple[str, ...] | None = None
    attached_policies: tuple[str, ...] | None = None  # managed policy ARNs
    inline_policies: PolicyDocuments | None = None
    permissions_boundary: str | None = None


class IamRoot(Resource):
    """The account's root user: one per account, arn arn:<partition>:iam::<account>:root."""

    type: ClassVar[str] = "AWS::IAM::RootUser"
    mfa_enabled: bool | None = None  # GetAccountSummary AccountMFAEnabled
    access_keys_present: bool | None = None  # GetAccountSummary AccountAccessKeysPresent
    virtual_mfa: bool | None = None  # a virtual MFA device is assigned to root (ListVirtualMFADevices)
    # the credential report's <root_account> row, when present
    in_report: bool = False  # the row was read: None dates below then mean "never used"
    password_last_used: datetime | None = None
    access_keys: tuple[AccessKeySlot, ...] | None = None


class IamPasswordPolicy(Resource):
    """The account password policy; exists=False when the account has none (AWS defaults apply)."""

    type: ClassVar[str] = "AWS::IAM::AccountPasswordPolicy"
    exists: bool | None = None  # None: not read
    minimum_length: int | None = None
    require_uppercase: bool = False
    require_lowercase: bool = False
    require_numbers: bool = False
    require_symbols: bool = False
    max_age_days: int | None = None  # None: passwords never expire
    reuse_prevention: int | None = None  # None: reuse allowed
    allow_users_to_change: bool = False
    hard_expiry: bool = False


class IamGroup(Resource):
    type: ClassVar[str] = "AWS::IAM::Group"
    path: str = "/"
    attached_policies: tuple[str, ...] = ()
    inline_policies: PolicyDocuments = {}
    members: tuple[str, ...] | None = None  # user names; None: the listing of users was incomplete


class IamRole(Resource):
    type: ClassVar[str] = "AWS::IAM::Role"
    path: str = "/"
    attached_policies: tuple[str, ...] = ()
    inline_policies: PolicyDocuments = {}
    trust_policy: dict[str, Any] | None = None

    @property
    def service_linked(self) -> bool:
        """Service-linked roles are owned by an AWS service; their policies cannot be edited."""
        return self.path.startswith("/aws-service-role/")


class IamPolicy(Resource):
    """A customer-managed policy and its default version's document."""

    type: ClassVar[str] = "AWS::IAM::ManagedPolicy"
    path: str = "/"
    default_version_id: str = ""
    document: dict[str, Any] | None = None  # None: the default version's document was not readable
    attachment_count: int | None = None  # users, groups and roles it is attached to
    boundary_count: int | None = None  # users and roles it is the permissions boundary of
