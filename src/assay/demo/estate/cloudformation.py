"""Northwind's alerting stack: the topics its CloudWatch alarms notify.

The security-alerts topic (which the cloudwatch estate's alarms notify) has the security team's email
subscribed; the billing-alerts topic was created without a subscriber, and the cost alarm that notifies it
is heard by nobody. moto's CloudFormation cannot create alarms, so that alarm is put directly.

moto 5.2.1 returns no DriftInformation for stacks, so the stack's drift verdict is ERROR in the demo.
"""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

HOME = "us-east-1"
SENSITIVE_TOPIC = {"KmsMasterKeyId": "alias/aws/sns"}
TEMPLATE = {
    "Description": "Northwind Analytics alerting topics",
    "Resources": {
        "SecurityAlerts": {"Type": "AWS::SNS::Topic", "Properties": {
            "TopicName": "northwind-security-alerts", **SENSITIVE_TOPIC,
            "Subscription": [{"Protocol": "email", "Endpoint": "security@northwind.example"}]}},
        "BillingAlerts": {"Type": "AWS::SNS::Topic", "Properties": {
            "TopicName": "northwind-billing-alerts", **SENSITIVE_TOPIC}},
    },
}


def seed(client: ClientFactory, regions: list[str]) -> None:
    if HOME not in regions:
        return
    cfn = client("cloudformation", HOME)
    cfn.create_stack(StackName="northwind-alerting", TemplateBody=json.dumps(TEMPLATE),
                     Tags=[{"Key": "team", "Value": "platform"}])
    topic = cfn.describe_stack_resource(StackName="northwind-alerting",
                                        LogicalResourceId="BillingAlerts")["StackResourceDetail"]["PhysicalResourceId"]
    client("cloudwatch", HOME).put_metric_alarm(
        AlarmName="fail-monthly-spend-unheard", Namespace="AWS/Billing", MetricName="EstimatedCharges",
        Dimensions=[{"Name": "Currency", "Value": "USD"}], Statistic="Maximum", Period=21600,
        EvaluationPeriods=1, Threshold=5000, ComparisonOperator="GreaterThanThreshold",
        AlarmActions=[topic], ActionsEnabled=True)
