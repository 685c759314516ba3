"""Northwind's Lambda functions in us-east-1: a well-kept order ingester, a neglected public webhook,
and a container-image report renderer (no managed runtime, no URL).

The order ingester runs in the production VPC of the ec2 estate when it exists. moto keeps no
dead-letter configuration, so no function can show a dead-letter queue here.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from assay.demo.estate import ClientFactory

REGION = "us-east-1"
ORDERS_TABLE = "northwind-orders-prod"  # an environment value: the scan must never copy it into the inventory
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                  "Principal": {"Service": "lambda.amazonaws.com"}}]}


def code() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("handler.py", "def handle(event, context):\n    return {'statusCode': 200}\n")
    return buf.getvalue()


def execution_role(client: ClientFactory, region: str, name: str) -> str:
    iam = client("iam", region)
    return str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"])


def _vpc_config(client: ClientFactory) -> dict[str, Any]:
    """The production VPC's first subnet and default security group, if the ec2 estate made them."""
    ec2 = client("ec2", REGION)
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["pass-prod-vpc"]}])["Vpcs"]
    if not vpcs:
        return {}
    vpc = vpcs[0]["VpcId"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                   {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
    if not subnets or not groups:
        return {}
    return {"VpcConfig": {"SubnetIds": [subnets[0]["SubnetId"]], "SecurityGroupIds": [groups[0]["GroupId"]]}}


def seed(client: ClientFactory, regions: list[str]) -> None:
    if REGION not in regions:
        return
    account = client("sts", REGION).get_caller_identity()["Account"]
    role = execution_role(client, REGION, "northwind-lambda-execution")
    lam = client("lambda", REGION)
    common = {"Role": role, "Handler": "handler.handle", "Code": {"ZipFile": code()}, "Timeout": 30}

    lam.create_function(FunctionName="pass-ingest-orders", Runtime="python3.12", TracingConfig={"Mode": "Active"},
                        Environment={"Variables": {"ORDERS_TABLE": ORDERS_TABLE}}, **_vpc_config(client), **common)
    lam.put_function_concurrency(FunctionName="pass-ingest-orders", ReservedConcurrentExecutions=20)
    # Invoked by uploads to one bucket of this account: named principal, scoped by source ARN and account.
    lam.add_permission(FunctionName="pass-ingest-orders", StatementId="orders-bucket", Action="lambda:InvokeFunction",
                       Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::northwind-orders-upload",
                       SourceAccount=account)
    lam.create_function_url_config(FunctionName="pass-ingest-orders", AuthType="AWS_IAM")

    # A partner webhook put together in a hurry: old runtime, open to anyone, unauthenticated URL.
    lam.create_function(FunctionName="fail-partner-webhook", Runtime="python3.8", **common)
    lam.add_permission(FunctionName="fail-partner-webhook", StatementId="anyone", Action="lambda:InvokeFunction",
                       Principal="*")
    lam.create_function_url_config(FunctionName="fail-partner-webhook", AuthType="NONE")

    lam.create_function(FunctionName="skip-report-renderer", PackageType="Image", Role=role, Timeout=60,
                        Code={"ImageUri": f"{account}.dkr.ecr.{REGION}.amazonaws.com/report-renderer:1.4"})
