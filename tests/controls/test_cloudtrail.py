"""CloudTrail controls as pure functions over built trails, buckets and inventories."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assay.controls import cloudtrail
from assay.models.base import GLOBAL, Account, Resource
from assay.models.findings import Status
from assay.models.inventory import (
    AccountInfo,
    CollectionError,
    ErrorKind,
    Inventory,
    RegionInfo,
    RegionStatus,
    ScanMeta,
)
from assay.models.resources.cloudtrail import DataEvents, Trail
from assay.models.resources.lambda_ import LambdaFunction
from assay.models.resources.s3 import PublicAccessBlock, S3AccountPublicAccessBlock, S3Bucket

ACCOUNT = "123456789012"
ACCOUNT_BLOCK = S3AccountPublicAccessBlock(
    arn=f"arn:aws:s3::{ACCOUNT}:account-public-access-block", id=ACCOUNT, account_id=ACCOUNT, region=GLOBAL,
    config=PublicAccessBlock())


def trail(name: str = "audit", **over: Any) -> Trail:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{name}", id=name, name=name, account_id=ACCOUNT,
        region="us-east-1", home_region="us-east-1", is_multi_region=True, log_file_validation=True,
        s3_bucket_name="trail-logs", kms_key_id="arn:aws:kms:us-east-1:123456789012:key/k1",
        cloudwatch_logs_log_group_arn="arn:aws:logs:us-east-1:123456789012:log-group:trail:*",
        cloudwatch_logs_role_arn="arn:aws:iam::123456789012:role/trail-to-logs",
        is_logging=True, latest_cloudwatch_logs_delivery_error="", management_events="All",
        include_global_service_events=True, excluded_management_sources=(), data_events=(S3_ALL, LAMBDA_ALL),
    )
    return Trail(**{**base, **over})


S3_ALL = DataEvents(resource_type="AWS::S3::Object")
LAMBDA_ALL = DataEvents(resource_type="AWS::Lambda::Function")


def bucket(name: str = "trail-logs", **over: Any) -> S3Bucket:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:s3:::{name}", id=name, name=name, account_id=ACCOUNT, region="us-east-1",
        public_access_block=PublicAccessBlock(), policy_is_public=False, acl_public_grants=(), policy={},
    )
    return S3Bucket(**{**base, **over})


def inventory(*resources: Resource, errors: list[CollectionError] | None = None) -> Inventory:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now)
    regions = [RegionInfo(account_id=ACCOUNT, region=r, status=RegionStatus.SCANNED)
               for r in ("eu-west-1", "us-east-1")]
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], regions, [], resources, errors or [])


def account(inv: Inventory) -> Account:
    return inv.account(ACCOUNT)


def multi_region(*resources: Resource) -> tuple[Status, str]:
    inv = inventory(*resources)
    status, message = cloudtrail.multi_region_trail_logging(account(inv), inv)
    return status, message


# -- cloudtrail.multi_region_trail_logging ------------------------------------------------------

def test_multi_region_passes_with_one_good_trail_among_bad_ones() -> None:
    status, message = multi_region(trail("regional", is_multi_region=False), trail("stopped", is_logging=False),
                                   trail("audit"))
    assert status is Status.PASS
    assert message == "multi-region trail audit is logging read and write management events"


def test_multi_region_fails_without_any_multi_region_trail() -> None:
    status, message = multi_region(trail("regional", is_multi_region=False))
    assert status is Status.FAIL
    assert message == "no multi-region trail has its home in the scanned regions (eu-west-1, us-east-1)"


@pytest.mark.parametrize("over, reason", [
    ({"is_logging": False}, "audit is not logging"),
    ({"management_events": "WriteOnly"}, "audit records only write management events"),
    ({"management_events": "ReadOnly"}, "audit records only read management events"),
    ({"management_events": ""}, "audit records no management events"),
])
def test_multi_region_fails_when_the_trail_is_stopped_or_partial(over: dict[str, Any], reason: str) -> None:
    status, message = multi_region(trail(**over))
    assert status is Status.FAIL
    assert message == f"no multi-region trail logs all management events: {reason}"


@pytest.mark.parametrize("over", [{"is_logging": None}, {"management_events": None}])
def test_multi_region_unknown_status_is_error_unless_another_trail_passes(over: dict[str, Any]) -> None:
    status, message = multi_region(trail("unknown", **over))
    assert status is Status.ERROR and "unknown" in message
    assert multi_region(trail("unknown", **over), trail("audit"))[0] is Status.PASS


def test_multi_region_ignores_other_accounts_trails() -> None:
    other = trail("theirs", account_id="210987654321", arn="arn:aws:cloudtrail:us-east-1:210987654321:trail/theirs")
    assert multi_region(other)[0] is Status.FAIL


# -- per-trail configuration ----------------------------------------------------------------------

def test_log_file_validation() -> None:
    assert cloudtrail.log_file_validation_enabled(trail()).status is Status.PASS
    assert cloudtrail.log_file_validation_enabled(trail(log_file_validation=False)).status is Status.FAIL


def test_kms_encryption() -> None:
    assert cloudtrail.logs_encrypted_with_kms(trail()).status is Status.PASS
    outcome = cloudtrail.logs_encrypted_with_kms(trail(kms_key_id=None))
    assert outcome.status is Status.FAIL and "no KMS key" in outcome.message


def test_cloudwatch_delivery() -> None:
    assert cloudtrail.delivers_to_cloudwatch_logs(trail()).status is Status.PASS
    no_group = cloudtrail.delivers_to_cloudwatch_logs(trail(cloudwatch_logs_log_group_arn=None))
    assert no_group == (Status.FAIL, "no CloudWatch Logs log group is configured")
    failing = cloudtrail.delivers_to_cloudwatch_logs(trail(latest_cloudwatch_logs_delivery_error="AccessDenied"))
    assert failing.status is Status.FAIL and failing.message.endswith("reports an error: AccessDenied")
    unknown = cloudtrail.delivers_to_cloudwatch_logs(trail(latest_cloudwatch_logs_delivery_error=None))
    assert unknown.status is Status.ERROR and "cloudtrail:GetTrailStatus" in unknown.message


# -- cloudtrail.bucket_not_public -----------------------------------------------------------------

def test_bucket_private_passes_public_fails() -> None:
    t = trail()
    ok = cloudtrail.bucket_not_public(t, inventory(t, bucket(), ACCOUNT_BLOCK))
    assert ok.status is Status.PASS and ok.message.startswith("log bucket trail-logs is not publicly accessible")
    public = bucket(acl_public_grants=("AllUsers:READ",))
    bad = cloudtrail.bucket_not_public(t, inventory(t, public, ACCOUNT_BLOCK))
    assert bad.status is Status.FAIL
    assert bad.message.startswith("log bucket trail-logs is publicly accessible through ACL grants to AllUsers:READ")


def test_bucket_neutralised_by_account_block_passes() -> None:
    t = trail()
    blocked = ACCOUNT_BLOCK.model_copy(update={"config": PublicAccessBlock(ignore_public_acls=True,
                                                                            restrict_public_buckets=True)})
    public = bucket(acl_public_grants=("AllUsers:READ",), policy_is_public=True)
    assert cloudtrail.bucket_not_public(t, inventory(t, public, blocked)).status is Status.PASS


def test_bucket_outside_the_inventory_is_error_naming_the_bucket() -> None:
    t = trail(s3_bucket_name="central-logging-archive")
    outcome = cloudtrail.bucket_not_public(t, inventory(t, bucket(), ACCOUNT_BLOCK))
    assert outcome.status is Status.ERROR
    assert "central-logging-archive is not in the scanned inventory" in outcome.message
    assert "scan that account" in outcome.message


def test_bucket_with_unread_settings_is_error() -> None:
    t = trail()
    outcome = cloudtrail.bucket_not_public(t, inventory(t, bucket(acl_public_grants=None), ACCOUNT_BLOCK))
    assert outcome.status is Status.ERROR and "s3:GetBucketAcl" in outcome.message
    no_block = cloudtrail.bucket_not_public(t, inventory(t, bucket()))
    assert no_block.status is Status.ERROR and "s3:GetAccountPublicAccessBlock" in no_block.message
    no_name = cloudtrail.bucket_not_public(trail(s3_bucket_name=None), inventory(bucket(), ACCOUNT_BLOCK))
    assert no_name.status is Status.ERROR


def test_bucket_control_needs_the_s3_reads() -> None:
    from assay.controls.registry import load_controls

    needs = set(load_controls()["cloudtrail.bucket_not_public"].needs)
    assert {"cloudtrail:DescribeTrails", "s3:ListAllMyBuckets", "s3:GetBucketAcl", "s3:GetBucketPolicy",
            "s3:GetBucketPolicyStatus", "s3:GetBucketPublicAccessBlock", "s3:GetAccountPublicAccessBlock",
            "s3:GetBucketLocation"} <= needs


# -- cloudtrail.s3_data_events_logged and cloudtrail.lambda_data_events_logged ---------------------

def s3_events(*resources: Resource, **params: Any) -> tuple[Status, str]:
    inv = inventory(*resources)
    return cloudtrail.s3_data_events_logged(account(inv), inv, **params)


def test_s3_data_events_pass_with_one_trail_recording_every_bucket() -> None:
    assert s3_events(trail("regional", is_multi_region=False), trail("audit")) == (
        Status.PASS, "trail audit records read and write AWS::S3::Object data events for every resource in all regions")


@pytest.mark.parametrize("over, reason", [
    ({"data_events": ()}, "audit records no AWS::S3::Object data events"),
    ({"data_events": (LAMBDA_ALL,)}, "audit records no AWS::S3::Object data events"),
    ({"data_events": (DataEvents(resource_type="AWS::S3::Object", arn_prefixes=("arn:aws:s3:::payroll/",)),)},
     "audit records AWS::S3::Object data events only for arn:aws:s3:::payroll/"),
    ({"data_events": (DataEvents(resource_type="AWS::S3::Object", writes=False),)},
     "audit records only read AWS::S3::Object data events"),
    ({"data_events": (DataEvents(resource_type="AWS::S3::Object", reads=False),)},
     "audit records only write AWS::S3::Object data events"),
    ({"is_multi_region": False}, "audit is not multi-region"),
    ({"is_logging": False}, "audit is not logging"),
])
def test_s3_data_events_fail_names_the_gap(over: dict[str, Any], reason: str) -> None:
    assert s3_events(trail("audit", **over)) == (
        Status.FAIL, "no logging multi-region trail records read and write AWS::S3::Object data events for every "
        f"resource: {reason}")


def test_s3_data_events_writes_only_suffice_when_reads_are_not_required() -> None:
    writes = trail(data_events=(DataEvents(resource_type="AWS::S3::Object", reads=False),))
    assert s3_events(writes, include_reads=False)[0] is Status.PASS
    # two selectors, one for reads and one for writes, add up
    split = trail(data_events=(DataEvents(resource_type="AWS::S3::Object", reads=False),
                               DataEvents(resource_type="AWS::S3::Object", writes=False)))
    assert s3_events(split)[0] is Status.PASS


def test_s3_data_events_without_trails_fail_and_unknown_selectors_error() -> None:
    assert s3_events() == (Status.FAIL, "the account has no CloudTrail trail, so no AWS::S3::Object data events "
                                        "are recorded")
    status, message = s3_events(trail("audit", data_events=None))
    assert status is Status.ERROR and message == "could not confirm: event selectors of trail audit were not collected"
    # a definite gap elsewhere does not hide the unknown
    assert s3_events(trail("a", is_logging=False), trail("b", is_logging=None))[0] is Status.ERROR
    assert s3_events(trail("a", is_logging=None), trail("b"))[0] is Status.PASS


def function(name: str = "fn") -> LambdaFunction:
    return LambdaFunction(arn=f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}", id=name, name=name,
                          account_id=ACCOUNT, region="us-east-1", runtime="python3.12")


def test_lambda_data_events() -> None:
    inv = inventory(trail(), function())
    assert cloudtrail.lambda_data_events_logged(account(inv), inv).status is Status.PASS
    inv = inventory(trail(data_events=(S3_ALL,)), function())
    status, message = cloudtrail.lambda_data_events_logged(account(inv), inv)
    assert status is Status.FAIL and message.endswith("audit records no AWS::Lambda::Function data events")
    # Lambda invocations are writes: a write-only selection is enough
    inv = inventory(trail(data_events=(DataEvents(resource_type="AWS::Lambda::Function", reads=False),)), function())
    assert cloudtrail.lambda_data_events_logged(account(inv), inv).status is Status.PASS
    inv = inventory(trail(data_events=None), function())
    assert cloudtrail.lambda_data_events_logged(account(inv), inv).status is Status.ERROR


def test_lambda_data_events_skip_accounts_without_functions() -> None:
    inv = inventory(trail(data_events=()))
    assert cloudtrail.lambda_data_events_logged(account(inv), inv) == (
        Status.SKIP, "the account has no Lambda functions in the scanned regions")


# -- cloudtrail.security_trail_configured ---------------------------------------------------------

def security(*resources: Resource) -> tuple[Status, str]:
    inv = inventory(*resources)
    return cloudtrail.security_trail_configured(account(inv), inv)


def test_security_trail_passes_with_a_complete_trail() -> None:
    assert security(trail("partial", kms_key_id=None), trail("audit")) == (
        Status.PASS, "trail audit meets every security-trail setting")


@pytest.mark.parametrize("over, gap", [
    ({"is_logging": False}, "is not logging"),
    ({"is_multi_region": False}, "is not multi-region"),
    ({"include_global_service_events": False}, "omits global service events"),
    ({"log_file_validation": False}, "does not validate log files"),
    ({"kms_key_id": None}, "is not encrypted with KMS"),
    ({"management_events": "WriteOnly"}, "records WriteOnly management events, not All"),
    ({"excluded_management_sources": ("kms.amazonaws.com",)}, "excludes events from kms.amazonaws.com"),
])
def test_security_trail_fails_on_each_missing_setting(over: dict[str, Any], gap: str) -> None:
    assert security(trail("audit", **over)) == (
        Status.FAIL, f"no trail meets every security-trail setting: audit {gap}")


def test_security_trail_unknown_is_error_and_no_trail_fails() -> None:
    assert security() == (Status.FAIL, "the account has no CloudTrail trail")
    status, message = security(trail("audit", include_global_service_events=None))
    assert status is Status.ERROR and "global service event setting of trail audit" in message
    assert security(trail("audit", excluded_management_sources=None))[0] is Status.ERROR
    assert security(trail("audit", is_logging=None, kms_key_id=None))[0] is Status.FAIL  # a definite gap wins


# -- cloudtrail.bucket_access_logging_enabled -----------------------------------------------------

def test_bucket_access_logging() -> None:
    t = trail()
    ok = cloudtrail.bucket_access_logging_enabled(t, inventory(t, bucket(logging_target_bucket="access-logs")))
    assert ok == (Status.PASS, "log bucket trail-logs writes access logs to access-logs")
    off = cloudtrail.bucket_access_logging_enabled(t, inventory(t, bucket(logging_target_bucket="")))
    assert off == (Status.FAIL, "log bucket trail-logs has server access logging disabled")


def test_bucket_access_logging_unknown_is_error_naming_the_failed_read() -> None:
    t = trail()
    denied = CollectionError(account_id=ACCOUNT, region="global", service="s3", operation="s3:GetBucketLogging",
                             code="AccessDenied", kind=ErrorKind.DENIED, message="no",
                             resource_arn="arn:aws:s3:::trail-logs")
    out = cloudtrail.bucket_access_logging_enabled(t, inventory(t, bucket(logging_target_bucket=None), errors=[denied]))
    assert out.status is Status.ERROR and "s3:GetBucketLogging failed on arn:aws:s3:::trail-logs" in out.message
    elsewhere = cloudtrail.bucket_access_logging_enabled(trail(s3_bucket_name="central"), inventory(bucket()))
    assert elsewhere.status is Status.ERROR and "central is not in the scanned inventory" in elsewhere.message
    assert cloudtrail.bucket_access_logging_enabled(trail(s3_bucket_name=None), inventory()).status is Status.ERROR
