"""Which regions to scan: every region enabled for the account, from ec2:DescribeRegions; and what became of them.

Opt-in regions that the account has not enabled are recorded as such, never silently dropped. A region
that was attempted but where nothing could be read is reported at the region level, with the reason:
an SCP that denies the region, a region answering as not enabled, or one no endpoint answered in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from assay.collect.errors import UNREACHABLE, describe_exception
from assay.collect.session import botocore_session
from assay.errors import AssayError, UsageError
from assay.models.base import GLOBAL
from assay.models.inventory import (
    CollectionError,
    Coverage,
    CoverageStatus,
    ErrorKind,
    RegionFailure,
    RegionInfo,
    RegionStatus,
)

ENABLED = {"opt-in-not-required", "opted-in"}


@cache
def service_regions(service: str, partition: str = "aws") -> frozenset[str]:
    """Regions where botocore's endpoint data says the service is offered."""
    session = boto3.Session(botocore_session=botocore_session())
    return frozenset(session.get_available_regions(service, partition_name=partition))


@cache
def known_regions(partition: str | None = None) -> frozenset[str]:
    """Regions botocore knows (in one partition, or in any), for validating --region before any call."""
    session = boto3.Session(botocore_session=botocore_session())
    partitions = [partition] if partition else session.get_available_partitions()
    names: set[str] = set()
    for part in partitions:
        for service in ("ec2", "sts"):
            names.update(session.get_available_regions(service, partition_name=part, allow_non_regional=False))
    return frozenset(names)


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


_HINTS = {
    RegionFailure.SCP_REGION_DENY: "every read there was refused with an explicit deny in a service control policy, "
    "while other regions answered: the organization's SCP denies this region. Granting IAM actions cannot lift "
    "it; ask the organization's administrators, or leave the region out with --region",
    RegionFailure.REGION_DISABLED: "every read there was answered as from a region the account has not enabled "
    "({codes}): enable the region (Account > AWS Regions); for RegionDisabledException, activate its STS endpoint "
    "(IAM > Account settings); or leave the region out with --region",
    RegionFailure.UNREACHABLE: "no endpoint there answered ({codes}): check the network path to the region "
    "(firewall, proxy, VPC endpoints, DNS), or leave the region out with --region",
}


def _failure_of(error: CollectionError) -> RegionFailure | None:
    if error.kind is ErrorKind.SCP_DENY:
        return RegionFailure.SCP_REGION_DENY
    if error.kind is ErrorKind.REGION_DISABLED:
        return RegionFailure.REGION_DISABLED
    if error.kind is ErrorKind.TIMEOUT and error.code in UNREACHABLE:
        return RegionFailure.UNREACHABLE
    return None


def region_failures(
    coverage: Iterable[Coverage], errors: Iterable[CollectionError]
) -> dict[tuple[str, str], tuple[RegionFailure, str]]:
    """(account, region) -> (failure, reason) for each attempted region where nothing could be read.

    A region fails when every shard of it failed at its scope and every error met there names one cause. An
    explicit SCP deny is a region deny only where another region of the account was not denied alike:
    an SCP that denies a service everywhere is a service matter, left to each shard's errors.
    """
    shards: dict[tuple[str, str], list[Coverage]] = defaultdict(list)
    for c in coverage:
        if c.region != GLOBAL and c.status is not CoverageStatus.NOT_ENABLED:
            shards[(c.account_id, c.region)].append(c)
    found: dict[tuple[str, str], list[CollectionError]] = defaultdict(list)
    for e in errors:
        found[(e.account_id, e.region)].append(e)
    out: dict[tuple[str, str], tuple[RegionFailure, str]] = {}
    for key, covs in shards.items():
        met = found.get(key, [])
        # Every shard failed at its scope (a list or account-wide read): PARTIAL or COMPLETE ones read something.
        if not met or any(c.status in (CoverageStatus.COMPLETE, CoverageStatus.PARTIAL) for c in covs):
            continue
        causes = {_failure_of(e) for e in met}
        failure = causes.pop() if len(causes) == 1 else None
        if failure is None:
            continue
        codes = ", ".join(sorted({e.code for e in met}))
        out[key] = (failure, f"{failure}: " + _HINTS[failure].format(codes=codes))
    scp_denied = {k for k, (f, _) in out.items() if f is RegionFailure.SCP_REGION_DENY}
    for account, region in scp_denied:
        if not any(k[0] == account and k not in scp_denied for k in shards):
            del out[(account, region)]
    return out
