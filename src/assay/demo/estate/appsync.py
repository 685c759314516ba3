"""AppSync: the customer portal API logs resolver errors; an internal prototype logs nothing."""

from __future__ import annotations

from assay.demo.estate import ClientFactory

LOGS_ROLE = "arn:aws:iam::123456789012:role/northwind-appsync-logs"


def seed(client: ClientFactory, regions: list[str]) -> None:
    appsync = client("appsync", regions[0])
    appsync.create_graphql_api(name="pass-customer-portal", authenticationType="AMAZON_COGNITO_USER_POOLS",
                               userPoolConfig={"userPoolId": "us-east-1_portal", "awsRegion": regions[0],
                                               "defaultAction": "ALLOW"},
                               logConfig={"fieldLogLevel": "ERROR", "cloudWatchLogsRoleArn": LOGS_ROLE})
    appsync.create_graphql_api(name="fail-prototype", authenticationType="API_KEY")
