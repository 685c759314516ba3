"""Seed a sized estate on moto's server: an organisation of three accounts over four regions.

Resources are created through APIs that moto answers quickly (security groups, log groups, IAM,
S3, SNS, DynamoDB, Secrets Manager, KMS). About one resource in ten is built to fail a control (an
SSH port open to the world, an active access key, a table without point-in-time recovery...), so
that the scan has findings of both kinds to produce. Member accounts are seeded from inside,
through an assumed role, exactly as the scan reaches them.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from assay.demo.server import seed_client

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"]
ROLE_NAME = "AssayScan"
# Multiplier of the mixes below; S is about 1,000 resources in all, M 10,000, L 50,000 (3 accounts);
# "100k" is about 100,000 resources in one account, for the single-account memory budget.
SIZES = {"S": 1, "M": 10, "L": 50, "100k": 327}
ACCOUNTS = {"100k": 1}  # accounts per size, when not 3
PER_ACCOUNT = {"iam_users": 30, "iam_roles": 15, "iam_policies": 10, "iam_groups": 2, "s3_buckets": 5}
PER_REGION = {"security_groups": 25, "log_groups": 25, "sns_topics": 4, "dynamodb_tables": 2, "secrets": 4,
              "kms_keys": 1}
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::bench-data/*"}]})

Client = Callable[[str, str], Any]
_CLIENTS = threading.Lock()  # boto3's default session does not create clients safely from several threads


def _client(endpoint: str, keys: dict[str, str] | None = None) -> Client:
    def make(service: str, region: str) -> Any:
        with _CLIENTS:
            return seed_client(endpoint, service, region, keys)

    return make


@dataclass
class Estate:
    endpoint: str
    management: str
    members: list[str]
    regions: list[str]
    created: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def accounts(self) -> list[str]:
        return [self.management, *self.members]

    def role_arn(self, account: str) -> str:
        return f"arn:aws:iam::{account}:role/{ROLE_NAME}"


def _member_client(endpoint: str, account: str) -> Client:
    creds = seed_client(endpoint, "sts", REGIONS[0]).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{ROLE_NAME}", RoleSessionName="bench-seed")["Credentials"]
    keys = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"]}
    return _client(endpoint, keys)


def _global(client: Client, account: str, f: int, created: Counter[str]) -> None:
    iam = client("iam", REGIONS[0])
    for n in range(PER_ACCOUNT["iam_groups"] * f):
        iam.create_group(GroupName=f"group-{n}")
    for n in range(PER_ACCOUNT["iam_policies"] * f):
        iam.create_policy(PolicyName=f"policy-{n}", PolicyDocument=POLICY)
    for n in range(PER_ACCOUNT["iam_roles"] * f):
        iam.create_role(RoleName=f"role-{n}", AssumeRolePolicyDocument=TRUST)
    for n in range(PER_ACCOUNT["iam_users"] * f):
        iam.create_user(UserName=f"user-{n}")
        if n % 10 == 0:
            iam.create_access_key(UserName=f"user-{n}")  # a console-less user with a key: some controls fail
    created["iam"] += sum(PER_ACCOUNT[k] for k in ("iam_groups", "iam_policies", "iam_roles", "iam_users")) * f
    for n in range(PER_ACCOUNT["s3_buckets"] * f):
        region = REGIONS[n % len(REGIONS)]
        s3 = client("s3", region)
        name = f"bench-{account}-{n}"
        if region == "us-east-1":
            s3.create_bucket(Bucket=name)
        else:
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
        if n % 10 == 0:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        created["s3"] += 1


def _regional(client: Client, region: str, f: int, created: Counter[str]) -> None:
    ec2 = client("ec2", region)
    for n in range(PER_REGION["security_groups"] * f):
        gid = ec2.create_security_group(GroupName=f"sg-bench-{n}", Description="bench")["GroupId"]
        if n % 10 == 0:
            ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[{
                "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    created["ec2"] += PER_REGION["security_groups"] * f
    logs = client("logs", region)
    for n in range(PER_REGION["log_groups"] * f):
        logs.create_log_group(logGroupName=f"/bench/app-{n}")
        if n % 10 == 0:
            logs.put_retention_policy(logGroupName=f"/bench/app-{n}", retentionInDays=365)
    created["logs"] += PER_REGION["log_groups"] * f
    sns = client("sns", region)
    for n in range(PER_REGION["sns_topics"] * f):
        attrs = {"KmsMasterKeyId": "alias/aws/sns"} if n % 2 else {}
        sns.create_topic(Name=f"bench-{n}", Attributes=attrs)
    created["sns"] += PER_REGION["sns_topics"] * f
    ddb = client("dynamodb", region)
    for n in range(PER_REGION["dynamodb_tables"] * f):
        ddb.create_table(TableName=f"bench-{n}", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
    created["dynamodb"] += PER_REGION["dynamodb_tables"] * f
    sm = client("secretsmanager", region)
    for n in range(PER_REGION["secrets"] * f):
        sm.create_secret(Name=f"bench/secret-{n}", SecretString="not-a-real-secret")
    created["secretsmanager"] += PER_REGION["secrets"] * f
    kms = client("kms", region)
    for n in range(PER_REGION["kms_keys"] * f):
        key = kms.create_key(Description=f"bench {n}")["KeyMetadata"]["KeyId"]
        if n % 2 == 0:
            kms.enable_key_rotation(KeyId=key)
    created["kms"] += PER_REGION["kms_keys"] * f


def seed(endpoint: str, size: str, regions: list[str] = REGIONS, members: int = 2, workers: int = 4) -> Estate:
    """An organisation (the default account manages it) with `members` member accounts, all seeded.

    The server runs in this process: it is first taught the EC2 and Backup reads moto lacks (as for the
    demo), so that a scan of the estate is complete and every collector's work is measured.
    """
    from assay.demo.estate.backup import ensure_moto_backup
    from assay.demo.estate.ebs import ensure_moto_ec2_reads

    ensure_moto_backup()
    ensure_moto_ec2_reads()
    started = time.monotonic()
    f = SIZES[size]
    org = seed_client(endpoint, "organizations", REGIONS[0])
    org.create_organization(FeatureSet="ALL")
    management = str(seed_client(endpoint, "sts", REGIONS[0]).get_caller_identity()["Account"])
    member_ids = [str(org.create_account(AccountName=f"member-{n}", Email=f"member-{n}@example.com")
                      ["CreateAccountStatus"]["AccountId"]) for n in range(members)]
    estate = Estate(endpoint, management, member_ids, regions)
    clients: dict[str, Client] = {management: _client(endpoint)}
    for account in member_ids:
        clients[account] = _member_client(endpoint, account)
    jobs: list[tuple[Callable[..., None], tuple[Any, ...]]] = []
    for account in estate.accounts:
        jobs.append((_global, (clients[account], account, f)))
        jobs += [(_regional, (clients[account], region, f)) for region in regions]
    counts = [Counter[str]() for _ in jobs]  # one per job: no counter shared between threads
    # moto answers from one process: threads overlap the client side of each request, little more.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for fut in [pool.submit(fn, *args, counts[n]) for n, (fn, args) in enumerate(jobs)]:
            fut.result()
    for c in counts:
        estate.created.update(c)
    estate.seconds = time.monotonic() - started
    return estate
