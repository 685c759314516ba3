"""Bedrock: invocations are logged in the home region only; a scoped support agent and a broad sales agent."""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                  "Principal": {"Service": "bedrock.amazonaws.com"}}]}
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


def _role(client: ClientFactory, region: str, name: str, action: str, resource: str) -> str:
    iam = client("iam", region)
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="agent", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}))
    return arn


def seed(client: ClientFactory, regions: list[str]) -> None:
    home = regions[0]
    client("bedrock", home).put_model_invocation_logging_configuration(loggingConfig={
        "cloudWatchConfig": {"logGroupName": "/aws/bedrock/invocations",
                             "roleArn": "arn:aws:iam::123456789012:role/northwind-bedrock-logs"},
        "textDataDeliveryEnabled": True})
    scoped = _role(client, home, "northwind-bedrock-support-agent", "bedrock:InvokeModel",
                   f"arn:aws:bedrock:{home}::foundation-model/{MODEL}")
    broad = _role(client, home, "northwind-bedrock-sales-agent", "bedrock:*", "*")
    agents = client("bedrock-agent", home)
    agents.create_agent(agentName="pass-support-agent", foundationModel=MODEL, agentResourceRoleArn=scoped,
                        customerEncryptionKeyArn=f"arn:aws:kms:{home}:123456789012:key/5c1f0b8e-ai",
                        instruction="Answer customer questions about Northwind dashboards politely.")
    agents.create_agent(agentName="fail-sales-agent", foundationModel=MODEL, agentResourceRoleArn=broad,
                        instruction="Draft follow-up e-mails for sales leads from the CRM export.")
