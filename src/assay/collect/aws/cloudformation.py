"""CloudFormation: every live stack with its drift status.

DescribeStacks without a stack name pages through every stack that is not deleted, drift information
included, so no ListStacks is needed. Assay never starts drift detection (DetectStackDrift is a write
that runs for minutes): it reports what the last detection found.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.cloudformation import CloudFormationStack


@collector(service="cloudformation", produces=[CloudFormationStack], permissions=["cloudformation:DescribeStacks"])
def collect_stacks(ctx: Ctx) -> Iterator[CloudFormationStack]:
    cfn = ctx.client("cloudformation")
    for s in ctx.paginate(cfn, "describe_stacks", "Stacks"):
        drift = s.get("DriftInformation")
        checked = (drift or {}).get("LastCheckTimestamp")
        yield CloudFormationStack(
            arn=str(s["StackId"]), id=str(s["StackId"]), name=str(s.get("StackName", "")),
            account_id=ctx.account_id, region=ctx.region, tags=tags_from(s.get("Tags")),
            status=str(s.get("StackStatus", "")),
            drift_status=str(drift.get("StackDriftStatus", "")) or None if drift else None,
            drift_checked_at=checked.isoformat() if isinstance(checked, datetime) else str(checked or ""),
            parent_id=str(s.get("ParentId", "")),
        )
