"""CloudWatch: metric alarms, with the metrics they read and the actions they take."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.cloudwatch import MetricAlarm, MetricRef


def _ref(namespace: str, name: str, dimensions: list[dict[str, Any]] | None) -> MetricRef:
    return MetricRef(namespace=namespace, metric_name=name,
                     dimensions=tuple(sorted(str(d.get("Name", "")) for d in dimensions or [])))


def _metrics(alarm: dict[str, Any]) -> tuple[MetricRef, ...]:
    if alarm.get("MetricName"):
        return (_ref(alarm.get("Namespace", ""), alarm["MetricName"], alarm.get("Dimensions")),)
    # A metric-math alarm names its inputs in Metrics[].MetricStat.
    out = []
    for m in alarm.get("Metrics") or []:
        metric = (m.get("MetricStat") or {}).get("Metric") or {}
        if metric.get("MetricName"):
            out.append(_ref(metric.get("Namespace", ""), metric["MetricName"], metric.get("Dimensions")))
    return tuple(out)


@collector(service="cloudwatch", produces=[MetricAlarm], permissions=["cloudwatch:DescribeAlarms"])
def collect_alarms(ctx: Ctx) -> Iterator[MetricAlarm]:
    cw = ctx.client("cloudwatch")
    for a in ctx.paginate(cw, "describe_alarms", "MetricAlarms", AlarmTypes=["MetricAlarm"]):
        name = a["AlarmName"]
        yield MetricAlarm(
            arn=a.get("AlarmArn") or ctx.arn("cloudwatch", f"alarm:{name}"), id=name, name=name,
            account_id=ctx.account_id, region=ctx.region, metrics=_metrics(a),
            actions_enabled=bool(a.get("ActionsEnabled", False)),
            alarm_actions=tuple(a.get("AlarmActions") or ()), ok_actions=tuple(a.get("OKActions") or ()),
            insufficient_data_actions=tuple(a.get("InsufficientDataActions") or ()),
            state=a.get("StateValue", ""),
        )
