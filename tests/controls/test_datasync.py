"""DataSync controls: pure functions over DataSyncTask."""

from __future__ import annotations

from typing import Any

from assay.controls import datasync
from assay.models.findings import Status
from assay.models.resources.datasync import DataSyncTask

LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/datasync"


def task(**over: Any) -> DataSyncTask:
    base: dict[str, Any] = dict(arn="arn:aws:datasync:us-east-1:123456789012:task/task-1", id="task-1",
                                account_id="123456789012", region="us-east-1", log_group_arn=LOGS,
                                log_level="BASIC")
    return DataSyncTask(**{**base, **over})


def test_task_logging_enabled() -> None:
    assert datasync.task_logging_enabled(task()).status is Status.PASS
    assert datasync.task_logging_enabled(task(log_level="")).status is Status.PASS
    assert datasync.task_logging_enabled(task(log_group_arn="")).status is Status.FAIL
    off = datasync.task_logging_enabled(task(log_level="OFF"))
    assert off.status is Status.FAIL and "OFF" in off.message
    assert datasync.task_logging_enabled(task(log_group_arn=None)).status is Status.ERROR
    # no not-applicable case: every task copies data and can log
