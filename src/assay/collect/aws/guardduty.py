"""GuardDuty: one record per scanned region, saying whether (and how) a detector runs there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.guardduty import GuardDutyDetector

PAGE_SIZE = 50  # the API's maximum: fewer calls, and never the service's implicit default


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


@collector(service="guardduty", produces=[GuardDutyDetector],
           permissions=["guardduty:ListDetectors", "guardduty:GetDetector"])
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
        )
