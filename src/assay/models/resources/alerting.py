"""SNS subscriptions of one region, by topic, split into confirmed and unconfirmed ones."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class SnsSubscriptions(Resource):
    """Every subscription of one region (ListSubscriptions), grouped by topic ARN.

    confirmed maps a topic to the protocols of its confirmed subscriptions; pending counts the
    subscriptions still waiting for their endpoint to confirm (SubscriptionArn "PendingConfirmation").
    A topic in neither map has no subscription at all. The record exists only when the listing succeeded.
    """

    type: ClassVar[str] = "AWS::SNS::Subscriptions"
    confirmed: dict[str, tuple[str, ...]] = {}
    pending: dict[str, int] = {}
