"""CloudTrail resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


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
