"""SNS subscriptions by topic, confirmed or not, for the alerting controls.

The sns collector keeps only the protocols of a topic's subscriptions; whether anyone confirmed them
(SubscriptionArn "PendingConfirmation" until the endpoint does) is read here from the same listing.
"""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.alerting import SnsSubscriptions

LIST = "sns:ListSubscriptions"


@collector(service="sns", produces=[SnsSubscriptions], permissions=[LIST])
def collect_subscriptions(ctx: Ctx) -> Iterator[SnsSubscriptions]:
    confirmed: dict[str, set[str]] = {}
    pending: dict[str, int] = {}
    for s in ctx.paginate(ctx.client("sns"), "list_subscriptions", "Subscriptions"):
        topic = str(s.get("TopicArn", ""))
        if str(s.get("SubscriptionArn", "")).startswith("arn:"):
            confirmed.setdefault(topic, set()).add(str(s.get("Protocol", "")))
        else:  # "PendingConfirmation" (or "Deleted"): nothing is delivered to that endpoint
            pending[topic] = pending.get(topic, 0) + 1
    if ctx.failed(LIST):
        return  # unknown: the engine reports the region as ERROR for the controls that need it
    yield SnsSubscriptions(arn=ctx.arn("sns", "subscriptions"), id=ctx.region, name=ctx.region,
                           account_id=ctx.account_id, region=ctx.region,
                           confirmed={t: tuple(sorted(p)) for t, p in confirmed.items()}, pending=pending)
