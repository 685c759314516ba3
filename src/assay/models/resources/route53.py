"""Route 53 resources (global)."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class Route53HostedZone(Resource):
    type: ClassVar[str] = "AWS::Route53::HostedZone"
    private: bool = False
    record_count: int = 0
    query_log_groups: tuple[str, ...] | None = None  # log group ARNs of query logging configs; None: not read
