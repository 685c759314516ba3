"""GuardDuty: one record per scanned region, saying whether (and how) a detector runs there, how many
high-severity findings are left unarchived, with the oldest of them, and where findings are exported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.guardduty import (
    HIGH_SEVERITY,
    GuardDutyDetector,
    GuardDutyFinding,
    PublishingDestination,
)

PAGE_SIZE = 50  # the API's maximum (ListDetectors, ListFindings and GetFindings alike)
# Unarchived and at least high: the findings nobody has dealt with yet.
OPEN_HIGH = {"Criterion": {"severity": {"GreaterThanOrEqual": int(HIGH_SEVERITY)},
                           "service.archived": {"Equals": ["false"]}}}
OLDEST_FIRST = {"AttributeName": "createdAt", "OrderBy": "ASC"}


def _statuses(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Flatten GetDetector's nested DataSources into {"S3Logs": "ENABLED", "Kubernetes.AuditLogs": ...}."""
    out: dict[str, str] = {}
    for key, value in tree.items():
        if not isinstance(value, dict):
            continue
        path = f"{prefix}{key}"
        if isinstance(value.get("Status"), str):
            out[path] = value["Status"]
        out.update(_statuses(value, f"{path}."))
    return out


def _date(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _open_high_findings(ctx: Ctx, gd: Any, detector_id: str, arn: str) -> dict[str, Any]:
    """Count every open high finding (ids only, 50 a page), then read the details of the oldest batch.

    Sorted oldest first, one GetFindings call shows whether anything has waited too long, whatever
    the backlog: if the oldest 50 are recent, so are all the others.
    """
    ids = list(ctx.paginate(gd, "list_findings", "FindingIds", resource_arn=arn, DetectorId=detector_id,
                            FindingCriteria=OPEN_HIGH, SortCriteria=OLDEST_FIRST, MaxResults=PAGE_SIZE))
    if ctx.failed("guardduty:ListFindings", arn):
        return {}
    if not ids:
        return {"open_high_findings": 0, "oldest_high_findings": ()}
    got = ctx.call(gd, "get_findings", resource_arn=arn, DetectorId=detector_id, FindingIds=ids[:PAGE_SIZE],
                   SortCriteria=OLDEST_FIRST)
    if got is None:
        return {"open_high_findings": len(ids)}
    oldest = tuple(
        GuardDutyFinding(id=str(f.get("Id", "")), finding_type=str(f.get("Type", "")),
                         severity=float(f.get("Severity") or 0), created_at=_date(f.get("CreatedAt")),
                         resource_type=str((f.get("Resource") or {}).get("ResourceType", "")))
        for f in got.get("Findings") or []
    )
    return {"open_high_findings": len(ids), "oldest_high_findings": oldest}


def _destinations(ctx: Ctx, gd: Any, detector_id: str, arn: str) -> tuple[PublishingDestination, ...] | None:
    found = list(ctx.paginate(gd, "list_publishing_destinations", "Destinations", resource_arn=arn,
                              DetectorId=detector_id))
    if ctx.failed(DESTINATIONS, arn):
        return None
    return tuple(PublishingDestination(id=str(d.get("DestinationId", "")), destination_type=str(
        d.get("DestinationType") or "S3"), status=str(d.get("Status") or "")) for d in found)


DESTINATIONS = "guardduty:ListPublishingDestinations"


@collector(service="guardduty", produces=[GuardDutyDetector],
           permissions=["guardduty:ListDetectors", "guardduty:GetDetector", "guardduty:ListFindings",
                        "guardduty:GetFindings", DESTINATIONS])
def collect_detectors(ctx: Ctx) -> Iterator[GuardDutyDetector]:
    gd = ctx.client("guardduty")
    detector_ids = list(ctx.paginate(gd, "list_detectors", "DetectorIds", MaxResults=PAGE_SIZE))
    if ctx.failed("guardduty:ListDetectors"):
        return  # unknown, not "no detector": the engine reports the region as ERROR
    if not detector_ids:
        # No detector is a fact about the region; it gets a record so the control can fail it.
        yield GuardDutyDetector(arn=ctx.arn("guardduty", "detector"), id=ctx.region, account_id=ctx.account_id,
                                region=ctx.region, name=ctx.region)
        return
    for detector_id in detector_ids:
        arn = ctx.arn("guardduty", f"detector/{detector_id}")
        got = ctx.call(gd, "get_detector", resource_arn=arn, DetectorId=detector_id)
        detail = got or {}
        yield GuardDutyDetector(
            arn=arn, id=detector_id, account_id=ctx.account_id, region=ctx.region, name=ctx.region,
            tags={str(k): str(v) for k, v in (detail.get("Tags") or {}).items()},
            detector_id=detector_id,
            status=detail.get("Status") if got is not None else None,
            finding_publishing_frequency=detail.get("FindingPublishingFrequency"),
            service_role=detail.get("ServiceRole"),
            data_sources=_statuses(detail.get("DataSources") or {}),
            features={f["Name"]: f.get("Status", "") for f in detail.get("Features") or [] if f.get("Name")},
            **_open_high_findings(ctx, gd, detector_id, arn),
            publishing_destinations=_destinations(ctx, gd, detector_id, arn),
        )
