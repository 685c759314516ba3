"""SNS: topics with their attributes, and every subscription of the region (confirmed or pending),
listed once per region, not once per topic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.alerting import SnsSubscriptions
from assay.models.resources.sns import SnsTopic

FEEDBACK_PREFIXES = ("HTTP", "SQS", "Lambda", "Application", "Firehose")


def _policy(ctx: Ctx, text: str, arn: str) -> dict[str, Any] | None:
    if not text:
        return {}
    try:
        doc = json.loads(text)
    except ValueError as exc:  # recorded as a parse error: the policy stays unknown
        ctx.record("sns:GetTopicAttributes", exc, arn)
        return None
    return doc if isinstance(doc, dict) else None


def _subscriptions(ctx: Ctx, sns: Any) -> list[dict[str, Any]] | None:
    """Every subscription of the region, listed once; None when the listing failed."""
    found = list(ctx.paginate(sns, "list_subscriptions", "Subscriptions"))
    return None if ctx.failed("sns:ListSubscriptions") else found


def _by_topic(subscriptions: list[dict[str, Any]], confirmed_only: bool = False) -> dict[str, set[str]]:
    """Topic ARN -> protocols of its subscriptions (only confirmed ones: SubscriptionArn is an ARN)."""
    out: dict[str, set[str]] = {}
    for s in subscriptions:
        if confirmed_only and not str(s.get("SubscriptionArn", "")).startswith("arn:"):
            continue  # "PendingConfirmation": nothing is delivered to that endpoint yet
        out.setdefault(str(s.get("TopicArn", "")), set()).add(str(s.get("Protocol", "")))
    return out


@collector(
    service="sns",
    produces=[SnsTopic, SnsSubscriptions],
    permissions=["sns:ListTopics", "sns:GetTopicAttributes", "sns:ListSubscriptions"],
)
def collect_topics(ctx: Ctx) -> Iterator[SnsTopic | SnsSubscriptions]:
    sns = ctx.client("sns")
    topics = [str(t["TopicArn"]) for t in ctx.paginate(sns, "list_topics", "Topics")]
    subscriptions = _subscriptions(ctx, sns)
    protocols = None if subscriptions is None else _by_topic(subscriptions)
    for arn in topics:
        answer = ctx.call(sns, "get_topic_attributes", resource_arn=arn, TopicArn=arn)
        attrs: dict[str, str] = (answer or {}).get("Attributes") or {}
        yield SnsTopic(
            arn=arn, id=arn.rsplit(":", 1)[-1], name=arn.rsplit(":", 1)[-1], account_id=ctx.account_id,
            region=ctx.region,
            kms_master_key_id=None if answer is None else attrs.get("KmsMasterKeyId", ""),
            policy=None if answer is None else _policy(ctx, attrs.get("Policy", ""), arn),
            failure_feedback_roles=None if answer is None else {
                p: attrs[f"{p}FailureFeedbackRoleArn"] for p in FEEDBACK_PREFIXES
                if attrs.get(f"{p}FailureFeedbackRoleArn")},
            subscription_protocols=None if protocols is None else tuple(sorted(protocols.get(arn, ()))),
        )
    if subscriptions is not None:  # unknown otherwise: the engine reports the region as ERROR
        confirmed = _by_topic(subscriptions, confirmed_only=True)
        pending: dict[str, int] = {}
        for s in subscriptions:
            if not str(s.get("SubscriptionArn", "")).startswith("arn:"):
                pending[str(s.get("TopicArn", ""))] = pending.get(str(s.get("TopicArn", "")), 0) + 1
        yield SnsSubscriptions(arn=ctx.arn("sns", "subscriptions"), id=ctx.region, name=ctx.region,
                               account_id=ctx.account_id, region=ctx.region,
                               confirmed={t: tuple(sorted(p)) for t, p in confirmed.items()}, pending=pending)
