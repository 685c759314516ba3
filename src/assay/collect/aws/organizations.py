"""AWS Organizations: is the account governed by an organisation, and which custom SCPs are attached where."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.organizations import Organization

DESCRIBE = "organizations:DescribeOrganization"
LIST_POLICIES = "organizations:ListPolicies"
LIST_TARGETS = "organizations:ListTargetsForPolicy"
SCP = "SERVICE_CONTROL_POLICY"


def _custom_scps(ctx: Ctx, org: Any, arn: str) -> dict[str, tuple[str, ...]] | None:
    """Every SCP except AWS's default FullAWSAccess, with its targets. None if any read failed."""
    policies = list(ctx.paginate(org, "list_policies", "Policies", resource_arn=arn, Filter=SCP))
    if ctx.failed(LIST_POLICIES, arn):
        return None
    out: dict[str, tuple[str, ...]] = {}
    for p in policies:
        if p.get("AwsManaged") or p.get("Name") == "FullAWSAccess":
            continue
        targets = list(ctx.paginate(org, "list_targets_for_policy", "Targets", resource_arn=arn, PolicyId=p["Id"]))
        out[str(p.get("Name") or p["Id"])] = tuple(f"{t.get('Type')} {t.get('Name') or t.get('TargetId')}"
                                                   for t in targets)
    return None if ctx.failed(LIST_TARGETS, arn) else out


@collector(
    service="organizations",
    scope="global",
    produces=[Organization],
    permissions=[DESCRIBE, LIST_POLICIES, LIST_TARGETS],
    absent={DESCRIBE: ["AWSOrganizationsNotInUseException"]},
)
def collect_organization(ctx: Ctx) -> Iterator[Organization]:
    org = ctx.client("organizations")
    got = ctx.call(org, "describe_organization")
    if got is None:
        return  # unknown: the engine reports it as ERROR
    detail = got.get("Organization") or {}
    if not detail:
        yield Organization(arn=ctx.arn("organizations", "organization", region=""), id=ctx.account_id,
                           account_id=ctx.account_id, region=ctx.region, name="no organization")
        return
    # The account's own ARN in the organisation: unique per account, so one account's failed read
    # never marks another account's record (the organisation's ARN is shared by all of them).
    org_id = str(detail.get("Id", ""))
    arn = f"arn:{ctx.partition}:organizations::{detail.get('MasterAccountId', '')}:account/{org_id}/{ctx.account_id}"
    yield Organization(
        arn=arn, id=org_id, account_id=ctx.account_id, region=ctx.region,
        name=str(detail.get("Id", "")), in_organization=True, org_id=detail.get("Id"),
        management_account_id=detail.get("MasterAccountId"), feature_set=detail.get("FeatureSet"),
        scps=_custom_scps(ctx, org, arn) if detail.get("FeatureSet") != "CONSOLIDATED_BILLING" else {},
    )
