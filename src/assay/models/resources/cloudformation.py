"""CloudFormation stacks and what AWS last found when it checked them for drift."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class CloudFormationStack(Resource):
    """A live stack (deleted stacks are not collected).

    drift_status is DriftInformation.StackDriftStatus: "IN_SYNC", "DRIFTED", "NOT_CHECKED" or "UNKNOWN";
    None when AWS returned no drift information at all.
    """

    type: ClassVar[str] = "AWS::CloudFormation::Stack"
    status: str
    drift_status: str | None = None
    drift_checked_at: str = ""  # DriftInformation.LastCheckTimestamp, ISO 8601; "" when never checked
    parent_id: str = ""  # the parent stack of a nested stack
