"""Systems Manager: one record per region with its managed nodes, their patch compliance and their State
Manager association compliance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.ssm import PatchSummary, SsmRegion

NODES = "ssm:DescribeInstanceInformation"
COMPLIANCE = "ssm:ListResourceComplianceSummaries"
PATCH_FILTER = [{"Key": "ComplianceType", "Values": ["Patch"], "Type": "EQUAL"}]
ASSOCIATION_FILTER = [{"Key": "ComplianceType", "Values": ["Association"], "Type": "EQUAL"}]


def _summary(item: dict[str, Any]) -> PatchSummary:
    executed = (item.get("ExecutionSummary") or {}).get("ExecutionTime")
    return PatchSummary(
        status=str(item.get("Status", "")), overall_severity=str(item.get("OverallSeverity", "")),
        non_compliant_count=int((item.get("NonCompliantSummary") or {}).get("NonCompliantCount", 0) or 0),
        execution_time=executed.isoformat() if isinstance(executed, datetime) else str(executed or ""),
    )


@collector(service="ssm", produces=[SsmRegion], permissions=[NODES, COMPLIANCE])
def collect_managed_nodes(ctx: Ctx) -> Iterator[SsmRegion]:
    ssm = ctx.client("ssm")
    nodes = {str(n.get("InstanceId", "")): str(n.get("PingStatus", ""))
             for n in ctx.paginate(ssm, "describe_instance_information", "InstanceInformationList")}
    yield SsmRegion(
        arn=ctx.arn("ssm", "managed-instance-inventory"), id=ctx.region, name=ctx.region,
        account_id=ctx.account_id, region=ctx.region,
        managed=None if ctx.failed(NODES) else nodes,
        patch=_compliance(ctx, ssm, PATCH_FILTER), associations=_compliance(ctx, ssm, ASSOCIATION_FILTER),
    )


def _compliance(ctx: Ctx, ssm: Any, filters: list[dict[str, Any]]) -> dict[str, PatchSummary] | None:
    """One compliance type's summaries by node; None when that listing failed (both share one IAM action)."""
    before = len(ctx.errors)
    items = list(ctx.paginate(ssm, "list_resource_compliance_summaries", "ResourceComplianceSummaryItems",
                              Filters=filters))
    if any(e.operation == COMPLIANCE for e in ctx.errors[before:]):
        return None
    return {str(i.get("ResourceId", "")): _summary(i) for i in items}
