"""GuardDuty resources."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource

HIGH_SEVERITY = 7.0  # GuardDuty's bands: low 1-3.9, medium 4-6.9, high 7-8.9, critical 9-10


class GuardDutyFinding(BaseModel):
    """One unarchived finding of high or critical severity, as GetFindings reports it (no evidence details)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    finding_type: str
    severity: float
    created_at: datetime | None = None  # None: AWS gave no parsable date
    resource_type: str = ""


class PublishingDestination(BaseModel):
    """Where a detector exports its findings (ListPublishingDestinations)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    destination_type: str = "S3"
    status: str = ""  # PUBLISHING, PENDING_VERIFICATION, PUBLISHING_FAILED or STOPPED


class GuardDutyDetector(Resource):
    """GuardDuty's state in one region: the region's detector, or a record saying it has none.

    The collector emits one record per scanned region (detector_id None when the region has no
    detector) so that "GuardDuty runs in every region" is judged region by region.
    """

    type: ClassVar[str] = "AWS::GuardDuty::Detector"
    detector_id: str | None = None  # None: the region has no detector
    # From GetDetector; None: no detector, or the read failed.
    status: str | None = None  # "ENABLED" or "DISABLED" (suspended)
    finding_publishing_frequency: str | None = None  # FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS
    service_role: str | None = None
    data_sources: dict[str, str] = {}  # "S3Logs" / "Kubernetes.AuditLogs" -> "ENABLED" | "DISABLED"
    features: dict[str, str] = {}  # "S3_DATA_EVENTS", "RUNTIME_MONITORING", ... -> status
    # Unarchived findings with severity >= 7 (ListFindings); None: no detector, or not read.
    open_high_findings: int | None = None
    # The oldest of them (up to one GetFindings batch, oldest first); None: not read.
    oldest_high_findings: tuple[GuardDutyFinding, ...] | None = None
    # Where findings are exported (ListPublishingDestinations); None: no detector, or not read.
    publishing_destinations: tuple[PublishingDestination, ...] | None = None

    @property
    def enabled(self) -> bool | None:
        """True/False for a read detector; False when there is none; None when it could not be read."""
        if self.detector_id is None:
            return False
        return None if self.status is None else self.status == "ENABLED"
