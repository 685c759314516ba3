"""S3 controls: public_exposure and s3.bucket_not_public as pure functions over built resources."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assay.controls import s3
from assay.models.base import GLOBAL, Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.s3 import LifecycleRule, PublicAccessBlock, S3AccountPublicAccessBlock, S3Bucket

ACCOUNT = "123456789012"
OFF = PublicAccessBlock()
ACL_AND_RESTRICT = PublicAccessBlock(ignore_public_acls=True, restrict_public_buckets=True)
PUBLIC_POLICY = {"Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                "Resource": "arn:aws:s3:::b/*"}]}


def bucket(**over: Any) -> S3Bucket:
    base: dict[str, Any] = dict(
        arn="arn:aws:s3:::data", id="data", name="data", account_id=ACCOUNT, region="eu-west-1",
        public_access_block=OFF, policy_is_public=False, acl_public_grants=(), policy={},
    )
    return S3Bucket(**{**base, **over})


def account_block(config: PublicAccessBlock | None = OFF, account_id: str = ACCOUNT) -> S3AccountPublicAccessBlock:
    return S3AccountPublicAccessBlock(
        arn=f"arn:aws:s3::{account_id}:account-public-access-block", id=account_id, account_id=account_id,
        region=GLOBAL, config=config)


def inventory(*resources: Resource) -> Inventory:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], resources, [])


def test_private_bucket_passes() -> None:
    outcome = s3.public_exposure(bucket(), account_block())
    assert outcome.status is Status.PASS
    assert outcome.message == "not publicly accessible: no public ACL grant and no public bucket policy"


@pytest.mark.parametrize("grant", ["AllUsers:READ", "AuthenticatedUsers:WRITE"])
def test_public_acl_fails_and_names_the_grant(grant: str) -> None:
    outcome = s3.public_exposure(bucket(acl_public_grants=(grant,)), account_block())
    assert outcome.status is Status.FAIL
    assert f"ACL grants to {grant}" in outcome.message


def test_public_policy_fails_by_aws_status_or_by_document() -> None:
    by_status = s3.public_exposure(bucket(policy_is_public=True), account_block())
    assert by_status.status is Status.FAIL and "public bucket policy" in by_status.message
    by_document = s3.public_exposure(bucket(policy=PUBLIC_POLICY), account_block())
    assert by_document.status is Status.FAIL and "(Anyone)" in by_document.message


def test_conditioned_policy_is_not_public_unless_aws_says_so() -> None:
    scoped = {"Statement": [{**PUBLIC_POLICY["Statement"][0],
                             "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-123"}}}]}
    assert s3.public_exposure(bucket(policy=scoped), account_block()).status is Status.PASS


@pytest.mark.parametrize("own, acct, level", [
    (ACL_AND_RESTRICT, OFF, "bucket-level"),
    (OFF, ACL_AND_RESTRICT, "account-level"),
    (ACL_AND_RESTRICT, ACL_AND_RESTRICT, "bucket-level and account-level"),
])
def test_ignore_and_restrict_neutralise_at_either_level(own: PublicAccessBlock, acct: PublicAccessBlock,
                                                        level: str) -> None:
    public = bucket(public_access_block=own, acl_public_grants=("AllUsers:READ",), policy=PUBLIC_POLICY)
    outcome = s3.public_exposure(public, account_block(acct))
    assert outcome.status is Status.PASS
    assert f"neutralised by {level} IgnorePublicAcls" in outcome.message
    assert f"neutralised by {level} RestrictPublicBuckets" in outcome.message


def test_block_switches_alone_do_not_neutralise_existing_access() -> None:
    """BlockPublicAcls/BlockPublicPolicy refuse new public settings; what is in place stays public."""
    blocks_new_only = PublicAccessBlock(block_public_acls=True, block_public_policy=True)
    public = bucket(public_access_block=blocks_new_only, acl_public_grants=("AllUsers:READ",), policy=PUBLIC_POLICY)
    outcome = s3.public_exposure(public, account_block(blocks_new_only))
    assert outcome.status is Status.FAIL
    assert "ACL grants to AllUsers:READ and a public bucket policy" in outcome.message


def test_each_switch_neutralises_only_its_own_path() -> None:
    only_ignore = PublicAccessBlock(ignore_public_acls=True)
    acl_blocked_policy_open = bucket(public_access_block=only_ignore, acl_public_grants=("AllUsers:READ",),
                                     policy_is_public=True)
    outcome = s3.public_exposure(acl_blocked_policy_open, account_block())
    assert outcome.status is Status.FAIL
    assert "ACL" not in outcome.message and "public bucket policy" in outcome.message


@pytest.mark.parametrize("field, label", [
    ("public_access_block", "s3:GetBucketPublicAccessBlock"),
    ("acl_public_grants", "s3:GetBucketAcl"),
    ("policy_is_public", "s3:GetBucketPolicyStatus"),
    ("policy", "s3:GetBucketPolicy"),
])
def test_unknown_bucket_field_is_error_even_when_exposure_is_known(field: str, label: str) -> None:
    # even a bucket known to be public through its policy is ERROR, as the engine makes it when a read failed
    fields: dict[str, Any] = {"policy": PUBLIC_POLICY, field: None}
    outcome = s3.public_exposure(bucket(**fields), account_block())
    assert outcome.status is Status.ERROR
    assert label in outcome.message


def test_unknown_region_is_error_naming_the_location_read() -> None:
    outcome = s3.public_exposure(bucket(region="unknown", public_access_block=None, acl_public_grants=None,
                                        policy_is_public=None, policy=None), account_block())
    assert outcome.status is Status.ERROR and "s3:GetBucketLocation" in outcome.message


def test_unknown_or_missing_account_block_is_error() -> None:
    for acct in (account_block(None), None):
        outcome = s3.public_exposure(bucket(), acct)
        assert outcome.status is Status.ERROR
        assert "s3:GetAccountPublicAccessBlock" in outcome.message


def test_control_uses_the_block_of_the_buckets_own_account() -> None:
    public = bucket(acl_public_grants=("AllUsers:READ",))
    other_account = account_block(ACL_AND_RESTRICT, account_id="210987654321")
    assert s3.bucket_not_public(public, inventory(public, account_block(), other_account)).status is Status.FAIL
    assert s3.bucket_not_public(public, inventory(public, account_block(ACL_AND_RESTRICT))).status is Status.PASS
    assert s3.bucket_not_public(public, inventory(public, other_account)).status is Status.ERROR
    assert s3.bucket_not_public(bucket(), inventory(bucket(), account_block())).status is Status.PASS


def test_control_needs_every_read_public_exposure_uses() -> None:
    from assay.controls.registry import load_controls

    needs = set(load_controls()["s3.bucket_not_public"].needs)
    assert {"s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketAcl", "s3:GetBucketPolicy",
            "s3:GetBucketPolicyStatus", "s3:GetBucketPublicAccessBlock", "s3:GetAccountPublicAccessBlock"} <= needs


# --- data protection controls ------------------------------------------------------------------------------

ALL_ON = PublicAccessBlock(block_public_acls=True, ignore_public_acls=True, block_public_policy=True,
                           restrict_public_buckets=True)
TLS_DENY = {"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def test_account_public_access_block_enabled() -> None:
    assert s3.account_public_access_block_enabled(account_block(ALL_ON)).status is Status.PASS
    partial = s3.account_public_access_block_enabled(account_block(ACL_AND_RESTRICT))
    assert partial.status is Status.FAIL
    assert partial.message.endswith("BlockPublicAcls, BlockPublicPolicy off")
    assert s3.account_public_access_block_enabled(account_block(OFF)).status is Status.FAIL
    unread = s3.account_public_access_block_enabled(account_block(None))
    assert unread.status is Status.ERROR and "s3:GetAccountPublicAccessBlock" in unread.message


def test_bucket_public_access_block_enabled_combines_levels() -> None:
    check = s3.bucket_public_access_block_enabled
    own = bucket(public_access_block=ALL_ON)
    assert check(own, inventory(own, account_block(OFF))).message.endswith("(set at bucket level)")
    plain = bucket()
    assert check(plain, inventory(plain, account_block(ALL_ON))).message.endswith("(set at account level)")
    half = bucket(public_access_block=PublicAccessBlock(block_public_acls=True, block_public_policy=True))
    combined = check(half, inventory(half, account_block(ACL_AND_RESTRICT)))
    assert combined.status is Status.PASS and "combined" in combined.message
    failed = check(half, inventory(half, account_block(OFF)))
    assert failed.status is Status.FAIL
    assert failed.message == "off at both bucket and account level: IgnorePublicAcls, RestrictPublicBuckets"
    assert check(bucket(public_access_block=None), inventory(account_block(ALL_ON))).status is Status.ERROR
    assert check(own, inventory(own)).status is Status.ERROR  # account block missing
    assert check(own, inventory(own, account_block(None))).status is Status.ERROR


@pytest.mark.parametrize("statement", [
    TLS_DENY,
    {**TLS_DENY, "Principal": {"AWS": "*"}, "Action": ["s3:GetObject", "s3:*"], "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:SecureTransport": False}}},
    {**TLS_DENY, "Resource": "arn:aws:s3:::data*", "Condition": {"NumericLessThanIfExists": {"s3:TlsVersion": "1.2"}}},
])
def test_bucket_tls_required_passes(statement: dict[str, Any]) -> None:
    policy = {"Statement": [PUBLIC_POLICY["Statement"][0], statement]}
    outcome = s3.bucket_tls_required(bucket(policy=policy))
    assert outcome.status is Status.PASS and "denies requests without TLS" in outcome.message


@pytest.mark.parametrize("statement", [
    {**TLS_DENY, "Effect": "Allow"},
    {**TLS_DENY, "Principal": {"AWS": "arn:aws:iam::123456789012:root"}},
    {**TLS_DENY, "Action": "s3:GetObject"},  # other actions stay open over HTTP
    {**TLS_DENY, "Resource": "arn:aws:s3:::data"},  # objects not covered
    {**TLS_DENY, "Resource": "arn:aws:s3:::other/*"},
    {**TLS_DENY, "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    # plain HTTP has no TLS version, so a bare NumericLessThan never matches it
    {**TLS_DENY, "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}}},
    {**TLS_DENY, "Condition": {"NumericLessThanIfExists": {"s3:TlsVersion": "1.0"}}},
])
def test_bucket_tls_required_fails_on_near_misses(statement: dict[str, Any]) -> None:
    outcome = s3.bucket_tls_required(bucket(policy={"Statement": [statement]}))
    assert outcome.status is Status.FAIL
    assert outcome.message == "no bucket policy statement denies s3:* to everyone when aws:SecureTransport is false"


def test_bucket_tls_required_without_policy_or_unread() -> None:
    assert s3.bucket_tls_required(bucket(policy={})).message == \
        "no bucket policy: requests over plain HTTP are accepted"
    assert s3.bucket_tls_required(bucket(policy=None)).status is Status.ERROR


def test_bucket_default_encryption() -> None:
    assert s3.bucket_default_encryption(bucket(encryption_algorithm="AES256")).status is Status.PASS
    none = s3.bucket_default_encryption(bucket(encryption_algorithm=""))
    assert none.status is Status.FAIL and "no default encryption" in none.message
    unread = s3.bucket_default_encryption(bucket(encryption_algorithm=None))
    assert unread.status is Status.ERROR and "s3:GetEncryptionConfiguration" in unread.message


def test_bucket_kms_encryption() -> None:
    cmk = s3.bucket_kms_encryption(bucket(encryption_algorithm="aws:kms", encryption_kms_key_id="alias/data"))
    assert cmk.status is Status.PASS and cmk.message.endswith("using alias/data")
    managed = s3.bucket_kms_encryption(bucket(encryption_algorithm="aws:kms:dsse", encryption_kms_key_id=""))
    assert managed.status is Status.PASS and "aws/s3" in managed.message
    sse_s3 = s3.bucket_kms_encryption(bucket(encryption_algorithm="AES256"))
    assert sse_s3.status is Status.FAIL and sse_s3.message == "default encryption uses AES256, not an AWS KMS key"
    assert s3.bucket_kms_encryption(bucket(encryption_algorithm="")).status is Status.FAIL
    assert s3.bucket_kms_encryption(bucket(encryption_algorithm=None)).status is Status.ERROR


def test_bucket_versioning_enabled() -> None:
    assert s3.bucket_versioning_enabled(bucket(versioning="Enabled")).status is Status.PASS
    assert s3.bucket_versioning_enabled(bucket(versioning="Suspended")).message == "versioning is suspended"
    assert s3.bucket_versioning_enabled(bucket(versioning="")).message == "versioning was never enabled"
    assert s3.bucket_versioning_enabled(bucket(versioning=None)).status is Status.ERROR


def test_bucket_mfa_delete_enabled() -> None:
    check = s3.bucket_mfa_delete_enabled
    assert check(bucket(versioning="Enabled", mfa_delete=True)).status is Status.PASS
    assert check(bucket(versioning="Enabled", mfa_delete=False)).status is Status.FAIL
    assert check(bucket(versioning="Suspended", mfa_delete=False)).status is Status.FAIL  # old versions remain
    assert check(bucket(versioning="", mfa_delete=False)).status is Status.SKIP
    assert check(bucket(versioning=None, mfa_delete=None)).status is Status.ERROR


def test_bucket_access_logging_enabled() -> None:
    check = s3.bucket_access_logging_enabled
    assert check(bucket(logging_target_bucket="logs")).message == "server access logs are delivered to logs"
    assert check(bucket(logging_target_bucket="")).status is Status.FAIL
    assert check(bucket(logging_target_bucket=None)).status is Status.ERROR


def test_bucket_object_lock_enabled() -> None:
    check = s3.bucket_object_lock_enabled
    locked = check(bucket(object_lock_enabled=True, object_lock_default_retention="COMPLIANCE 7 years"))
    assert locked.status is Status.PASS and "default retention COMPLIANCE 7 years" in locked.message
    bare = check(bucket(object_lock_enabled=True, object_lock_default_retention=""))
    assert bare.status is Status.PASS and "no default retention" in bare.message
    assert check(bucket(object_lock_enabled=False, object_lock_default_retention="")).status is Status.FAIL
    assert check(bucket(object_lock_enabled=None)).status is Status.ERROR


def test_bucket_replication_enabled_names_destination_region() -> None:
    replica = bucket(arn="arn:aws:s3:::replica", id="replica", name="replica", region="us-west-2")
    source = bucket(replication_destinations=("arn:aws:s3:::replica", "arn:aws:s3:::elsewhere"))
    outcome = s3.bucket_replication_enabled(source, inventory(source, replica))
    assert outcome.status is Status.PASS
    assert outcome.message == "objects replicate to arn:aws:s3:::replica (us-west-2), arn:aws:s3:::elsewhere"
    assert s3.bucket_replication_enabled(bucket(replication_destinations=()), inventory()).status is Status.FAIL
    assert s3.bucket_replication_enabled(bucket(replication_destinations=None), inventory()).status is Status.ERROR


def test_bucket_lifecycle_configured() -> None:
    check = s3.bucket_lifecycle_configured
    rules = (LifecycleRule(id="old", enabled=False), LifecycleRule(id="archive", enabled=True))
    assert check(bucket(lifecycle_rules=rules)).message == "enabled lifecycle rules: archive"
    assert check(bucket(lifecycle_rules=rules[:1])).message == "every lifecycle rule is disabled (old)"
    assert check(bucket(lifecycle_rules=())).message == "no lifecycle rule"
    assert check(bucket(lifecycle_rules=None)).status is Status.ERROR


def test_bucket_noncurrent_versions_expire() -> None:
    check = s3.bucket_noncurrent_versions_expire
    expiring = (LifecycleRule(id="expire", enabled=True, expires_noncurrent=True),)
    assert check(bucket(versioning="Enabled", lifecycle_rules=expiring)).status is Status.PASS
    disabled = (LifecycleRule(id="expire", enabled=False, expires_noncurrent=True),
                LifecycleRule(id="archive", enabled=True))
    failed = check(bucket(versioning="Suspended", lifecycle_rules=disabled))
    assert failed.status is Status.FAIL and failed.message.startswith("versioning is suspended")
    assert check(bucket(versioning="", lifecycle_rules=None)).status is Status.SKIP
    assert check(bucket(versioning="Enabled", lifecycle_rules=None)).status is Status.ERROR
    assert check(bucket(versioning=None, lifecycle_rules=expiring)).status is Status.ERROR


def test_bucket_event_notifications_enabled() -> None:
    check = s3.bucket_event_notifications_enabled
    assert check(bucket(notification_targets=("eventbridge",))).message == "events are sent to eventbridge"
    assert check(bucket(notification_targets=())).status is Status.FAIL
    assert check(bucket(notification_targets=None)).status is Status.ERROR


@pytest.mark.parametrize("check", [
    s3.bucket_tls_required, s3.bucket_default_encryption, s3.bucket_kms_encryption, s3.bucket_versioning_enabled,
    s3.bucket_mfa_delete_enabled, s3.bucket_access_logging_enabled, s3.bucket_object_lock_enabled,
    s3.bucket_lifecycle_configured, s3.bucket_noncurrent_versions_expire, s3.bucket_event_notifications_enabled,
    s3.bucket_has_classification_tag,
])
def test_bucket_controls_are_error_when_the_region_was_not_read(check: Any) -> None:
    """A bucket whose GetBucketLocation failed has every setting None: never a verdict."""
    unread = S3Bucket(arn="arn:aws:s3:::x", id="x", account_id=ACCOUNT, region="unknown")
    assert check(unread).status is Status.ERROR


def test_bucket_has_classification_tag() -> None:
    check = s3.bucket_has_classification_tag
    tagged = bucket(tags={"DataClassification": "confidential", "owner": "analytics"}, tags_read=True)
    assert check(tagged) == (Status.PASS, "classified: DataClassification=confidential")
    untagged = check(bucket(tags={"owner": "analytics"}, tags_read=True))
    assert untagged == (Status.FAIL, "bucket data has no value for tag DataClassification")
    assert check(bucket(tags={}, tags_read=True)).status is Status.FAIL  # NoSuchTagSet: no tags at all
    assert check(bucket(tags={"DataClassification": " "}, tags_read=True)).status is Status.FAIL
    lower = bucket(tags={"dataclassification": "internal"}, tags_read=True)
    assert check(lower).status is Status.FAIL  # tag keys are case-sensitive
    # tags were not read: {} would otherwise look like "no tags"
    assert check(bucket(tags={})).status is Status.ERROR


def test_bucket_classification_tag_parameters() -> None:
    check = s3.bucket_has_classification_tag
    tagged = bucket(tags={"DataClassification": "Confidential", "Owner": "data-team"}, tags_read=True)
    assert check(tagged, allowed_values=["public", "internal", "confidential"]).status is Status.PASS
    out = check(tagged, allowed_values=["public", "internal"])
    assert out == (Status.FAIL, "DataClassification='Confidential' is not one of the allowed values public, internal")
    assert check(tagged, required_tag_keys=["DataClassification", "Owner"]).message == (
        "classified: DataClassification=Confidential, Owner=data-team")
    assert check(tagged, required_tag_keys=["Retention"]).status is Status.FAIL
    assert check(tagged, required_tag_keys=[]).status is Status.SKIP
