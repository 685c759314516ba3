"""S3: every bucket, read in its own region, and the account-level Block Public Access settings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import GLOBAL, tags_from
from assay.models.resources.s3 import (
    UNKNOWN_REGION,
    LifecycleRule,
    PublicAccessBlock,
    S3AccountPublicAccessBlock,
    S3Bucket,
)

_PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}


def bucket_region(location: str | None) -> str:
    """GetBucketLocation answers None/"" for us-east-1 and the legacy "EU" for eu-west-1."""
    if not location:
        return "us-east-1"
    return "eu-west-1" if location == "EU" else location


def public_access_block(answer: dict[str, Any]) -> PublicAccessBlock:
    conf = answer.get("PublicAccessBlockConfiguration") or {}  # {}: never configured, all off
    return PublicAccessBlock(
        block_public_acls=bool(conf.get("BlockPublicAcls", False)),
        ignore_public_acls=bool(conf.get("IgnorePublicAcls", False)),
        block_public_policy=bool(conf.get("BlockPublicPolicy", False)),
        restrict_public_buckets=bool(conf.get("RestrictPublicBuckets", False)),
    )


def public_grants(acl: dict[str, Any]) -> tuple[str, ...]:
    found = []
    for g in acl.get("Grants") or []:
        group = _PUBLIC_GROUPS.get((g.get("Grantee") or {}).get("URI", ""))
        if group:
            found.append(f"{group}:{g.get('Permission', '')}")
    return tuple(sorted(set(found)))


def _policy(ctx: Ctx, answer: dict[str, Any] | None, arn: str) -> dict[str, Any] | None:
    if answer is None:
        return None
    text = answer.get("Policy")
    if not text:
        return {}  # NoSuchBucketPolicy: no policy
    try:
        doc = json.loads(text)
    except ValueError as exc:  # recorded as a parse error: the policy stays unknown
        ctx.record("s3:GetBucketPolicy", exc, arn)
        return None
    return doc if isinstance(doc, dict) else None


def _encryption(answer: dict[str, Any] | None) -> tuple[str | None, str | None]:
    if answer is None:
        return None, None
    rules = (answer.get("ServerSideEncryptionConfiguration") or {}).get("Rules") or []
    default = (rules[0].get("ApplyServerSideEncryptionByDefault") or {}) if rules else {}
    return str(default.get("SSEAlgorithm", "")), str(default.get("KMSMasterKeyID", ""))


def object_lock(answer: dict[str, Any] | None) -> tuple[bool | None, str | None]:
    """(enabled, default retention such as "GOVERNANCE 30 days"); (None, None) when not read."""
    if answer is None:
        return None, None
    conf = answer.get("ObjectLockConfiguration") or {}
    retention = (conf.get("Rule") or {}).get("DefaultRetention") or {}
    period = f"{retention['Days']} days" if retention.get("Days") else f"{retention.get('Years', 0)} years"
    return conf.get("ObjectLockEnabled") == "Enabled", f"{retention['Mode']} {period}" if retention.get("Mode") else ""


def replication_destinations(answer: dict[str, Any]) -> tuple[str, ...]:
    rules = (answer.get("ReplicationConfiguration") or {}).get("Rules") or []
    return tuple(sorted({str((r.get("Destination") or {}).get("Bucket", "")) for r in rules
                         if r.get("Status") == "Enabled"}))


def lifecycle_rules(answer: dict[str, Any]) -> tuple[LifecycleRule, ...]:
    return tuple(LifecycleRule(id=str(r.get("ID") or f"rule {n + 1}"), enabled=r.get("Status") == "Enabled",
                               expires_noncurrent="NoncurrentVersionExpiration" in r)
                 for n, r in enumerate(answer.get("Rules") or []))


def notification_targets(answer: dict[str, Any]) -> tuple[str, ...]:
    found = [f"{kind}:{c.get(key, '')}" for kind, section, key in (
        ("sns", "TopicConfigurations", "TopicArn"), ("sqs", "QueueConfigurations", "QueueArn"),
        ("lambda", "LambdaFunctionConfigurations", "LambdaFunctionArn")) for c in answer.get(section) or []]
    if "EventBridgeConfiguration" in answer:  # an empty element: its presence is the setting
        found.append("eventbridge")
    return tuple(sorted(set(found)))


def _read_bucket(ctx: Ctx, s3: Any, name: str, arn: str) -> dict[str, Any]:
    """The bucket's settings as model fields; a failed read leaves its field None."""
    pab = ctx.call(s3, "get_public_access_block", resource_arn=arn, Bucket=name)
    status = ctx.call(s3, "get_bucket_policy_status", resource_arn=arn, Bucket=name)
    acl = ctx.call(s3, "get_bucket_acl", resource_arn=arn, Bucket=name)
    policy = ctx.call(s3, "get_bucket_policy", resource_arn=arn, Bucket=name)
    algorithm, kms_key = _encryption(ctx.call(s3, "get_bucket_encryption", resource_arn=arn, Bucket=name))
    versioning = ctx.call(s3, "get_bucket_versioning", resource_arn=arn, Bucket=name)
    logging = ctx.call(s3, "get_bucket_logging", resource_arn=arn, Bucket=name)
    lock_enabled, lock_retention = object_lock(
        ctx.call(s3, "get_object_lock_configuration", resource_arn=arn, Bucket=name))
    replication = ctx.call(s3, "get_bucket_replication", resource_arn=arn, Bucket=name)
    lifecycle = ctx.call(s3, "get_bucket_lifecycle_configuration", resource_arn=arn, Bucket=name)
    notifications = ctx.call(s3, "get_bucket_notification_configuration", resource_arn=arn, Bucket=name)
    tagging = ctx.call(s3, "get_bucket_tagging", resource_arn=arn, Bucket=name)
    return dict(
        public_access_block=None if pab is None else public_access_block(pab),
        # AWS always states IsPublic; an answer without it (moto) counts as "not public by AWS's reading".
        policy_is_public=None if status is None else bool((status.get("PolicyStatus") or {}).get("IsPublic", False)),
        acl_public_grants=None if acl is None else public_grants(acl),
        policy=_policy(ctx, policy, arn),
        encryption_algorithm=algorithm,
        encryption_kms_key_id=kms_key,
        versioning=None if versioning is None else str(versioning.get("Status", "")),
        mfa_delete=None if versioning is None else versioning.get("MFADelete") == "Enabled",
        logging_target_bucket=(
            None if logging is None else str((logging.get("LoggingEnabled") or {}).get("TargetBucket", ""))),
        object_lock_enabled=lock_enabled,
        object_lock_default_retention=lock_retention,
        replication_destinations=None if replication is None else replication_destinations(replication),
        lifecycle_rules=None if lifecycle is None else lifecycle_rules(lifecycle),
        notification_targets=None if notifications is None else notification_targets(notifications),
        tags={} if tagging is None else tags_from(tagging.get("TagSet")),
        tags_read=tagging is not None,
    )


@collector(
    service="s3",
    scope="global",
    produces=[S3Bucket],
    permissions=["s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketPublicAccessBlock",
                 "s3:GetBucketPolicyStatus", "s3:GetBucketAcl", "s3:GetBucketPolicy",
                 "s3:GetEncryptionConfiguration", "s3:GetBucketVersioning", "s3:GetBucketLogging",
                 "s3:GetBucketObjectLockConfiguration", "s3:GetReplicationConfiguration",
                 "s3:GetLifecycleConfiguration", "s3:GetBucketNotification", "s3:GetBucketTagging"],
    action_names={("s3", "GetBucketNotificationConfiguration"): "s3:GetBucketNotification"},
    absent={
        "s3:GetBucketPublicAccessBlock": ["NoSuchPublicAccessBlockConfiguration"],
        "s3:GetBucketPolicyStatus": ["NoSuchBucketPolicy"],
        "s3:GetBucketPolicy": ["NoSuchBucketPolicy"],
        "s3:GetEncryptionConfiguration": ["ServerSideEncryptionConfigurationNotFoundError"],
        "s3:GetBucketObjectLockConfiguration": ["ObjectLockConfigurationNotFoundError"],
        "s3:GetReplicationConfiguration": ["ReplicationConfigurationNotFoundError"],
        "s3:GetLifecycleConfiguration": ["NoSuchLifecycleConfiguration"],
        "s3:GetBucketTagging": ["NoSuchTagSet"],
    },
)
def collect_buckets(ctx: Ctx) -> Iterator[S3Bucket]:
    s3 = ctx.client("s3")
    for b in ctx.paginate(s3, "list_buckets", "Buckets"):
        name = b["Name"]
        arn = f"arn:{ctx.partition}:s3:::{name}"
        # Paginated ListBuckets states each bucket's region; GetBucketLocation only when it does not.
        region: str | None = b.get("BucketRegion")
        if not region:
            location = ctx.call(s3, "get_bucket_location", resource_arn=arn, Bucket=name)
            region = None if location is None else bucket_region(location.get("LocationConstraint"))
        settings = _read_bucket(ctx, ctx.client("s3", region), name, arn) if region else {}
        created = b.get("CreationDate")
        yield S3Bucket(
            arn=arn, id=name, name=name, account_id=ctx.account_id, region=region or UNKNOWN_REGION,
            creation_date=created.isoformat() if created is not None else None, **settings,
        )


@collector(
    service="s3",
    scope="global",
    produces=[S3AccountPublicAccessBlock],
    permissions=["s3:GetAccountPublicAccessBlock"],
    absent={"s3:GetAccountPublicAccessBlock": ["NoSuchPublicAccessBlockConfiguration"]},
)
def collect_account_public_access_block(ctx: Ctx) -> Iterator[S3AccountPublicAccessBlock]:
    arn = ctx.arn("s3", "account-public-access-block", region=GLOBAL)
    answer = ctx.call(ctx.client("s3control"), "get_public_access_block", resource_arn=arn,
                      AccountId=ctx.account_id)
    yield S3AccountPublicAccessBlock(
        arn=arn, id=ctx.account_id, name="account-public-access-block", account_id=ctx.account_id,
        region=GLOBAL, config=None if answer is None else public_access_block(answer),
    )
