"""CloudTrail controls as pure functions over built trails, buckets and inventories."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assay.controls import cloudtrail
from assay.models.base import GLOBAL, Account, Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, RegionInfo, RegionStatus, ScanMeta
from assay.models.resources.cloudtrail import Trail
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
    )
    return Trail(**{**base, **over})


def bucket(name: str = "trail-logs", **over: Any) -> S3Bucket:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:s3:::{name}", id=name, name=name, account_id=ACCOUNT, region="us-east-1",
        public_access_block=PublicAccessBlock(), policy_is_public=False, acl_public_grants=(), policy={},
    )
    return S3Bucket(**{**base, **over})


def inventory(*resources: Resource) -> Inventory:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now)
    regions = [RegionInfo(account_id=ACCOUNT, region=r, status=RegionStatus.SCANNED)
               for r in ("eu-west-1", "us-east-1")]
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], regions, [], resources, [])


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
