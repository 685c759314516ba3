"""CloudWatch resources: metric alarms."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class MetricRef(BaseModel):
    """One metric an alarm reads: namespace, name and the names of the dimensions it selects."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    namespace: str
    metric_name: str
    dimensions: tuple[str, ...] = ()


class MetricAlarm(Resource):
    type: ClassVar[str] = "AWS::CloudWatch::Alarm"
    # Every metric the alarm reads: one for a plain alarm, each MetricStat of a metric-math alarm.
    metrics: tuple[MetricRef, ...] = ()
    actions_enabled: bool
    alarm_actions: tuple[str, ...] = ()
    ok_actions: tuple[str, ...] = ()
    insufficient_data_actions: tuple[str, ...] = ()
    state: str = ""

    def watches(self, namespace: str, metric_name: str, dimensions: tuple[str, ...] = ()) -> bool:
        """True when the alarm reads this metric with exactly these dimension names."""
        want = MetricRef(namespace=namespace, metric_name=metric_name, dimensions=tuple(sorted(dimensions)))
        return want in self.metrics
