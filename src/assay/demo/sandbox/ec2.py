"""The sandbox's network: only the default VPCs AWS creates, left as they come (named for the report)."""

from __future__ import annotations

from assay.demo.estate import ClientFactory
from assay.demo.estate.ec2 import default_vpc


def seed(client: ClientFactory, regions: list[str]) -> None:
    for region in regions:
        default_vpc(client("ec2", region))
