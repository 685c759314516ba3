"""Alerting controls: pure functions over CloudWatch alarms, SNS topics and their subscriptions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assay.controls.alerting import alarm_topics_have_confirmed_subscribers
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.alerting import SnsSubscriptions
from assay.models.resources.cloudwatch import MetricAlarm
from assay.models.resources.sns import SnsTopic

ACCOUNT = "123456789012"
NOW = datetime(2025, 6, 1, tzinfo=UTC)
HEARD = f"arn:aws:sns:eu-west-1:{ACCOUNT}:oncall"
PENDING = f"arn:aws:sns:eu-west-1:{ACCOUNT}:unconfirmed"
EMPTY = f"arn:aws:sns:eu-west-1:{ACCOUNT}:nobody"
GONE = f"arn:aws:sns:eu-west-1:{ACCOUNT}:deleted"
ELSEWHERE = "arn:aws:sns:eu-west-1:999999999999:central-alerts"


def topic(arn: str) -> SnsTopic:
    name = arn.rsplit(":", 1)[-1]
    return SnsTopic(arn=arn, id=name, name=name, account_id=ACCOUNT, region="eu-west-1")


def inventory(*extra: Resource, subs: bool = True) -> Inventory:
    resources: list[Resource] = [topic(HEARD), topic(PENDING), topic(EMPTY), *extra]
    if subs:
        resources.append(SnsSubscriptions(arn=f"arn:aws:sns:eu-west-1:{ACCOUNT}:subscriptions", id="eu-west-1",
                                          name="eu-west-1", account_id=ACCOUNT, region="eu-west-1",
                                          confirmed={HEARD: ("email", "sqs")}, pending={PENDING: 2}))
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW, requested_regions=["eu-west-1"])
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], resources, [])


def alarm(*actions: str, **over: Any) -> MetricAlarm:
    base: dict[str, Any] = dict(arn=f"arn:aws:cloudwatch:eu-west-1:{ACCOUNT}:alarm:a", id="a", name="a",
                                account_id=ACCOUNT, region="eu-west-1", actions_enabled=True, alarm_actions=actions)
    return MetricAlarm(**{**base, **over})


def test_topic_with_confirmed_subscription_passes() -> None:
    assert alarm_topics_have_confirmed_subscribers(alarm(HEARD), inventory()) == (
        Status.PASS, f"{HEARD} has a confirmed subscription")


def test_pending_empty_and_deleted_topics_fail_by_name() -> None:
    inv = inventory()
    assert alarm_topics_have_confirmed_subscribers(alarm(PENDING), inv) == (
        Status.FAIL, f"{PENDING} has no confirmed subscription (2 pending confirmation)")
    assert alarm_topics_have_confirmed_subscribers(alarm(EMPTY), inv) == (
        Status.FAIL, f"{EMPTY} has no confirmed subscription")
    assert alarm_topics_have_confirmed_subscribers(alarm(GONE), inv) == (Status.FAIL, f"{GONE} does not exist")


def test_one_unheard_topic_fails_the_alarm() -> None:
    outcome = alarm_topics_have_confirmed_subscribers(alarm(HEARD, EMPTY), inventory())
    assert outcome == (Status.FAIL, f"{EMPTY} has no confirmed subscription")


def test_alarm_without_sns_action_is_skipped() -> None:
    autoscaling = "arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:x:autoScalingGroupName/g:policyName/p"
    assert alarm_topics_have_confirmed_subscribers(alarm(), inventory()) == (
        Status.SKIP, "the alarm notifies no SNS topic")
    assert alarm_topics_have_confirmed_subscribers(alarm(autoscaling), inventory()).status is Status.SKIP


def test_unread_subscriptions_are_error() -> None:
    outcome = alarm_topics_have_confirmed_subscribers(alarm(HEARD), inventory(subs=False))
    assert outcome.status is Status.ERROR and "were not read" in outcome.message
    cross = alarm_topics_have_confirmed_subscribers(alarm(HEARD, ELSEWHERE), inventory())
    assert cross.status is Status.ERROR and "account 999999999999" in cross.message
    # a known failure outweighs an unknown
    assert alarm_topics_have_confirmed_subscribers(alarm(ELSEWHERE, EMPTY), inventory()).status is Status.FAIL
