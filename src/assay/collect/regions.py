"""Which regions to scan: every region enabled for the account, from ec2:DescribeRegions.

Opt-in regions that the account has not enabled are recorded as such, never silently dropped.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from assay.collect.errors import describe_exception
from assay.collect.session import botocore_session
from assay.errors import AssayError, UsageError
from assay.models.inventory import RegionInfo, RegionStatus

ENABLED = {"opt-in-not-required", "opted-in"}


@cache
def service_regions(service: str, partition: str = "aws") -> frozenset[str]:
    """Regions where botocore's endpoint data says the service is offered."""
    session = boto3.Session(botocore_session=botocore_session())
    return frozenset(session.get_available_regions(service, partition_name=partition))


def known_regions(partition: str | None = None) -> set[str]:
    """Regions botocore knows (in one partition, or in any), for validating --region before any call."""
    session = boto3.Session(botocore_session=botocore_session())
    partitions = [partition] if partition else session.get_available_partitions()
    names: set[str] = set()
    for part in partitions:
        for service in ("ec2", "sts"):
            names.update(session.get_available_regions(service, partition_name=part, allow_non_regional=False))
    return names


def validate_regions(requested: list[str], partition: str | None = None) -> None:
    known = known_regions(partition)
    unknown = sorted(set(requested) - known)
    if unknown:
        raise UsageError(f"unknown region(s): {', '.join(unknown)}")


def discover_regions(ec2: Any, account_id: str, requested: list[str]) -> list[RegionInfo]:
    try:
        response = ec2.describe_regions(AllRegions=True)
    except (ClientError, BotoCoreError) as exc:
        code, _, message = describe_exception(exc)
        if requested:
            # The caller named the regions; scan them and let each shard report what it can read.
            return [RegionInfo(account_id=account_id, region=r, status=RegionStatus.SCANNED) for r in requested]
        raise AssayError(
            f"cannot list the account's regions (ec2:DescribeRegions: {code} {message}); "
            "grant ec2:DescribeRegions or pass --region"
        ) from None
    states = {r["RegionName"]: r.get("OptInStatus", "opt-in-not-required") for r in response.get("Regions", [])}
    wanted = requested or sorted(states)
    out = []
    for region in wanted:
        state = states.get(region)
        if state is None and requested:
            # A region botocore knows but the endpoint does not list: try it, record what happens.
            state = "unknown"
        status = RegionStatus.NOT_ENABLED if state not in ENABLED and state != "unknown" else RegionStatus.SCANNED
        out.append(RegionInfo(account_id=account_id, region=region, status=status, opt_in_status=state or ""))
    return out
