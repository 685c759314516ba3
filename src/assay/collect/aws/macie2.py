"""Amazon Macie: one record per region saying whether Macie is enabled there."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.macie2 import MacieSession

SESSION = "macie2:GetMacieSession"


@collector(
    service="macie2",
    produces=[MacieSession],
    permissions=[SESSION],
    # AWS answers a region where Macie was never enabled with AccessDeniedException "Macie is not enabled"
    # (a real denial carries the same code, hence the fragment). ResourceNotFoundException is the other
    # documented way to say there is no session.
    absent={SESSION: ["AccessDeniedException: Macie is not enabled", "ResourceNotFoundException"]},
)
def collect_session(ctx: Ctx) -> Iterator[MacieSession]:
    session = ctx.call(ctx.client("macie2"), "get_macie_session")
    if session is None:
        return  # unknown: the engine reports the region as ERROR
    yield MacieSession(arn=ctx.arn("macie2", "session"), id=ctx.region, name=ctx.region,
                       account_id=ctx.account_id, region=ctx.region, status=str(session.get("status", "")),
                       finding_publishing_frequency=str(session.get("findingPublishingFrequency", "")))
