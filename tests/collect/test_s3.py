"""S3 collector against moto's server: buckets read in their own region, the account-level block, and
ERROR (never PASS or FAIL) for s3.bucket_not_public whenever a read it needs is denied."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assay.collect.aws.s3 import bucket_region
from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.faults import deny
from assay.models.inventory import ErrorKind, Inventory
from assay.models.resources.s3 import UNKNOWN_REGION, S3AccountPublicAccessBlock, S3Bucket
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1", "eu-west-1"]
IGNORE_AND_RESTRICT = {"BlockPublicAcls": False, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
                       "RestrictPublicBuckets": True}
EXPECTED = {"pass-logs": "pass", "pass-private": "pass", "fail-public-acl": "fail", "fail-public-policy": "fail",
            "pass-neutralised": "pass", "pass-locked": "pass"}
REGION_OF = {"pass-logs": "us-east-1", "pass-private": "us-east-1", "fail-public-acl": "us-east-1",
             "fail-public-policy": "eu-west-1", "pass-neutralised": "eu-west-1", "pass-locked": "us-east-1"}


def tls_only(name: str) -> dict[str, Any]:
    return {"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


@pytest.fixture()
def s3_access(access: AwsAccess) -> AwsAccess:
    return access


def s3control(seed: Any) -> Any:
    return seed("s3control")


def public_policy(name: str) -> str:
    return json.dumps({"Statement": [{"Sid": "Everyone", "Effect": "Allow", "Principal": "*",
                                      "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/*"}]})


def make_bucket(seed: Any, name: str, region: str) -> Any:
    s3 = seed("s3", region)
    extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=name, **extra)
    return s3


def estate(seed: Any) -> None:
    make_bucket(seed, "pass-logs", "us-east-1").put_bucket_acl(Bucket="pass-logs", ACL="log-delivery-write")
    s3 = make_bucket(seed, "pass-private", "us-east-1")
    s3.put_bucket_versioning(Bucket="pass-private", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(Bucket="pass-private", ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/data"}}]})
    s3.put_bucket_logging(Bucket="pass-private", BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": "pass-logs", "TargetPrefix": "private/"}})
    s3.put_bucket_policy(Bucket="pass-private", Policy=json.dumps({"Statement": [tls_only("pass-private")]}))
    s3.put_bucket_lifecycle_configuration(Bucket="pass-private", LifecycleConfiguration={"Rules": [
        {"ID": "expire-old-versions", "Status": "Enabled", "Filter": {}, "NoncurrentVersionExpiration": {
            "NoncurrentDays": 30}},
        {"ID": "paused", "Status": "Disabled", "Filter": {}, "Expiration": {"Days": 365}}]})
    s3.put_bucket_replication(Bucket="pass-private", ReplicationConfiguration={
        "Role": f"arn:aws:iam::{ACCOUNT}:role/replication", "Rules": [
            {"ID": "to-eu", "Status": "Enabled", "Priority": 1, "Filter": {}, "DeleteMarkerReplication": {
                "Status": "Disabled"}, "Destination": {"Bucket": "arn:aws:s3:::pass-neutralised"}}]})
    s3.put_bucket_notification_configuration(Bucket="pass-private", NotificationConfiguration={
        "TopicConfigurations": [{"TopicArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:deletions",
                                 "Events": ["s3:ObjectRemoved:*"]}]})
    s3.create_bucket(Bucket="pass-locked", ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(Bucket="pass-locked", ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 7}}})
    make_bucket(seed, "fail-public-acl", "us-east-1").put_bucket_acl(Bucket="fail-public-acl", ACL="public-read")
    make_bucket(seed, "fail-public-policy", "eu-west-1").put_bucket_policy(
        Bucket="fail-public-policy", Policy=public_policy("fail-public-policy"))
    s3 = make_bucket(seed, "pass-neutralised", "eu-west-1")
    s3.put_bucket_acl(Bucket="pass-neutralised", ACL="public-read")
    s3.put_bucket_policy(Bucket="pass-neutralised", Policy=public_policy("pass-neutralised"))
    s3.put_public_access_block(Bucket="pass-neutralised", PublicAccessBlockConfiguration=IGNORE_AND_RESTRICT)


def buckets(inv: Inventory) -> dict[str, S3Bucket]:
    return {b.name: b for b in inv.of(S3Bucket)}


def test_collects_buckets_in_their_regions_and_evaluates(s3_access: AwsAccess, seed: Any) -> None:
    estate(seed)
    inv = scan(s3_access, ["s3"], regions=REGIONS)
    assert inv.complete and not inv.errors
    got = buckets(inv)
    assert {n: b.region for n, b in got.items()} == REGION_OF
    private = got["pass-private"]
    assert private.arn == "arn:aws:s3:::pass-private" and private.account_id == ACCOUNT
    assert (private.versioning, private.encryption_algorithm, private.encryption_kms_key_id) == \
        ("Enabled", "aws:kms", "alias/data")
    assert private.logging_target_bucket == "pass-logs"
    assert got["pass-logs"].acl_public_grants == ()  # the LogDelivery group is not the public
    assert private.acl_public_grants == () and private.policy_is_public is False
    public = got["fail-public-acl"]
    assert public.acl_public_grants == ("AllUsers:READ",)
    assert (public.versioning, public.encryption_algorithm, public.logging_target_bucket) == ("", "", "")
    assert got["pass-neutralised"].public_access_block is not None
    assert got["pass-neutralised"].public_access_block.restrict_public_buckets
    [block] = inv.of(S3AccountPublicAccessBlock)
    assert block.config is not None and not block.config.ignore_public_acls  # never configured: all off

    ev = evaluate(inv)
    assert by_name(ev, "s3.bucket_not_public") == EXPECTED
    messages = {f.resource_name: f.message for f in findings_of(ev, "s3.bucket_not_public")}
    assert messages["fail-public-policy"].startswith("publicly accessible through a public bucket policy (Everyone)")
    assert "neutralised by bucket-level IgnorePublicAcls" in messages["pass-neutralised"]


def test_account_level_block_neutralises_every_bucket(s3_access: AwsAccess, seed: Any) -> None:
    estate(seed)
    s3control(seed).put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration=IGNORE_AND_RESTRICT)
    inv = scan(s3_access, ["s3"], regions=REGIONS)
    [block] = inv.of(S3AccountPublicAccessBlock)
    assert block.config is not None and block.config.restrict_public_buckets and block.region == "global"
    ev = evaluate(inv)
    assert set(by_name(ev, "s3.bucket_not_public").values()) == {"pass"}
    message = next(f.message for f in findings_of(ev, "s3.bucket_not_public") if f.resource_name == "fail-public-acl")
    assert "neutralised by account-level IgnorePublicAcls" in message


S3_ACTIONS = sorted({p for spec in load_collectors().values() if spec.service == "s3" for p in spec.permissions})
S3_CONTROLS = {cid: c for cid, c in load_controls().items() if cid.startswith("s3.")}


def test_every_declared_action_is_needed_by_some_control() -> None:
    assert set(S3_ACTIONS) == {a for c in S3_CONTROLS.values() for a in c.needs}


@pytest.mark.parametrize("action", S3_ACTIONS)
def test_denied_read_is_error_never_pass_or_fail(s3_access: AwsAccess, seed: Any, action: str) -> None:
    estate(seed)
    s3_access.hooks.append(("before-call", deny({action})))
    inv = scan(s3_access, ["s3"], regions=REGIONS)
    assert not inv.complete
    assert {e.operation for e in inv.errors} == {action}
    ev = evaluate(inv)
    for cid, control in S3_CONTROLS.items():
        found = findings_of(ev, cid)
        assert found, cid
        if action in control.needs:
            assert {f.status.value for f in found} == {"error"}, cid
            assert all(action in f.message for f in found), cid
        else:  # a read the control does not need leaves its verdicts standing
            assert "error" not in {f.status.value for f in found}, cid


def test_denied_location_leaves_the_bucket_unread(s3_access: AwsAccess, seed: Any) -> None:
    estate(seed)
    s3_access.hooks.append(("before-call", deny({"s3:GetBucketLocation"})))
    inv = scan(s3_access, ["s3"], regions=REGIONS)
    assert {b.region for b in inv.of(S3Bucket)} == {UNKNOWN_REGION}
    assert all(b.acl_public_grants is None and b.policy is None for b in inv.of(S3Bucket))
    assert "s3:GetBucketAcl" not in inv.meta.api_calls


def test_region_from_paginated_list_buckets_skips_get_bucket_location(s3_access: AwsAccess, seed: Any) -> None:
    """AWS states BucketRegion in paginated ListBuckets answers (moto does not): use it when present."""
    estate(seed)
    regions = REGION_OF

    def add_region(parsed: dict[str, Any], **_: Any) -> None:
        for b in parsed.get("Buckets", []):
            b["BucketRegion"] = regions[b["Name"]]

    s3_access.hooks.append(("after-call.s3.ListBuckets", add_region))
    inv = scan(s3_access, ["s3"], regions=REGIONS)
    assert "s3:GetBucketLocation" not in inv.meta.api_calls
    assert {b.name: b.region for b in inv.of(S3Bucket)} == regions
    assert by_name(evaluate(inv), "s3.bucket_not_public") == EXPECTED


def test_unparseable_policy_is_a_parse_error(s3_access: AwsAccess, seed: Any) -> None:
    estate(seed)

    def corrupt(parsed: dict[str, Any], **_: Any) -> None:
        parsed["Policy"] = "{not json"

    s3_access.hooks.append(("after-call.s3.GetBucketPolicy", corrupt))
    inv = scan(s3_access, ["s3"], regions=REGIONS)
    assert {(e.operation, e.kind, e.resource_arn) for e in inv.errors} == {
        ("s3:GetBucketPolicy", ErrorKind.PARSE, "arn:aws:s3:::fail-public-policy"),
        ("s3:GetBucketPolicy", ErrorKind.PARSE, "arn:aws:s3:::pass-neutralised"),
        ("s3:GetBucketPolicy", ErrorKind.PARSE, "arn:aws:s3:::pass-private")}
    assert buckets(inv)["fail-public-policy"].policy is None
    statuses = by_name(evaluate(inv), "s3.bucket_not_public")
    assert statuses == {**EXPECTED, "fail-public-policy": "error", "pass-neutralised": "error", "pass-private": "error"}


def test_bucket_region_from_location_constraint() -> None:
    assert bucket_region(None) == "us-east-1"
    assert bucket_region("") == "us-east-1"
    assert bucket_region("EU") == "eu-west-1"
    assert bucket_region("ap-southeast-2") == "ap-southeast-2"


def test_data_protection_settings_are_read_and_judged(s3_access: AwsAccess, seed: Any) -> None:
    estate(seed)
    inv = scan(s3_access, ["s3"], regions=REGIONS)
    got = buckets(inv)
    private, locked, public = got["pass-private"], got["pass-locked"], got["fail-public-acl"]
    assert private.replication_destinations == ("arn:aws:s3:::pass-neutralised",)
    assert [(r.id, r.enabled, r.expires_noncurrent) for r in private.lifecycle_rules or ()] == [
        ("expire-old-versions", True, True), ("paused", False, False)]
    assert private.notification_targets == (f"sns:arn:aws:sns:us-east-1:{ACCOUNT}:deletions",)
    assert (private.object_lock_enabled, private.object_lock_default_retention) == (False, "")
    assert (locked.object_lock_enabled, locked.object_lock_default_retention) == (True, "COMPLIANCE 7 years")
    assert (public.replication_destinations, public.lifecycle_rules, public.notification_targets) == ((), (), ())
    assert public.mfa_delete is False

    ev = evaluate(inv)
    everything_else_fails = {name: "fail" for name in REGION_OF if name != "pass-private"}
    for cid in ("s3.bucket_tls_required", "s3.bucket_kms_encryption", "s3.bucket_access_logging_enabled",
                "s3.bucket_replication_enabled", "s3.bucket_lifecycle_configured",
                "s3.bucket_event_notifications_enabled"):
        assert by_name(ev, cid) == {**everything_else_fails, "pass-private": "pass"}, cid
    assert by_name(ev, "s3.bucket_versioning_enabled") == {**everything_else_fails, "pass-private": "pass",
                                                           "pass-locked": "pass"}
    assert by_name(ev, "s3.bucket_noncurrent_versions_expire") == {
        **{n: "skip" for n in REGION_OF}, "pass-private": "pass", "pass-locked": "fail"}
    assert by_name(ev, "s3.bucket_mfa_delete_enabled") == {
        **{n: "skip" for n in REGION_OF}, "pass-private": "fail", "pass-locked": "fail"}
    assert by_name(ev, "s3.bucket_object_lock_enabled") == {**{n: "fail" for n in REGION_OF}, "pass-locked": "pass"}
    assert by_name(ev, "s3.bucket_public_access_block_enabled") == {n: "fail" for n in REGION_OF}
    assert by_name(ev, "s3.account_public_access_block_enabled") == {"account-public-access-block": "fail"}
    messages = {f.resource_name: f.message for f in findings_of(ev, "s3.bucket_replication_enabled")}
    assert messages["pass-private"] == "objects replicate to arn:aws:s3:::pass-neutralised (eu-west-1)"
    # moto applies no default encryption, unlike AWS since 2023
    assert by_name(ev, "s3.bucket_default_encryption")["fail-public-acl"] == "fail"


def test_account_block_fully_on_passes_both_block_controls(s3_access: AwsAccess, seed: Any) -> None:
    estate(seed)
    s3control(seed).put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    ev = evaluate(scan(s3_access, ["s3"], regions=REGIONS))
    assert by_name(ev, "s3.account_public_access_block_enabled") == {"account-public-access-block": "pass"}
    assert set(by_name(ev, "s3.bucket_public_access_block_enabled").values()) == {"pass"}


def test_bucket_tags_are_read_once_per_bucket_and_judged(s3_access: AwsAccess, seed: Any) -> None:
    estate(seed)
    seed("s3").put_bucket_tagging(Bucket="pass-private", Tagging={"TagSet": [
        {"Key": "DataClassification", "Value": "confidential"}, {"Key": "owner", "Value": "analytics"}]})
    inv = scan(s3_access, ["s3"], regions=REGIONS)
    assert not inv.errors  # NoSuchTagSet on the untagged buckets means "no tags", not a failed read
    got = buckets(inv)
    assert got["pass-private"].tags == {"DataClassification": "confidential", "owner": "analytics"}
    assert got["fail-public-acl"].tags == {} and all(b.tags_read for b in got.values())
    assert inv.meta.api_calls["s3:GetBucketTagging"] == len(REGION_OF)
    # the settings of a bucket cost at most 12 reads, plus GetBucketLocation where ListBuckets omits the region
    account_wide = ("s3:ListAllMyBuckets", "s3:GetAccountPublicAccessBlock", "s3:GetBucketLocation")
    per_bucket = sum(n for action, n in inv.meta.api_calls.items()
                     if action.startswith("s3:") and action not in account_wide)
    assert per_bucket == 12 * len(REGION_OF)
    assert by_name(evaluate(inv), "s3.bucket_has_classification_tag") == {
        **{n: "fail" for n in REGION_OF}, "pass-private": "pass"}
