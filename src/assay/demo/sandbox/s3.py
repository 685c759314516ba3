"""The sandbox blocks public access to S3 for the whole account."""

from __future__ import annotations

from assay.demo.estate import ClientFactory


def seed(client: ClientFactory, regions: list[str]) -> None:
    account = client("sts", regions[0]).get_caller_identity()["Account"]
    client("s3control", regions[0]).put_public_access_block(AccountId=account, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
