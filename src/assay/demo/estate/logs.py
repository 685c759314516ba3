"""Application log groups: the API's logs kept for two years, a batch job's kept for two weeks, and debug
logs nobody set to expire. Resource policies: Route 53 may write query logs in us-east-1, scoped to the
account; in eu-west-1 a debugging policy lets anyone write and read.

The CloudTrail log group of the cloudtrail estate is the encrypted one; these use CloudWatch Logs' own key.
"""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

REGION = "us-east-1"
ACCOUNT = "123456789012"
ROUTE53 = {"Version": "2012-10-17", "Statement": [{
    "Sid": "Route53QueryLogs", "Effect": "Allow", "Principal": {"Service": "route53.amazonaws.com"},
    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": f"arn:aws:logs:{REGION}:{ACCOUNT}:*",
    "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]}
ANYONE = {"Version": "2012-10-17", "Statement": [{
    "Sid": "DebugAnyone", "Effect": "Allow", "Principal": "*", "Action": "logs:*", "Resource": "*"}]}


def seed(client: ClientFactory, regions: list[str]) -> None:
    if REGION not in regions:
        return
    logs = client("logs", REGION)
    logs.create_log_group(logGroupName="pass-northwind-api-logs")
    logs.put_retention_policy(logGroupName="pass-northwind-api-logs", retentionInDays=731)
    logs.create_log_group(logGroupName="fail-northwind-batch-logs")
    logs.put_retention_policy(logGroupName="fail-northwind-batch-logs", retentionInDays=14)
    logs.create_log_group(logGroupName="fail-northwind-debug-logs")  # Never expire
    logs.put_resource_policy(policyName="pass-route53-query-logs", policyDocument=json.dumps(ROUTE53))
    for region in regions:
        if region != REGION:
            client("logs", region).put_resource_policy(policyName="fail-debug-anyone",
                                                       policyDocument=json.dumps(ANYONE))
