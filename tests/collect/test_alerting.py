"""Alarm-topic subscriptions: ListSubscriptions on moto's server (where every subscription is confirmed),
and AWS's PendingConfirmation answer on botocore's Stubber. A denied read is ERROR, never PASS or FAIL."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.faults import deny
from assay.models.inventory import Inventory
from assay.models.resources.alerting import SnsSubscriptions
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of

CONTROL = "alerting.alarm_topics_have_confirmed_subscribers"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:{{}}"


def _estate(seed: Any) -> None:
    sns, cw = seed("sns"), seed("cloudwatch")
    heard = sns.create_topic(Name="oncall")["TopicArn"]
    sns.subscribe(TopicArn=heard, Protocol="sqs", Endpoint=f"arn:aws:sqs:us-east-1:{ACCOUNT}:oncall")
    empty = sns.create_topic(Name="nobody")["TopicArn"]
    for name, actions in (("pass-heard", [heard]), ("fail-empty", [heard, empty]),
                          ("fail-deleted", [TOPIC.format("deleted")]), ("skip-no-topic", [])):
        cw.put_metric_alarm(AlarmName=name, Namespace="App", MetricName="Errors", Statistic="Sum", Period=60,
                            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold",
                            AlarmActions=actions)


def _scan(access: AwsAccess) -> Inventory:
    return collect(access, regions=["us-east-1"], services=["cloudwatch", "sns"], max_workers=4)


def test_alarm_topics_judged_on_moto(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = _scan(access)
    assert inv.complete and not inv.errors
    [subs] = inv.of(SnsSubscriptions)
    assert subs.confirmed == {TOPIC.format("oncall"): ("sqs",)} and subs.pending == {}
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {"pass-heard": "pass", "fail-empty": "fail", "fail-deleted": "fail",
                                    "skip-no-topic": "skip"}
    messages = {f.resource_name: f.message for f in findings_of(ev, CONTROL)}
    assert messages["fail-empty"] == f"{TOPIC.format('nobody')} has no confirmed subscription"
    assert messages["fail-deleted"] == f"{TOPIC.format('deleted')} does not exist"


@pytest.mark.parametrize("action", ["sns:ListSubscriptions", "sns:ListTopics", "cloudwatch:DescribeAlarms"])
def test_every_needed_read_denied_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action})))
    found = findings_of(evaluate(_scan(access)), CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(action in f.message for f in found)


def test_pending_confirmation_on_stubber() -> None:
    """AWS lists an unconfirmed subscription with SubscriptionArn "PendingConfirmation"."""
    def script(stub: Stubber, region: str) -> None:
        stub.add_response("list_topics", {"Topics": []}, {})  # no topic of this account: no attributes read
        stub.add_response("list_subscriptions", {"Subscriptions": [
            {"SubscriptionArn": "PendingConfirmation", "Owner": ACCOUNT, "Protocol": "email",
             "Endpoint": "oncall@example.com", "TopicArn": TOPIC.format("alerts")},
            {"SubscriptionArn": "PendingConfirmation", "Owner": ACCOUNT, "Protocol": "email",
             "Endpoint": "lead@example.com", "TopicArn": TOPIC.format("alerts")},
            {"SubscriptionArn": TOPIC.format("ops") + ":5b5c", "Owner": ACCOUNT, "Protocol": "https",
             "Endpoint": "https://pager.example/hook", "TopicArn": TOPIC.format("ops")}]}, {})

    [subs] = stubbed_scan("sns", ["us-east-1"], script).of(SnsSubscriptions)
    assert subs.confirmed == {TOPIC.format("ops"): ("https",)}
    assert subs.pending == {TOPIC.format("alerts"): 2}
