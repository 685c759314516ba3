"""An organisation of member accounts on the local endpoint, for distributed scans and benchmarks.

    python -m assay.demo.fleet [MEMBERS] [SIZE] [PORT] [--demo]

seeds MEMBERS accounts (5 by default), each with SIZE resources per kind (and with --demo, the demo
estate's two accounts too), then prints `ENDPOINT <url>` and serves until stopped. Every account is reached by assuming
`arn:aws:iam::<account>:role/AssayDemoScan` from the demo credentials, as a scanning role is reached
in each member of a real organisation; the endpoint keeps one state per account.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
from typing import Any

from assay.collect.session import AwsAccess
from assay.demo import sandbox
from assay.demo.accounts import seed_demo
from assay.demo.estate import REGIONS
from assay.demo.server import moto_server, seed_client

ROLE_NAME = sandbox.ROLE_NAME
PRODUCTION = "123456789012"  # the endpoint's default account: the demo keys land there
# What a fleet scan collects: global and regional shards in every account, from services whose every
# read the local endpoint answers (EC2 is left out: moto lacks some of its reads, which then retry).
SERVICES = ["cloudtrail", "iam", "kms", "logs", "s3", "sns"]


def member_ids(members: int) -> list[str]:
    return [f"{300000000000 + n * 1010101:012d}" for n in range(1, members + 1)]


def role_arn(account_id: str) -> str:
    return f"arn:aws:iam::{account_id}:role/{ROLE_NAME}"


def fleet_accounts(members: int, demo: bool = False) -> list[str]:
    """Every account of the fleet (the demo's two first, when seeded)."""
    return [*([PRODUCTION, sandbox.ACCOUNT_ID] if demo else []), *member_ids(members)]


def fleet_accesses(endpoint: str, members: int, demo: bool = False, regions: list[str] = REGIONS,
                   max_rate: float | None = None) -> list[AwsAccess]:
    """One access per account, each through its role, with no secret of its own: the default chain
    (the demo keys in the environment) assumes every role."""
    return [AwsAccess(endpoint_url=endpoint, home_region=regions[0], role_arn=role_arn(a), max_rate=max_rate)
            for a in fleet_accounts(members, demo)]


def _member_client(endpoint: str, account_id: str) -> Any:
    sts = seed_client(endpoint, "sts", REGIONS[0])
    creds = sts.assume_role(RoleArn=role_arn(account_id), RoleSessionName="fleet-setup")["Credentials"]
    keys = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"]}
    return lambda service, region: seed_client(endpoint, service, region, keys)


def seed_member(endpoint: str, account_id: str, size: int, regions: list[str] = REGIONS) -> None:
    """Half of each kind set up well (pass-*), half not (fail-*)."""
    client = _member_client(endpoint, account_id)
    s3 = client("s3", regions[0])
    for n in range(size):
        name = f"{'pass' if n % 2 else 'fail'}-fleet-{account_id}-{n}"
        s3.create_bucket(Bucket=name)
        if n % 2:
            s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
                "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True})
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    iam = client("iam", regions[0])
    for n in range(size):
        iam.create_user(UserName=f"{'pass' if n % 2 else 'fail'}-fleet-user-{n}")
        if not n % 2:
            iam.create_access_key(UserName=f"fail-fleet-user-{n}")
    iam.create_policy(PolicyName="fail-fleet-admin", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    for region in regions:
        ec2 = client("ec2", region)
        vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
        for n in range(size):
            sg = ec2.create_security_group(GroupName=f"fleet-sg-{n}", Description="fleet", VpcId=vpc)["GroupId"]
            if not n % 2:
                ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{
                    "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        kms = client("kms", region)
        for n in range(max(1, size // 2)):
            key = kms.create_key(Description=f"fleet key {n}")["KeyMetadata"]["KeyId"]
            if n % 2:
                kms.enable_key_rotation(KeyId=key)
        client("logs", region).create_log_group(logGroupName=f"/fleet/{account_id}/app")
        client("sns", region).create_topic(Name=f"fleet-alerts-{region}")
    bucket = f"fleet-{account_id}-trail"
    s3.create_bucket(Bucket=bucket)
    client("cloudtrail", regions[0]).create_trail(Name="fleet-trail", S3BucketName=bucket, IsMultiRegionTrail=True)


def seed_fleet(endpoint: str, members: int, size: int, demo: bool = False, regions: list[str] = REGIONS) -> list[str]:
    """`members` accounts (and the demo estate); returns every account id."""
    if demo:
        seed_demo(endpoint, regions)
    for account_id in member_ids(members):
        seed_member(endpoint, account_id, size, regions)
    return fleet_accounts(members, demo)


def serve(members: int = 5, size: int = 4, port: int | None = None, demo: bool = False,
          stop: threading.Event | None = None) -> None:
    with moto_server(port) as endpoint:
        seed_fleet(endpoint, members, size, demo)
        print(f"ENDPOINT {endpoint}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            (stop or threading.Event()).wait()


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    serve(numbers[0] if numbers else 5, numbers[1] if len(numbers) > 1 else 4,
          numbers[2] if len(numbers) > 2 else None, demo="--demo" in sys.argv)
