"""CloudTrail: trails in their home region, their logging status and which management events they record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.cloudtrail import DataEvents, Trail

_COVERAGE = {(True, True): "All", (True, False): "ReadOnly", (False, True): "WriteOnly", (False, False): ""}
# Operators that narrow a field to the listed values; the negative ones (NotEquals, ...) only exclude.
_NARROWING = ("Equals", "StartsWith", "EndsWith")


def _classic(selector: dict[str, Any]) -> tuple[bool, bool]:
    """(reads, writes) of management events one classic event selector records."""
    if not selector.get("IncludeManagementEvents", True):
        return False, False
    rw = selector.get("ReadWriteType", "All")
    return rw in ("All", "ReadOnly"), rw in ("All", "WriteOnly")


def _advanced(selector: dict[str, Any]) -> tuple[bool, bool]:
    """(reads, writes) of management events one advanced event selector records.

    A selector counts only if it selects eventCategory=Management; its readOnly field picks reads,
    writes or both. Exclusions (NotEquals eventSource, e.g. KMS or RDS Data API noise) still count as
    recording management events; a field narrowed to some values (Equals/StartsWith/EndsWith) does not.
    """
    fields = {f.get("Field"): f for f in selector.get("FieldSelectors") or []}
    category = fields.pop("eventCategory", {})
    if "Management" not in category.get("Equals", []):
        return False, False
    read_only = fields.pop("readOnly", {})
    if any(op in read_only for op in ("StartsWith", "EndsWith", "NotStartsWith", "NotEndsWith")):
        return False, False
    allowed = {"true", "false"}
    if "Equals" in read_only:
        allowed &= {str(v).lower() for v in read_only["Equals"]}
    allowed -= {str(v).lower() for v in read_only.get("NotEquals", [])}
    if any(op in f for f in fields.values() for op in _NARROWING):
        return False, False
    return "true" in allowed, "false" in allowed


def management_events(selectors: dict[str, Any]) -> str:
    """"All", "ReadOnly", "WriteOnly" or "" from a GetEventSelectors answer (classic or advanced)."""
    reads = writes = False
    for r, w in [*map(_classic, selectors.get("EventSelectors") or []),
                 *map(_advanced, selectors.get("AdvancedEventSelectors") or [])]:
        reads, writes = reads or r, writes or w
    return _COVERAGE[(reads, writes)]


def excluded_sources(selectors: dict[str, Any]) -> tuple[str, ...]:
    """Event sources a trail leaves out of the management events it records."""
    out: list[str] = []
    for sel in selectors.get("EventSelectors") or []:
        if sel.get("IncludeManagementEvents", True):
            out += [str(s) for s in sel.get("ExcludeManagementEventSources") or []]
    for sel in selectors.get("AdvancedEventSelectors") or []:
        fields = {f.get("Field"): f for f in sel.get("FieldSelectors") or []}
        if "Management" in fields.get("eventCategory", {}).get("Equals", []):
            out += [str(s) for s in fields.get("eventSource", {}).get("NotEquals", [])]
    return tuple(sorted(set(out)))


def _classic_data(selector: dict[str, Any]) -> list[DataEvents]:
    rw = selector.get("ReadWriteType", "All")
    reads, writes = rw in ("All", "ReadOnly"), rw in ("All", "WriteOnly")
    out = []
    for res in selector.get("DataResources") or []:
        # A bare service prefix ("arn:aws:s3", "arn:aws:s3:::", "arn:aws:lambda") selects every resource.
        values = tuple(str(v) for v in res.get("Values") or [])
        everything = any(v.rstrip(":") in _SERVICE_WIDE for v in values)
        out.append(DataEvents(resource_type=str(res.get("Type", "")), arn_prefixes=() if everything else values,
                              reads=reads, writes=writes))
    return out


# The classic selector values that mean "all resources of the type" (and their partition variants).
_SERVICE_WIDE = {f"arn:{p}:{s}" for p in ("aws", "aws-cn", "aws-us-gov") for s in ("s3", "lambda", "dynamodb")}


def _advanced_data(selector: dict[str, Any]) -> list[DataEvents]:
    """Data events of one advanced selector; a selector that narrows anything but the ARN by value is skipped
    (e.g. only some event names), since it no longer records every access."""
    fields = {f.get("Field"): f for f in selector.get("FieldSelectors") or []}
    if "Data" not in fields.pop("eventCategory", {}).get("Equals", []):
        return []
    types = fields.pop("resources.type", {}).get("Equals", [])
    arn = fields.pop("resources.ARN", {})
    read_only = fields.pop("readOnly", {})
    if any(op in f for f in fields.values() for op in _NARROWING) or set(arn) - {"Field", "StartsWith", "Equals"}:
        return []
    allowed = {"true", "false"}
    if "Equals" in read_only:
        allowed &= {str(v).lower() for v in read_only["Equals"]}
    allowed -= {str(v).lower() for v in read_only.get("NotEquals", [])}
    prefixes = tuple(str(v) for op in ("StartsWith", "Equals") for v in arn.get(op, []))
    if any(p.rstrip(":") in _SERVICE_WIDE for p in prefixes):
        prefixes = ()
    return [DataEvents(resource_type=str(t), arn_prefixes=prefixes, reads="true" in allowed,
                       writes="false" in allowed) for t in types]


def data_events(selectors: dict[str, Any]) -> tuple[DataEvents, ...]:
    """The data events a GetEventSelectors answer records (classic or advanced selectors)."""
    found = [d for sel in selectors.get("EventSelectors") or [] for d in _classic_data(sel)]
    found += [d for sel in selectors.get("AdvancedEventSelectors") or [] for d in _advanced_data(sel)]
    return tuple(found)


@collector(
    service="cloudtrail",
    produces=[Trail],
    permissions=["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"],
)
def collect_trails(ctx: Ctx) -> Iterator[Trail]:
    ct = ctx.client("cloudtrail")
    # Without shadow trails each region lists only the trails whose home it is: each trail once.
    described = ctx.call(ct, "describe_trails", includeShadowTrails=False)
    for t in (described or {}).get("trailList", []):
        home = t.get("HomeRegion") or ctx.region
        if home != ctx.region:
            continue  # a copy of a trail collected in its own home region
        arn = t["TrailARN"]
        status = ctx.call(ct, "get_trail_status", resource_arn=arn, Name=arn)
        selectors = ctx.call(ct, "get_event_selectors", resource_arn=arn, TrailName=arn)
        yield Trail(
            arn=arn, id=t.get("Name", arn), name=t.get("Name", ""), account_id=ctx.account_id, region=home,
            home_region=home,
            is_multi_region=bool(t.get("IsMultiRegionTrail", False)),
            is_organization_trail=bool(t.get("IsOrganizationTrail", False)),
            log_file_validation=bool(t.get("LogFileValidationEnabled", False)),
            s3_bucket_name=t.get("S3BucketName"),
            kms_key_id=t.get("KmsKeyId"),
            cloudwatch_logs_log_group_arn=t.get("CloudWatchLogsLogGroupArn"),
            cloudwatch_logs_role_arn=t.get("CloudWatchLogsRoleArn"),
            is_logging=None if status is None else bool(status.get("IsLogging", False)),
            latest_cloudwatch_logs_delivery_error=(
                None if status is None else str(status.get("LatestCloudWatchLogsDeliveryError") or "")),
            management_events=None if selectors is None else management_events(selectors),
            include_global_service_events=bool(t.get("IncludeGlobalServiceEvents", False)),
            excluded_management_sources=None if selectors is None else excluded_sources(selectors),
            data_events=None if selectors is None else data_events(selectors),
        )
