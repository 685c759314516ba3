"""Systems Manager in one region: which nodes are managed, and their patch compliance."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class PatchSummary(BaseModel):
    """Patch compliance of one managed node (ListResourceComplianceSummaries, ComplianceType Patch)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: str  # COMPLIANT or NON_COMPLIANT
    overall_severity: str = ""  # CRITICAL, HIGH ... UNSPECIFIED
    non_compliant_count: int = 0
    execution_time: str = ""  # when the last patch scan or install ran


class SsmRegion(Resource):
    """Systems Manager's view of one region. Each field is None when its read failed (unknown).

    managed maps the instance id of every node registered with Systems Manager to its PingStatus
    ("Online", "ConnectionLost", "Inactive"); patch and associations map node ids to their patch and
    State Manager association compliance.
    """

    type: ClassVar[str] = "AWS::SSM::ManagedNodes"
    managed: dict[str, str] | None = None
    patch: dict[str, PatchSummary] | None = None
    # State Manager association compliance per node, in the same shape (ComplianceType Association).
    associations: dict[str, PatchSummary] | None = None
