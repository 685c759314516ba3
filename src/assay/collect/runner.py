"""Plan (account, region, service) shards, run them on a bounded thread pool, build the Inventory."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from assay import __version__
from assay.collect.calls import Ctx
from assay.collect.regions import discover_regions, service_regions, validate_regions
from assay.collect.registry import CollectorSpec, collectors_by_service
from assay.collect.session import AwsAccess
from assay.errors import UsageError, WriteAttempted
from assay.models.base import GLOBAL, Resource
from assay.models.inventory import (
    AccountInfo,
    CollectionError,
    Coverage,
    CoverageStatus,
    ErrorKind,
    Inventory,
    RegionInfo,
    RegionStatus,
    ScanMeta,
    utcnow,
)

_KIND_TO_COVERAGE = {
    ErrorKind.DENIED: CoverageStatus.DENIED,
    ErrorKind.SCP_DENY: CoverageStatus.DENIED,
    ErrorKind.THROTTLED: CoverageStatus.THROTTLED,
    ErrorKind.TIMEOUT: CoverageStatus.TIMEOUT,
}


@dataclass(frozen=True)
class Shard:
    account_id: str
    region: str
    service: str


@dataclass
class ShardResult:
    shard: Shard
    resources: list[Resource]
    errors: list[CollectionError]
    coverage: Coverage
    calls: Counter[str] = field(default_factory=Counter)


def shard_coverage(shard: Shard, n_resources: int, errors: list[CollectionError], ctx: Ctx, secs: float) -> Coverage:
    status = CoverageStatus.COMPLETE
    reason = ""
    if errors:
        scope_errors = [e for e in errors if e.resource_arn is None]
        first = (scope_errors or errors)[0]
        reason = first.describe()
        if scope_errors:
            status = _KIND_TO_COVERAGE.get(first.kind, CoverageStatus.ERROR)
        else:
            status = CoverageStatus.PARTIAL
    return Coverage(
        account_id=shard.account_id, region=shard.region, service=shard.service, status=status,
        resources=n_resources, errors=len(errors), api_calls=sum(ctx.calls.values()),
        seconds=round(secs, 3), reason=reason,
    )


def run_shard(access: AwsAccess, shard: Shard, specs: list[CollectorSpec], partition: str) -> ShardResult:
    """Collect one (account, region, service). Never raises for AWS trouble: it is all data."""
    started = time.monotonic()
    ctx = Ctx(access, shard.account_id, shard.region, shard.service, partition)
    resources: list[Resource] = []
    for spec in specs:
        try:
            resources.extend(spec.func(ctx))
        except WriteAttempted:
            raise
        except Exception as exc:  # a collector bug must cost its scope, not the scan
            ctx.record_crash(spec.permissions, exc)
    cov = shard_coverage(shard, len(resources), ctx.errors, ctx, time.monotonic() - started)
    return ShardResult(shard, resources, ctx.errors, cov, ctx.calls)


ProgressFn = Callable[[int, int, int], None]  # (shards done, shards total, resources so far)


def collect(
    access: AwsAccess,
    regions: list[str] | None = None,
    services: list[str] | None = None,
    max_workers: int = 8,
    on_progress: ProgressFn | None = None,
) -> Inventory:
    started = utcnow()
    requested = list(dict.fromkeys(regions or []))
    ident = access.identity()
    account_id = ident["account_id"]
    partition = ident["arn"].split(":")[1] if ident["arn"].startswith("arn:") else "aws"
    if requested:
        validate_regions(requested, partition)
    if requested and not access.home_region:
        access.home_region = requested[0]
    by_service = collectors_by_service()
    if services:
        unknown = sorted(set(services) - set(by_service))
        if unknown:
            raise UsageError(f"unknown service(s): {', '.join(unknown)}; known: {', '.join(sorted(by_service))}")
        by_service = {s: by_service[s] for s in services}

    region_infos: list[RegionInfo] = discover_regions(access.client("ec2", access.region), account_id, requested)
    scanned = [r.region for r in region_infos if r.status == RegionStatus.SCANNED]

    shards: list[Shard] = []
    coverage: list[Coverage] = []
    for service, specs in sorted(by_service.items()):
        if specs[0].scope == "global":
            shards.append(Shard(account_id, GLOBAL, service))
            continue
        offered = service_regions(service, partition)
        for info in region_infos:
            if info.status != RegionStatus.SCANNED:
                coverage.append(Coverage(account_id=account_id, region=info.region, service=service,
                                         status=CoverageStatus.NOT_ENABLED, reason="region not enabled"))
            elif offered and info.region not in offered and info.opt_in_status != "unknown":
                coverage.append(Coverage(account_id=account_id, region=info.region, service=service,
                                         status=CoverageStatus.NOT_ENABLED, reason="service not offered in region"))
            else:
                shards.append(Shard(account_id, info.region, service))

    resources: list[Resource] = []
    errors: list[CollectionError] = []
    calls: Counter[str] = Counter()
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="assay-shard") as pool:
        futures = [pool.submit(run_shard, access, s, by_service[s.service], partition) for s in shards]
        for fut in as_completed(futures):
            result = fut.result()
            resources.extend(result.resources)
            errors.extend(result.errors)
            coverage.append(result.coverage)
            calls.update(result.calls)
            done += 1
            if on_progress:
                on_progress(done, len(shards), len(resources))

    meta = ScanMeta(
        scan_id=str(uuid.uuid4()), tool_version=__version__, started_at=started, finished_at=utcnow(),
        endpoint_url=access.endpoint_url, requested_regions=requested or scanned,
        api_calls=dict(sorted(calls.items())),
    )
    account = AccountInfo(account_id=account_id, caller_arn=ident["arn"], partition=partition)
    return Inventory(meta, [account], region_infos, coverage, resources, errors)
