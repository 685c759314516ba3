"""AWS Config controls: pure functions over ConfigRecorder records (one per region)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assay.controls import config
from assay.models.base import GLOBAL, Account
from assay.models.findings import Status
from assay.models.inventory import Inventory, ScanMeta
from assay.models.resources.config import ConfigRecorder

ACCOUNT = "123456789012"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def recorder(region: str = "eu-west-1", **over: Any) -> ConfigRecorder:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:config:{region}:{ACCOUNT}:config-recorder/default", id="default", account_id=ACCOUNT,
        region=region, name="default", recorder_name="default", all_supported=True, include_global=False,
        strategy="ALL_SUPPORTED_RESOURCE_TYPES", recording=True, last_status="SUCCESS",
    )
    return ConfigRecorder(**{**base, **over})


def none_in(region: str) -> ConfigRecorder:
    return ConfigRecorder(arn=f"arn:aws:config:{region}:{ACCOUNT}:configuration-recorder", id=region,
                          account_id=ACCOUNT, region=region, name=region)


def inventory(*records: ConfigRecorder) -> tuple[Account, Inventory]:
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW)
    account = Account(arn=f"arn:aws:iam::{ACCOUNT}:root", id=ACCOUNT, account_id=ACCOUNT, region=GLOBAL)
    return account, Inventory(meta, [], [], [], records, [])


def test_recording_everything_passes() -> None:
    outcome = config.recorder_records_all_resources(recorder())
    assert outcome == (Status.PASS, "recorder default records every supported resource type in eu-west-1")


def test_strategy_alone_counts_as_all_supported() -> None:
    assert config.recorder_records_all_resources(recorder(all_supported=False)).status is Status.PASS


def test_region_without_recorder_fails() -> None:
    outcome = config.recorder_records_all_resources(none_in("ap-south-1"))
    assert outcome == (Status.FAIL, "no AWS Config recorder exists in ap-south-1")


def test_stopped_recorder_fails() -> None:
    outcome = config.recorder_records_all_resources(recorder(recording=False))
    assert outcome == (Status.FAIL, "recorder default in eu-west-1 is stopped")


def test_failing_recorder_fails() -> None:
    outcome = config.recorder_records_all_resources(recorder(last_status="FAILURE", last_error="AccessDenied"))
    assert outcome.status is Status.FAIL and "AccessDenied" in outcome.message


def test_partial_recording_fails_and_names_types() -> None:
    partial = recorder(all_supported=False, strategy="INCLUSION_BY_RESOURCE_TYPES",
                       resource_types=("AWS::EC2::Instance",))
    outcome = config.recorder_records_all_resources(partial)
    assert outcome.status is Status.FAIL
    assert "inclusion by resource types: AWS::EC2::Instance" in outcome.message


def test_unread_status_or_group_is_error() -> None:
    assert config.recorder_records_all_resources(recorder(recording=None)).status is Status.ERROR
    assert config.recorder_records_all_resources(recorder(all_supported=None, strategy=None)).status is Status.ERROR


def test_no_region_is_ever_not_applicable() -> None:
    for r in (recorder(), none_in("us-east-1"), recorder(recording=None), recorder(recording=False)):
        assert config.recorder_records_all_resources(r).status is not Status.SKIP


def test_global_types_recorded_in_one_region_pass() -> None:
    account, inv = inventory(recorder("us-east-1", include_global=True), recorder(), none_in("us-west-2"))
    outcome = config.global_resources_recorded(account, inv)
    assert outcome == (Status.PASS, "global resource types are recorded in us-east-1")


def test_global_types_recorded_nowhere_fail() -> None:
    account, inv = inventory(recorder("us-east-1"), none_in("eu-west-1"),
                             recorder("us-west-2", include_global=True, recording=False))
    outcome = config.global_resources_recorded(account, inv)
    assert outcome.status is Status.FAIL and "3 scanned regions" in outcome.message


def test_global_types_unknown_is_error() -> None:
    account, inv = inventory(recorder("us-east-1", recording=None), none_in("eu-west-1"))
    assert config.global_resources_recorded(account, inv).status is Status.ERROR
    account, empty = inventory()
    assert config.global_resources_recorded(account, empty).status is Status.ERROR  # no data is not "not recorded"
