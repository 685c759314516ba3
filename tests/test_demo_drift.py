"""`assay demo --drift`: the same ids run after run (so diffs compare like with like), and three changes."""

from __future__ import annotations

from typing import Any

from assay.demo import drift, stable_ids
from assay.demo.server import reset, seed_client

ACCOUNT = "123456789012"
REGION = "us-east-1"


def build(endpoint: str) -> dict[str, Any]:
    """A small estate seeded the way the demo seeds: what ids did it get?"""
    reset(endpoint)
    with stable_ids.seeded([ACCOUNT], [REGION]):
        ec2 = seed_client(endpoint, "ec2", REGION)
        vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
        sg = ec2.create_security_group(GroupName=drift.OPENED_GROUP, Description="app", VpcId=vpc)["GroupId"]
        kms = seed_client(endpoint, "kms", REGION)
        key = kms.create_key(Description="unrotated")["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName=drift.FIXED_KEY_ALIAS.format(region=REGION), TargetKeyId=key)
        seed_client(endpoint, "s3", REGION).create_bucket(Bucket=drift.DELETED_BUCKET)
    default_vpcs = sorted(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v["IsDefault"])
    return {"vpc": vpc, "sg": sg, "key": key, "default_vpcs": default_vpcs}


def test_seeded_ids_repeat(endpoint: str) -> None:
    build(endpoint)  # the shared test server has lazily created state of its own: let it settle
    first, second = build(endpoint), build(endpoint)
    assert first == second
    assert first["default_vpcs"]  # created while seeding, not by whichever scan thread comes first


def test_drift_opens_fixes_and_deletes(endpoint: str) -> None:
    ids = build(endpoint)
    changes = drift.apply(endpoint, REGION)
    assert len(changes) == 3
    ec2 = seed_client(endpoint, "ec2", REGION)
    rules = ec2.describe_security_groups(GroupIds=[ids["sg"]])["SecurityGroups"][0]["IpPermissions"]
    assert any(r.get("FromPort") == 22 and {"CidrIp": "0.0.0.0/0"}.items() <= r["IpRanges"][0].items()
               for r in rules)
    kms = seed_client(endpoint, "kms", REGION)
    assert kms.get_key_rotation_status(KeyId=ids["key"])["KeyRotationEnabled"] is True
    buckets = [b["Name"] for b in seed_client(endpoint, "s3", REGION).list_buckets()["Buckets"]]
    assert drift.DELETED_BUCKET not in buckets
