"""Athena: workgroups and whether they publish query metrics to CloudWatch."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.athena import AthenaWorkGroup


@collector(service="athena", produces=[AthenaWorkGroup], permissions=["athena:ListWorkGroups", "athena:GetWorkGroup"])
def collect_workgroups(ctx: Ctx) -> Iterator[AthenaWorkGroup]:
    athena = ctx.client("athena")
    for summary in ctx.paginate(athena, "list_work_groups", "WorkGroups"):
        name = summary["Name"]
        arn = ctx.arn("athena", f"workgroup/{name}")
        got = ctx.call(athena, "get_work_group", resource_arn=arn, WorkGroup=name)
        config = (got or {}).get("WorkGroup", {}).get("Configuration", {})
        yield AthenaWorkGroup(
            arn=arn, id=name, account_id=ctx.account_id, region=ctx.region, name=name,
            state=summary.get("State", ""),
            publishes_metrics=None if got is None else bool(config.get("PublishCloudWatchMetricsEnabled", False)),
        )
