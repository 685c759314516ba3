"""Application log groups: the API's logs kept for two years, a batch job's kept for two weeks.

The CloudTrail log group of the cloudtrail estate is the encrypted one; these use CloudWatch Logs' own key.
"""

from __future__ import annotations

from assay.demo.estate import ClientFactory

REGION = "us-east-1"


def seed(client: ClientFactory, regions: list[str]) -> None:
    if REGION not in regions:
        return
    logs = client("logs", REGION)
    logs.create_log_group(logGroupName="pass-northwind-api-logs")
    logs.put_retention_policy(logGroupName="pass-northwind-api-logs", retentionInDays=731)
    logs.create_log_group(logGroupName="fail-northwind-batch-logs")
    logs.put_retention_policy(logGroupName="fail-northwind-batch-logs", retentionInDays=14)
