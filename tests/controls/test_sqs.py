"""SQS controls: pure functions over SqsQueue."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assay.controls import sqs
from assay.models.findings import Status
from assay.models.inventory import Inventory, ScanMeta
from assay.models.resources.sqs import SqsQueue

P, F, S, E = Status.PASS, Status.FAIL, Status.SKIP, Status.ERROR
ARN = "arn:aws:sqs:us-east-1:123456789012:{}"


def queue(name: str = "orders", **over: Any) -> SqsQueue:
    base: dict[str, Any] = dict(arn=ARN.format(name), id=name, name=name, account_id="123456789012",
                                region="us-east-1", sqs_managed_sse=True, dead_letter_target=ARN.format("orders-dlq"),
                                max_receive_count=5, policy={})
    return SqsQueue(**{**base, **over})


def inventory(*queues: SqsQueue) -> Inventory:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    return Inventory(ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now), [], [], [],
                     list(queues), [])


UNREAD = dict(sqs_managed_sse=None, dead_letter_target=None, policy=None)


def test_queue_encrypted() -> None:
    assert sqs.queue_encrypted(queue()) == (P, "messages are encrypted with SQS-managed keys")
    assert sqs.queue_encrypted(queue(sqs_managed_sse=False, kms_key_id="alias/queues")).status is P
    assert sqs.queue_encrypted(queue(sqs_managed_sse=False)) == (F, "queue orders stores messages unencrypted")
    assert sqs.queue_encrypted(queue(**UNREAD)).status is E


def test_queue_has_dead_letter_queue() -> None:
    orders, dlq = queue(), queue("orders-dlq", dead_letter_target="")
    inv = inventory(orders, dlq)
    assert sqs.queue_has_dead_letter_queue(orders, inv) == (P, "messages move to orders-dlq after 5 failed receives")
    assert sqs.queue_has_dead_letter_queue(dlq, inv).status is S
    lonely = queue("events", dead_letter_target="")
    out = sqs.queue_has_dead_letter_queue(lonely, inventory(lonely))
    assert out.status is F and "events" in out.message
    assert sqs.queue_has_dead_letter_queue(queue(**UNREAD), inv).status is E
    assert sqs.queue_has_dead_letter_queue(queue(dead_letter_target=None), inv).status is E


OPEN = {"Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
                       "Resource": ARN.format("orders")}]}


def test_queue_policy_not_public() -> None:
    assert sqs.queue_policy_not_public(queue()).status is P
    narrowed = {"Statement": [{**OPEN["Statement"][0],
                               "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:1:t"}}}]}
    assert sqs.queue_policy_not_public(queue(policy=narrowed)).status is P
    assert sqs.queue_policy_not_public(queue(policy=OPEN)) == \
        (F, "queue orders allows everyone with no condition: Anyone")
    assert sqs.queue_policy_not_public(queue(**UNREAD)).status is E
    assert sqs.queue_policy_not_public(queue(policy=None)).status is E
