"""DataSync: tasks and where (and whether) they log."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.datasync import DataSyncTask


@collector(service="datasync", produces=[DataSyncTask], permissions=["datasync:ListTasks", "datasync:DescribeTask"])
def collect_tasks(ctx: Ctx) -> Iterator[DataSyncTask]:
    datasync = ctx.client("datasync")
    for summary in ctx.paginate(datasync, "list_tasks", "Tasks"):
        arn = summary["TaskArn"]
        got = ctx.call(datasync, "describe_task", resource_arn=arn, TaskArn=arn)
        task = got or {}
        yield DataSyncTask(
            arn=arn, id=arn.rsplit("/", 1)[-1], account_id=ctx.account_id, region=ctx.region,
            name=summary.get("Name") or task.get("Name") or "", status=summary.get("Status", ""),
            log_group_arn=None if got is None else task.get("CloudWatchLogGroupArn") or "",
            log_level=str((task.get("Options") or {}).get("LogLevel") or ""),
        )
