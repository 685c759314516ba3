"""SNS: topics with their attributes; subscriptions listed once per region, not once per topic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
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


def _protocols(ctx: Ctx, sns: Any) -> dict[str, set[str]] | None:
    """Topic ARN -> protocols of its subscriptions; None when the listing failed."""
    out: dict[str, set[str]] = {}
    for s in ctx.paginate(sns, "list_subscriptions", "Subscriptions"):
        out.setdefault(str(s.get("TopicArn", "")), set()).add(str(s.get("Protocol", "")))
    return None if ctx.failed("sns:ListSubscriptions") else out


@collector(
    service="sns",
    produces=[SnsTopic],
    permissions=["sns:ListTopics", "sns:GetTopicAttributes", "sns:ListSubscriptions"],
)
def collect_topics(ctx: Ctx) -> Iterator[SnsTopic]:
    sns = ctx.client("sns")
    topics = [str(t["TopicArn"]) for t in ctx.paginate(sns, "list_topics", "Topics")]
    protocols = _protocols(ctx, sns) if topics else {}
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
