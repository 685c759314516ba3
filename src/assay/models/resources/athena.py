"""Athena resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class AthenaWorkGroup(Resource):
    type: ClassVar[str] = "AWS::Athena::WorkGroup"
    state: str = ""  # ENABLED or DISABLED
    publishes_metrics: bool | None = None  # Configuration.PublishCloudWatchMetricsEnabled; None: not read
