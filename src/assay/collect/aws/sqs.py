"""SQS: every queue of the region and its attributes (ListQueues, then one GetQueueAttributes per queue:
SQS offers no call that returns attributes for many queues)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.sqs import SqsQueue

ATTRIBUTES = "sqs:GetQueueAttributes"
WANTED = ["QueueArn", "KmsMasterKeyId", "SqsManagedSseEnabled", "RedrivePolicy", "Policy", "MessageRetentionPeriod",
          "FifoQueue"]


def _json(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return {}
    try:
        doc = json.loads(raw)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


@collector(service="sqs", produces=[SqsQueue], permissions=["sqs:ListQueues", ATTRIBUTES],
           # the queue was deleted between the listing and the attributes call
           absent={ATTRIBUTES: ["AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"]})
def collect_queues(ctx: Ctx) -> Iterator[SqsQueue]:
    sqs = ctx.client("sqs")
    for url in ctx.paginate(sqs, "list_queues", "QueueUrls", MaxResults=1000):
        name = str(url).rstrip("/").rsplit("/", 1)[-1]
        arn = ctx.arn("sqs", name)
        got = ctx.call(sqs, "get_queue_attributes", resource_arn=arn, QueueUrl=url, AttributeNames=WANTED)
        base = {"arn": arn, "id": name, "name": name, "account_id": ctx.account_id, "region": ctx.region,
                "url": str(url), "fifo": name.endswith(".fifo")}
        if got is None:
            yield SqsQueue(**base)  # attributes unknown: every control reports ERROR for it
            continue
        if not got:
            continue  # deleted since it was listed
        attrs: dict[str, str] = got.get("Attributes") or {}
        redrive = _json(attrs.get("RedrivePolicy"))
        yield SqsQueue(
            **{**base, "arn": attrs.get("QueueArn") or arn}, kms_key_id=attrs.get("KmsMasterKeyId") or None,
            sqs_managed_sse=attrs.get("SqsManagedSseEnabled", "false").lower() == "true",
            dead_letter_target=None if redrive is None else str(redrive.get("deadLetterTargetArn") or ""),
            max_receive_count=int(redrive["maxReceiveCount"]) if redrive and "maxReceiveCount" in redrive else None,
            policy=_json(attrs.get("Policy")),
            retention_seconds=int(attrs["MessageRetentionPeriod"]) if "MessageRetentionPeriod" in attrs else None,
        )
