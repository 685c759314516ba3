"""Security Hub: one record per region, saying whether the hub is on and which standards it runs."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.securityhub import SecurityHubHub

DESCRIBE = "securityhub:DescribeHub"
STANDARDS = "securityhub:GetEnabledStandards"
PAGE_SIZE = 100


@collector(
    service="securityhub",
    produces=[SecurityHubHub],
    permissions=[DESCRIBE, STANDARDS],
    # "Account is not subscribed to AWS Security Hub": an answer (not enabled), not a failure
    absent={DESCRIBE: ["InvalidAccessException"]},
)
def collect_hub(ctx: Ctx) -> Iterator[SecurityHubHub]:
    sh = ctx.client("securityhub")
    hub = ctx.call(sh, "describe_hub")
    if hub is None:
        return  # unknown: the engine reports the region as ERROR
    arn = str(hub.get("HubArn") or ctx.arn("securityhub", "hub/default"))
    base = {"arn": arn, "id": ctx.region, "name": ctx.region, "account_id": ctx.account_id, "region": ctx.region}
    if not hub:
        yield SecurityHubHub(**base)
        return
    subs = list(ctx.paginate(sh, "get_enabled_standards", "StandardsSubscriptions", resource_arn=arn,
                             MaxResults=PAGE_SIZE))
    listed = not ctx.failed(STANDARDS, arn)
    yield SecurityHubHub(
        **base, enabled=True, subscribed_at=hub.get("SubscribedAt"), auto_enable_controls=hub.get("AutoEnableControls"),
        standards={str(s.get("StandardsArn")): str(s.get("StandardsStatus", "")) for s in subs} if listed else None,
    )
