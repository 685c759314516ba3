"""DataSync collector against moto's server, and ERROR when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.datasync import DataSyncTask
from tests.helpers import by_name, evaluate, findings_of, scan

CONTROL = "datasync.task_logging_enabled"
LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/datasync"


def _estate(seed: Any) -> None:
    ds = seed("datasync")
    src = ds.create_location_s3(S3BucketArn="arn:aws:s3:::a", S3Config={"BucketAccessRoleArn": "arn:r"})
    dst = ds.create_location_s3(S3BucketArn="arn:aws:s3:::b", S3Config={"BucketAccessRoleArn": "arn:r"})
    pair = {"SourceLocationArn": src["LocationArn"], "DestinationLocationArn": dst["LocationArn"]}
    ds.create_task(**pair, Name="good", CloudWatchLogGroupArn=LOGS, Options={"LogLevel": "TRANSFER"})
    ds.create_task(**pair, Name="bad")
    ds.create_task(**pair, Name="off", CloudWatchLogGroupArn=LOGS, Options={"LogLevel": "OFF"})


def test_collects_tasks_and_evaluates(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["datasync"])
    assert inv.complete
    tasks = {t.name: t for t in inv.of(DataSyncTask)}
    assert (tasks["good"].log_group_arn, tasks["good"].log_level) == (LOGS, "TRANSFER")
    assert tasks["bad"].log_group_arn == ""
    assert by_name(evaluate(inv), CONTROL) == {"good": "pass", "bad": "fail", "off": "fail"}


@pytest.mark.parametrize("action", ["datasync:ListTasks", "datasync:DescribeTask"])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    found = findings_of(evaluate(scan(access, ["datasync"])), CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(action in f.message for f in found)
