"""Amazon Macie controls: pure functions over MacieSession records and the S3 bucket inventory."""

from __future__ import annotations

from datetime import UTC, datetime

from assay.controls.macie import enabled_where_s3_holds_data
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.macie2 import MacieSession
from assay.models.resources.s3 import UNKNOWN_REGION, S3Bucket

ACCOUNT = "123456789012"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def inventory(*resources: Resource) -> Inventory:
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW, requested_regions=["eu-west-1"])
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], list(resources), [])


def bucket(name: str, region: str = "eu-west-1", account: str = ACCOUNT) -> S3Bucket:
    return S3Bucket(arn=f"arn:aws:s3:::{name}", id=name, name=name, account_id=account, region=region)


def session(status: str = "ENABLED", region: str = "eu-west-1") -> MacieSession:
    return MacieSession(arn=f"arn:aws:macie2:{region}:{ACCOUNT}:session", id=region, name=region,
                        account_id=ACCOUNT, region=region, status=status)


def test_enabled_passes() -> None:
    inv = inventory(bucket("reports"))
    assert enabled_where_s3_holds_data(session(), inv) == (Status.PASS, "Macie is enabled in eu-west-1 (1 bucket(s))")
    assert enabled_where_s3_holds_data(session(), inventory()) == (Status.PASS, "Macie is enabled in eu-west-1")


def test_not_enabled_or_paused_with_buckets_fails() -> None:
    inv = inventory(bucket("reports"), bucket("exports"), bucket("elsewhere", "us-east-1"))
    assert enabled_where_s3_holds_data(session(""), inv) == (
        Status.FAIL, "Macie is not enabled in eu-west-1, which holds 2 bucket(s): exports, reports")
    outcome = enabled_where_s3_holds_data(session("PAUSED"), inv)
    assert outcome.status is Status.FAIL and outcome.message.startswith("Macie is paused in eu-west-1")


def test_region_without_buckets_is_skipped() -> None:
    inv = inventory(bucket("elsewhere", "us-east-1"), bucket("theirs", account="999999999999"))
    assert enabled_where_s3_holds_data(session(""), inv) == (Status.SKIP, "eu-west-1 holds no S3 bucket")


def test_bucket_of_unknown_region_is_error_not_skip() -> None:
    outcome = enabled_where_s3_holds_data(session(""), inventory(bucket("mystery", UNKNOWN_REGION)))
    assert outcome.status is Status.ERROR and "mystery" in outcome.message
