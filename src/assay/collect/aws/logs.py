"""CloudWatch Logs: log groups, and the metric filters on them (all filters of a region in one listing)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.logs import LogGroup, MetricFilter, MetricTransformation


@collector(service="logs", produces=[LogGroup], permissions=["logs:DescribeLogGroups"])
def collect_log_groups(ctx: Ctx) -> Iterator[LogGroup]:
    logs = ctx.client("logs")
    for g in ctx.paginate(logs, "describe_log_groups", "logGroups"):
        name = g["logGroupName"]
        # "arn" ends in ":*"; logGroupArn (newer) does not. The bare form is the resource's ARN.
        arn = g.get("logGroupArn") or str(g.get("arn") or ctx.arn("logs", f"log-group:{name}")).removesuffix(":*")
        retention = g.get("retentionInDays")
        yield LogGroup(
            arn=arn, id=name, name=name, account_id=ctx.account_id, region=ctx.region,
            retention_in_days=int(retention) if retention is not None else None,
            kms_key_id=g.get("kmsKeyId") or None, stored_bytes=int(g.get("storedBytes") or 0),
        )


def _transformation(t: dict[str, Any]) -> MetricTransformation:
    return MetricTransformation(
        metric_name=t.get("metricName", ""), namespace=t.get("metricNamespace", ""),
        value=str(t.get("metricValue", "")), dimensions=tuple(sorted((t.get("dimensions") or {}).keys())),
    )


@collector(service="logs", produces=[MetricFilter], permissions=["logs:DescribeMetricFilters"])
def collect_metric_filters(ctx: Ctx) -> Iterator[MetricFilter]:
    logs = ctx.client("logs")
    # Without logGroupName the call lists every filter in the region: one listing, not one per group.
    for f in ctx.paginate(logs, "describe_metric_filters", "metricFilters"):
        group, name = f.get("logGroupName", ""), f.get("filterName", "")
        yield MetricFilter(
            arn=ctx.arn("logs", f"log-group:{group}:metric-filter:{name}"), id=f"{group}/{name}", name=name,
            account_id=ctx.account_id, region=ctx.region, log_group_name=group,
            pattern=f.get("filterPattern", ""),
            transformations=tuple(_transformation(t) for t in f.get("metricTransformations") or []),
        )
