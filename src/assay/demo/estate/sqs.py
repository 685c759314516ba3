"""Northwind's queues: the order queue is encrypted, sends poison messages to its dead-letter queue and
takes messages only from the order topic; the legacy import queue is unencrypted, has no dead-letter queue
and lets anyone send to it."""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

ACCOUNT = "123456789012"


def seed(client: ClientFactory, regions: list[str]) -> None:
    region = regions[0]
    sqs = client("sqs", region)
    arn = f"arn:aws:sqs:{region}:{ACCOUNT}:{{}}"
    sqs.create_queue(QueueName="skip-orders-dlq", Attributes={"SqsManagedSseEnabled": "true",
                                                              "MessageRetentionPeriod": "1209600"})
    from_topic = {"Version": "2012-10-17", "Statement": [{
        "Sid": "OrderTopic", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": arn.format("pass-orders"),
        "Condition": {"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:{region}:{ACCOUNT}:orders"}}}]}
    sqs.create_queue(QueueName="pass-orders", Attributes={
        "SqsManagedSseEnabled": "true", "Policy": json.dumps(from_topic),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn.format("skip-orders-dlq"), "maxReceiveCount": 5})})
    anyone = {"Version": "2012-10-17", "Statement": [{
        "Sid": "AnyoneMaySend", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
        "Resource": arn.format("fail-legacy-import")}]}
    sqs.create_queue(QueueName="fail-legacy-import", Attributes={"SqsManagedSseEnabled": "false",
                                                                 "Policy": json.dumps(anyone)})
