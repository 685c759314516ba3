"""Amazon Inspector: full scanning at home; Europe only ever scanned its EC2 fleet."""

from __future__ import annotations

from assay.demo.estate import ClientFactory


def seed(client: ClientFactory, regions: list[str]) -> None:
    home, other = regions[0], regions[-1]
    account = client("sts", home).get_caller_identity()["Account"]
    client("inspector2", home).enable(accountIds=[account], resourceTypes=["EC2", "ECR", "LAMBDA"])
    if other != home:
        client("inspector2", other).enable(accountIds=[account], resourceTypes=["EC2"])
