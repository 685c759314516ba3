"""S3 resources: buckets (in their own region) and the account-wide public access block."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource

UNKNOWN_REGION = "unknown"  # a bucket whose GetBucketLocation failed: none of its settings were read


class PublicAccessBlock(BaseModel):
    """The four S3 Block Public Access switches, at bucket or account level.

    Only IgnorePublicAcls and RestrictPublicBuckets neutralise access that is already granted;
    BlockPublicAcls and BlockPublicPolicy only refuse new public ACLs and policies.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    block_public_acls: bool = False
    ignore_public_acls: bool = False
    block_public_policy: bool = False
    restrict_public_buckets: bool = False

    @property
    def all_enabled(self) -> bool:
        return self.block_public_acls and self.ignore_public_acls and self.block_public_policy \
            and self.restrict_public_buckets


class LifecycleRule(BaseModel):
    """One lifecycle rule, reduced to what retention controls read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    enabled: bool
    expires_noncurrent: bool = False  # NoncurrentVersionExpiration: old versions are eventually deleted


class S3Bucket(Resource):
    """A general purpose bucket. Every field below is None when its read failed (unknown).

    Where AWS answers "not configured", the field holds the empty value: a PublicAccessBlock with
    every switch off, {} for no policy, "" for no default encryption, versioning or access logging,
    False for no object lock, () for no replication, lifecycle rules or event notifications.
    """

    type: ClassVar[str] = "AWS::S3::Bucket"
    creation_date: str | None = None
    public_access_block: PublicAccessBlock | None = None
    # GetBucketPolicyStatus.IsPublic, AWS's own evaluation of the policy; False when there is no policy.
    policy_is_public: bool | None = None
    # ACL grants to the AllUsers / AuthenticatedUsers groups, as "AllUsers:READ".
    acl_public_grants: tuple[str, ...] | None = None
    policy: dict[str, Any] | None = None
    encryption_algorithm: str | None = None  # "AES256", "aws:kms", "aws:kms:dsse"; "" when none
    encryption_kms_key_id: str | None = None  # "" when not KMS or the AWS managed key
    versioning: str | None = None  # "Enabled", "Suspended"; "" when never enabled
    mfa_delete: bool | None = None
    logging_target_bucket: str | None = None  # server access logging target; "" when disabled
    object_lock_enabled: bool | None = None
    object_lock_default_retention: str | None = None  # e.g. "COMPLIANCE 30 days"; "" when no default rule
    # Destination bucket ARNs of the enabled replication rules; () when none.
    replication_destinations: tuple[str, ...] | None = None
    lifecycle_rules: tuple[LifecycleRule, ...] | None = None
    # Event notification destinations, as "sns:<arn>", "sqs:<arn>", "lambda:<arn>" or "eventbridge".
    notification_targets: tuple[str, ...] | None = None
    # Whether GetBucketTagging answered (tags, or none): `tags` is {} both for no tags and for not read.
    tags_read: bool = False


class S3AccountPublicAccessBlock(Resource):
    """The account-level Block Public Access settings, which apply to every bucket of the account."""

    type: ClassVar[str] = "AWS::S3::AccountPublicAccessBlock"
    config: PublicAccessBlock | None = None  # None: not read; all switches off when never configured
