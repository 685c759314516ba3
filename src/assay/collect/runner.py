"""Plan (account, region, service) shards, run them on a bounded thread pool, build the Inventory."""

from __future__ import annotations

import heapq
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime

from assay import __version__
from assay.collect.clock import SYSTEM_CLOCK, Clock
from assay.collect.regions import discover_regions, known_regions, region_failures, service_regions, validate_regions
from assay.collect.registry import CollectorSpec, collectors_by_service
from assay.collect.session import AwsAccess
from assay.collect.shard import AccessSpec, Shard, ShardResult, ShardSpec, ended_abruptly, execute_shard
from assay.collect.shard import _belongs as _belongs  # re-exported: the shard's code used to live here
from assay.collect.shard import run_shard as run_shard
from assay.errors import AssayError, UsageError, WriteAttempted
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

ProgressFn = Callable[[int, int, int], None]  # (shards done, shards total, resources so far)


@dataclass
class _Target:
    access: AwsAccess
    account_id: str
    partition: str
    regions: list[RegionInfo]


PLAN_WORKERS = 8  # accounts entered at once while planning


def _plan_account(access: AwsAccess, requested: list[str]) -> tuple[_Target, AccountInfo]:
    ident = access.identity()
    account_id = ident["account_id"]
    partition = ident["arn"].split(":")[1] if ident["arn"].startswith("arn:") else "aws"
    if requested:
        validate_regions(requested, partition)
        if not access.home_region:
            access.home_region = requested[0]
    regions = discover_regions(access.client("ec2", access.region), account_id, requested)
    info = AccountInfo(account_id=account_id, caller_arn=ident["arn"], partition=partition)
    return _Target(access, account_id, partition, regions), info


def _failed_account(access: AwsAccess, exc: AssayError) -> AccountInfo:
    """An account we could not enter: reported with the reason, the others still scanned."""
    role = access.role_arn or ""
    account_id = role.split(":")[4] if role.count(":") >= 5 else (access.profile or "unknown")
    return AccountInfo(account_id=account_id, caller_arn=role, status="failed", reason=str(exc))


@dataclass
class ScanPlan:
    """What a scan will collect: accounts entered, regions found, the shards to run, what is not enabled.

    The local pool and a distributed coordinator both start from a plan and end in `inventory()`,
    so they build the same Inventory from the same shard results.
    """

    scan_id: str
    started: datetime
    accesses: list[AwsAccess]
    requested: list[str]
    by_service: dict[str, list[CollectorSpec]]
    targets: dict[str, _Target]
    accounts: list[AccountInfo]
    shards: list[Shard]
    coverage: list[Coverage]  # entries known without collecting (region or service not enabled)
    _access_specs: dict[str, AccessSpec] = field(default_factory=dict, init=False, repr=False)

    def spec(self, shard: Shard) -> ShardSpec:
        """The shard as a message: its account is reached with this plan's home region, never its secrets."""
        target = self.targets[shard.account_id]
        if shard.account_id not in self._access_specs:
            self._access_specs[shard.account_id] = AccessSpec.of(target.access).model_copy(
                update={"home_region": target.access.region})
        return ShardSpec(access=self._access_specs[shard.account_id], account_id=shard.account_id,
                         region=shard.region, service=shard.service, partition=target.partition)

    def inventory(self, results: Iterable[ShardResult], retries: int = 0, requeued: int = 0,
                  on_progress: ProgressFn | None = None) -> Inventory:
        """Assemble the Inventory; results are taken in shard order, whatever order they finished in."""
        done: list[ShardResult] = []
        n_resources = 0
        for n, result in enumerate(results, start=1):
            done.append(result)
            n_resources += len(result.resources)
            if on_progress:
                on_progress(n, len(self.shards), n_resources)
        done.sort(key=lambda r: (r.shard.account_id, r.shard.region, r.shard.service))
        resources: list[Resource] = []
        errors: list[CollectionError] = []
        coverage = list(self.coverage)
        calls: Counter[str] = Counter()
        for result in done:
            resources.extend(result.resources)
            errors.extend(result.errors)
            coverage.append(result.coverage)
            calls.update(result.calls)
        # Planning read each account entered: who we are (sts) and which regions it has enabled (ec2).
        calls.update({"sts:GetCallerIdentity": len(self.targets), "ec2:DescribeRegions": len(self.targets)})
        failed = region_failures(coverage, errors)
        region_infos = [
            r.model_copy(update={"failure": failed[key][0], "reason": failed[key][1]})
            if (key := (r.account_id, r.region)) in failed else r
            for t in self.targets.values() for r in t.regions
        ]
        scanned = sorted({r.region for r in region_infos if r.status == RegionStatus.SCANNED})
        meta = ScanMeta(
            scan_id=self.scan_id, tool_version=__version__, started_at=self.started, finished_at=utcnow(),
            endpoint_url=self.accesses[0].endpoint_url, requested_regions=self.requested or scanned,
            api_calls=dict(sorted(calls.items())), retries=retries, requeued_shards=requeued,
        )
        return Inventory(meta, self.accounts, region_infos, coverage, resources, errors)


def plan_scan(
    access: AwsAccess | Sequence[AwsAccess],
    regions: list[str] | None = None,
    services: list[str] | None = None,
) -> ScanPlan:
    """Enter every account, list its regions and plan its shards; nothing is collected yet."""
    started = utcnow()
    accesses = [access] if isinstance(access, AwsAccess) else list(access)
    if not accesses:
        raise UsageError("nothing to scan: no account given")
    requested = list(dict.fromkeys(regions or []))
    if requested:
        validate_regions(requested)
    by_service = collectors_by_service()
    if services:
        unknown = sorted(set(services) - set(by_service))
        if unknown:
            raise UsageError(f"unknown service(s): {', '.join(unknown)}; known: {', '.join(sorted(by_service))}")
        by_service = {s: by_service[s] for s in services}

    def enter(acc: AwsAccess) -> tuple[_Target, AccountInfo] | AssayError:
        try:
            return _plan_account(acc, requested)
        except AssayError as exc:
            return exc

    # Entering an account is two or three round trips (AssumeRole, GetCallerIdentity, DescribeRegions):
    # an organisation's accounts are entered side by side, then taken in the order given.
    with ThreadPoolExecutor(max_workers=min(PLAN_WORKERS, len(accesses)), thread_name_prefix="assay-plan") as pool:
        entered = list(pool.map(enter, accesses))
    targets: dict[str, _Target] = {}
    accounts: list[AccountInfo] = []
    for acc, outcome in zip(accesses, entered, strict=True):
        if isinstance(outcome, AssayError):
            if len(accesses) == 1:
                raise outcome
            accounts.append(_failed_account(acc, outcome))
            continue
        target, info = outcome
        if target.account_id not in targets:  # two routes into one account scan it once
            targets[target.account_id] = target
            accounts.append(info)

    shards: list[Shard] = []
    coverage: list[Coverage] = []
    for target in targets.values():
        s, c = _plan_shards(target, by_service)
        shards += s
        coverage += c
    return ScanPlan(str(uuid.uuid4()), started, accesses, requested, by_service, targets, accounts, shards, coverage)


def collect(
    access: AwsAccess | Sequence[AwsAccess],
    regions: list[str] | None = None,
    services: list[str] | None = None,
    max_workers: int = 8,
    on_progress: ProgressFn | None = None,
    retry: RequeuePolicy | None = None,
) -> Inventory:
    """Collect one inventory over one or more accounts.

    With a single account, unusable credentials raise CredentialError. With several, an account
    that cannot be entered is recorded as failed with the reason, and the scan is partial.
    """
    plan = plan_scan(access, regions, services)
    stats = Counter[str]()
    results = _run_shards(plan, max_workers, retry or RequeuePolicy(), stats)
    inv = plan.inventory(results, on_progress=on_progress)
    inv.meta.retries, inv.meta.requeued_shards = stats["retries"], stats["requeued"]
    return inv


@dataclass(frozen=True)
class RequeuePolicy:
    """A shard still throttled after botocore's retries goes back in the queue, later, before ERROR."""

    attempts: int = 5  # requeues per shard
    base_delay: float = 2.0  # seconds before the first requeue; doubles each time
    max_delay: float = 30.0
    budget: float = 300.0  # a shard stops being requeued this long after it first started
    clock: Clock = field(default=SYSTEM_CLOCK, repr=False)  # what the delays and the budget are measured on

    def delay(self, attempt: int) -> float:
        return float(min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


def _throttled(result: ShardResult) -> bool:
    return any(e.kind is ErrorKind.THROTTLED for e in result.errors)


def _run_shards(plan: ScanPlan, max_workers: int, policy: RequeuePolicy, stats: Counter[str]) -> Iterator[ShardResult]:
    """Run shards on a bounded pool; requeue throttled ones with backoff; yield each final result."""
    clock = policy.clock
    first_start: dict[Shard, float] = {}
    delayed: list[tuple[float, int, Shard, int]] = []  # (ready at, tie-break, shard, attempt)
    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="assay-shard") as pool:
        pending: dict[Future[ShardResult], tuple[Shard, int]] = {}

        def submit(shard: Shard, attempt: int) -> None:
            first_start.setdefault(shard, clock.monotonic())
            fut = pool.submit(execute_shard, plan.spec(shard), plan.targets[shard.account_id].access,
                              plan.by_service[shard.service])
            pending[fut] = (shard, attempt)

        for shard in plan.shards:
            submit(shard, 0)
        while pending or delayed:
            now = clock.monotonic()
            while delayed and delayed[0][0] <= now:
                _, _, shard, attempt = heapq.heappop(delayed)
                submit(shard, attempt)
            timeout = clock.real(max(0.0, delayed[0][0] - now)) if delayed else None
            done, _ = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
            for fut in done:
                shard, attempt = pending.pop(fut)
                try:
                    result = fut.result()
                except WriteAttempted:
                    raise
                except BaseException as exc:  # its thread died (a pool thread: never a signal); the rest go on
                    result = ended_abruptly(shard, exc)
                stats["retries"] += result.retries
                spent = clock.monotonic() - first_start[shard]
                if _throttled(result) and attempt < policy.attempts and spent < policy.budget:
                    stats["requeued"] += 1
                    ready = clock.monotonic() + policy.delay(attempt + 1)
                    heapq.heappush(delayed, (ready, int(stats["requeued"]), shard, attempt + 1))
                    continue
                yield result


_NOT_OPTED_IN = ("not_opted_in: an opt-in region the account has not enabled (ec2:DescribeRegions OptInStatus "
                 "{info.opt_in_status}); nothing was sent there")


def _plan_shards(target: _Target, by_service: dict[str, list[CollectorSpec]]) -> tuple[list[Shard], list[Coverage]]:
    """One shard per (account, region, service); regions or services not available are recorded."""
    shards: list[Shard] = []
    coverage: list[Coverage] = []
    account_id = target.account_id
    # A region botocore's endpoint data does not know (launched after this botocore) is scanned for every
    # service: its endpoints follow the partition's pattern, and "not offered" cannot be told from here.
    known = known_regions(target.partition)
    for service, specs in sorted(by_service.items()):
        if specs[0].scope == "global":
            shards.append(Shard(account_id, GLOBAL, service))
            continue
        offered = service_regions(service, target.partition)
        for info in target.regions:
            if info.status != RegionStatus.SCANNED:
                coverage.append(Coverage(account_id=account_id, region=info.region, service=service,
                                         status=CoverageStatus.NOT_ENABLED, reason=_NOT_OPTED_IN.format(info=info)))
            elif offered and info.region not in offered and info.region in known and info.opt_in_status != "unknown":
                coverage.append(Coverage(account_id=account_id, region=info.region, service=service,
                                         status=CoverageStatus.NOT_ENABLED, reason="service not offered in region"))
            else:
                shards.append(Shard(account_id, info.region, service))
    return shards, coverage
