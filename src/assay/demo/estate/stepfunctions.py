"""Step Functions: the ETL pipeline logs and runs under a scoped role; a report mailer does neither."""

from __future__ import annotations

import json
from typing import Any

from assay.demo.estate import ClientFactory

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                  "Principal": {"Service": "states.amazonaws.com"}}]}
SCOPED = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction",
                                                   "Resource": "arn:aws:lambda:*:123456789012:function:etl-*"}]}
BROAD = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*", "ses:SendEmail"],
                                                  "Resource": "*"}]}
DEFINITION = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}})


def role(iam: Any, name: str, policy: dict[str, Any]) -> str:
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="workflow", PolicyDocument=json.dumps(policy))
    return arn


def seed(client: ClientFactory, regions: list[str]) -> None:
    region = regions[0]
    iam = client("iam", region)
    scoped = role(iam, "northwind-sfn-etl", SCOPED)
    broad = role(iam, "northwind-sfn-mailer", BROAD)
    logs = client("logs", region)
    logs.create_log_group(logGroupName="/aws/states/pass-etl-pipeline")
    group = f"arn:aws:logs:{region}:123456789012:log-group:/aws/states/pass-etl-pipeline:*"
    sfn = client("stepfunctions", region)
    sfn.create_state_machine(name="pass-etl-pipeline", definition=DEFINITION, roleArn=scoped, loggingConfiguration={
        "level": "ERROR", "includeExecutionData": False,
        "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": group}}]})
    sfn.create_state_machine(name="fail-report-mailer", definition=DEFINITION, roleArn=broad)
