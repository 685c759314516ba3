"""SNS controls: pure functions over built topics."""

from __future__ import annotations

from typing import Any

import pytest

from assay.controls import sns
from assay.models.findings import Status
from assay.models.resources.sns import SnsTopic

ACCOUNT = "123456789012"
OWNER_ONLY = {"Statement": [{"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SNS:Publish",
                             "Resource": "*", "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}}]}


def topic(**over: Any) -> SnsTopic:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts", id="alerts", name="alerts", account_id=ACCOUNT,
        region="us-east-1", kms_master_key_id="alias/aws/sns", policy=OWNER_ONLY,
        failure_feedback_roles={"SQS": f"arn:aws:iam::{ACCOUNT}:role/sns-logs"}, subscription_protocols=("sqs",),
    )
    return SnsTopic(**{**base, **over})


def test_topic_encrypted() -> None:
    assert sns.topic_encrypted(topic()).message == "messages are encrypted with alias/aws/sns"
    assert sns.topic_encrypted(topic(kms_master_key_id="")).status is Status.FAIL
    assert sns.topic_encrypted(topic(kms_master_key_id=None)).status is Status.ERROR


def statement(**over: Any) -> dict[str, Any]:
    return {"Statement": [{"Sid": "S", "Effect": "Allow", "Principal": "*", "Action": "SNS:Subscribe",
                           "Resource": "*", **over}]}


@pytest.mark.parametrize("policy", [
    OWNER_ONLY, {}, statement(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}), statement(Effect="Deny"),
    statement(Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}),
    statement(Condition={"ArnLike": {"aws:SourceArn": "arn:aws:s3:::northwind-*"}}),
    statement(Principal={"Service": "s3.amazonaws.com"}),
])
def test_topic_policy_not_public_passes(policy: dict[str, Any]) -> None:
    assert sns.topic_policy_not_public(topic(policy=policy)).status is Status.PASS


@pytest.mark.parametrize("policy", [
    statement(),
    statement(Principal={"AWS": ["*"]}),
    statement(Condition={"Bool": {"aws:SecureTransport": "true"}}),  # says nothing about who calls
    statement(Condition={"StringNotEquals": {"aws:SourceAccount": "999999999999"}}),  # everyone else is let in
    statement(Condition={"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
    statement(Condition={"StringLike": {"aws:PrincipalOrgID": "*"}}),
])
def test_topic_policy_not_public_fails(policy: dict[str, Any]) -> None:
    outcome = sns.topic_policy_not_public(topic(policy=policy))
    assert outcome.status is Status.FAIL and outcome.message.endswith(": S")


def test_topic_policy_unread_is_error() -> None:
    assert sns.topic_policy_not_public(topic(policy=None)).status is Status.ERROR


def test_topic_delivery_status_logged() -> None:
    check = sns.topic_delivery_status_logged
    assert check(topic()).message == "failed deliveries are logged for SQS subscriptions"
    mixed = check(topic(subscription_protocols=("https", "lambda", "sqs")))
    assert mixed.status is Status.FAIL
    assert mixed.message == "failed deliveries are not logged for HTTP, Lambda subscriptions"
    assert check(topic(subscription_protocols=("email", "sms"))).status is Status.SKIP
    assert check(topic(subscription_protocols=())).status is Status.SKIP
    assert check(topic(subscription_protocols=None)).status is Status.ERROR
    assert check(topic(failure_feedback_roles=None)).status is Status.ERROR
