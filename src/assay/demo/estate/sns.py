"""SNS topics of Northwind Analytics, in each region.

The data-events topic (S3 deletion events) is KMS-encrypted, closed to the account and logs failed
deliveries to its queue. The public status topic is unencrypted, lets anyone subscribe and does not log
its failed webhook deliveries. The on-call topic only emails people (delivery logging does not apply).
"""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

ACCOUNT = "123456789012"
FEEDBACK_ROLE = f"arn:aws:iam::{ACCOUNT}:role/northwind-sns-delivery-logs"


def seed(client: ClientFactory, regions: list[str]) -> None:
    for region in regions:
        sns = client("sns", region)
        events = sns.create_topic(Name="pass-northwind-data-events",
                                  Attributes={"KmsMasterKeyId": "alias/aws/sns"})["TopicArn"]
        sns.set_topic_attributes(TopicArn=events, AttributeName="SQSFailureFeedbackRoleArn",
                                 AttributeValue=FEEDBACK_ROLE)
        sns.subscribe(TopicArn=events, Protocol="sqs",
                      Endpoint=f"arn:aws:sqs:{region}:{ACCOUNT}:northwind-data-events")

        status = sns.create_topic(Name="fail-northwind-public-status")["TopicArn"]
        sns.set_topic_attributes(TopicArn=status, AttributeName="Policy", AttributeValue=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Sid": "AnyoneMaySubscribe", "Effect": "Allow", "Principal": "*",
                 "Action": ["SNS:Subscribe", "SNS:Receive"], "Resource": status}]}))
        sns.subscribe(TopicArn=status, Protocol="https", Endpoint="https://status.northwind.example/hooks/sns")

        oncall = sns.create_topic(Name="skip-northwind-oncall-email",
                                  Attributes={"KmsMasterKeyId": "alias/aws/sns"})["TopicArn"]
        sns.subscribe(TopicArn=oncall, Protocol="email", Endpoint="oncall@northwind.example")
