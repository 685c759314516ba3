"""S3 controls: public_exposure and s3.bucket_not_public as pure functions over built resources."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assay.controls import s3
from assay.models.base import GLOBAL, Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.s3 import PublicAccessBlock, S3AccountPublicAccessBlock, S3Bucket

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
