"""CloudWatch Logs resources: log groups and the metric filters that turn log events into metrics."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class LogGroup(Resource):
    """A log group, read from DescribeLogGroups (the listing itself: no per-group read can fail)."""

    type: ClassVar[str] = "AWS::Logs::LogGroup"
    retention_in_days: int | None = None  # None: events never expire
    kms_key_id: str | None = None  # None: encrypted with a CloudWatch Logs-owned key
    stored_bytes: int = 0


class MetricTransformation(BaseModel):
    """Where a metric filter publishes: the metric (namespace, name) its matches count towards."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric_name: str
    namespace: str
    value: str = ""
    dimensions: tuple[str, ...] = ()  # dimension names; an alarm must use exactly these to see the data


class MetricFilter(Resource):
    """A metric filter on a log group. AWS gives filters no ARN; `arn` is a stable key built from
    the log group and filter names."""

    type: ClassVar[str] = "AWS::Logs::MetricFilter"
    log_group_name: str
    pattern: str
    transformations: tuple[MetricTransformation, ...] = ()
