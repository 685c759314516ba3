"""Alerting controls: the SNS topics CloudWatch alarms notify have someone listening."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.alerting import SnsSubscriptions
from assay.models.resources.cloudwatch import MetricAlarm
from assay.models.resources.sns import SnsTopic


def _topic_problem(topic: str, inv: Inventory) -> tuple[str, bool] | None:
    """(what is wrong, whether it is unknown rather than wrong) for one alarm topic; None when it is heard."""
    parts = topic.split(":")
    region, account = parts[3], parts[4]
    index = inv.in_account(SnsSubscriptions, account, region)
    if not index:
        return f"the subscriptions of {topic} were not read (account {account}, {region} not scanned)", True
    subs = index[0]
    if topic in subs.confirmed:
        return None
    if topic not in inv.by_arn(SnsTopic):
        return f"{topic} does not exist", False
    pending = subs.pending.get(topic, 0)
    return f"{topic} has no confirmed subscription" + (f" ({pending} pending confirmation)" if pending else ""), False


@control(
    id="alerting.alarm_topics_have_confirmed_subscribers",
    title="SNS topics that CloudWatch alarms notify have at least one confirmed subscription",
    severity="medium",
    needs=["cloudwatch:DescribeAlarms", "sns:ListTopics", "sns:ListSubscriptions"],
    rationale="An alarm that publishes to a topic with no confirmed subscription fires into the void: SNS "
    "accepts the message and delivers it to nobody. It happens when the on-call address never clicked the "
    "confirmation link, when subscriptions were removed with the people who owned them, or when the topic was "
    "deleted. SOC 2 expects security events to be communicated to the people responsible for acting on them "
    "(CC2.2) and monitored and evaluated (CC7.2, CC7.3); that holds only if the alerts arrive. An alarm that "
    "notifies no SNS topic is not applicable here (cloudwatch.alarm_has_action covers it).",
    remediation=Remediation(
        console="SNS console > Topics > the topic > Create subscription (e.g. the on-call team's email, a chat "
        "or paging endpoint, or an SQS queue) and have the endpoint confirm it; pending ones can be resent with "
        "Subscriptions > select > Request confirmation. If the topic was deleted, recreate it or point the "
        "alarm at a live topic (CloudWatch > Alarms > the alarm > Edit).",
        cli="aws sns subscribe --topic-arn <topic-arn> --protocol email --notification-endpoint oncall@example.com\n"
        "aws sns list-subscriptions-by-topic --topic-arn <topic-arn>  # SubscriptionArn must not be "
        "PendingConfirmation",
        terraform='resource "aws_sns_topic_subscription" "oncall" {\n'
        "  topic_arn = aws_sns_topic.alerts.arn\n"
        '  protocol  = "sqs"  # email subscriptions stay pending until someone confirms them\n'
        "  endpoint  = aws_sqs_queue.oncall.arn\n}",
    ),
)
def alarm_topics_have_confirmed_subscribers(alarm: MetricAlarm, inv: Inventory) -> Outcome:
    topics = sorted({a for a in alarm.alarm_actions if a.startswith("arn:") and a.split(":")[2:3] == ["sns"]})
    if not topics:
        return Skip("the alarm notifies no SNS topic")
    problems = [p for p in (_topic_problem(t, inv) for t in topics) if p is not None]
    wrong = [text for text, unknown in problems if not unknown]
    if wrong:
        return Fail("; ".join(wrong))
    if problems:
        return Error("; ".join(text for text, _ in problems))
    return Pass(f"{', '.join(topics)} {'has' if len(topics) == 1 else 'have'} a confirmed subscription")
