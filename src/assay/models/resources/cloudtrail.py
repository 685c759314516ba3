"""CloudTrail resources."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class DataEvents(BaseModel):
    """One selection of data events a trail records: a resource type, which resources, reads and writes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    resource_type: str  # "AWS::S3::Object", "AWS::Lambda::Function", ...
    # ARN prefixes the selection is limited to; () means every resource of the type.
    arn_prefixes: tuple[str, ...] = ()
    reads: bool = True
    writes: bool = True

    @property
    def all_resources(self) -> bool:
        return not self.arn_prefixes


class Trail(Resource):
    """A trail, collected once, in its home region (shadow copies in other regions are skipped)."""

    type: ClassVar[str] = "AWS::CloudTrail::Trail"
    home_region: str
    is_multi_region: bool
    is_organization_trail: bool = False
    log_file_validation: bool
    s3_bucket_name: str | None = None
    kms_key_id: str | None = None
    cloudwatch_logs_log_group_arn: str | None = None
    cloudwatch_logs_role_arn: str | None = None
    # From GetTrailStatus; None: not read.
    is_logging: bool | None = None
    latest_cloudwatch_logs_delivery_error: str | None = None  # "" when the last delivery had no error
    # From GetEventSelectors; None: not read. Management events the trail records:
    # "All", "ReadOnly", "WriteOnly", or "" when it records none.
    management_events: str | None = None
    # From DescribeTrails; None: not collected (snapshots older than these fields).
    include_global_service_events: bool | None = None
    # From GetEventSelectors; None: not read. Event sources excluded from management events.
    excluded_management_sources: tuple[str, ...] | None = None
    data_events: tuple[DataEvents, ...] | None = None
