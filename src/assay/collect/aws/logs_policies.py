"""CloudWatch Logs: the region's resource policies, all from one DescribeResourcePolicies listing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.logs_policies import LogsResourcePolicies

LIST = "logs:DescribeResourcePolicies"


def _document(raw: Any) -> dict[str, Any] | None:
    try:
        doc = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


@collector(service="logs", produces=[LogsResourcePolicies], permissions=[LIST])
def collect_resource_policies(ctx: Ctx) -> Iterator[LogsResourcePolicies]:
    logs = ctx.client("logs")
    arn = ctx.arn("logs", "resource-policy:*")  # the region's record: a failed listing is an ERROR on it alone
    found = list(ctx.paginate(logs, "describe_resource_policies", "resourcePolicies", resource_arn=arn))
    yield LogsResourcePolicies(
        arn=arn, id=ctx.region, name=ctx.region, account_id=ctx.account_id, region=ctx.region,
        policies=None if ctx.failed(LIST, arn) else {
            str(p.get("policyName", "")): _document(p.get("policyDocument")) for p in found},
    )
