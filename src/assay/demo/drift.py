"""Drift for `assay demo --drift`: the kind of change an estate sees between two scans.

Applied to the production account after seeding and before scanning, so that a diff against a plain
`assay demo` run shows a new failure, a fixed one and a deleted resource.
"""

from __future__ import annotations

from assay.demo.server import seed_client

OPENED_GROUP = "pass-app-sg"
FIXED_KEY_ALIAS = "alias/fail-unrotated-{region}"
DELETED_BUCKET = "northwind-fail-public-website"


def apply(endpoint: str, region: str) -> list[str]:
    """Make the changes; return one line per change, for people."""
    ec2 = seed_client(endpoint, "ec2", region)
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [OPENED_GROUP]}])
    group = groups["SecurityGroups"][0]["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "temporary: vendor debugging"}]}])
    kms = seed_client(endpoint, "kms", region)
    alias = FIXED_KEY_ALIAS.format(region=region)
    key = kms.describe_key(KeyId=alias)["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key)
    s3 = seed_client(endpoint, "s3", region)
    s3.delete_bucket(Bucket=DELETED_BUCKET)
    return [f"opened SSH (22/tcp) to the internet on security group {OPENED_GROUP} ({region})",
            f"enabled automatic rotation of the KMS key {alias}",
            f"deleted the public S3 bucket {DELETED_BUCKET}"]
