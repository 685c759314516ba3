"""One unit of collection work: one (account, region, service) shard.

`execute_shard(spec)` is the function both the local thread pool and a remote worker run. Its input,
`ShardSpec`, and its output, `ShardResult.to_wire()`, are plain JSON: a shard can travel through a
message queue and its result through a database. A spec carries how to reach the account (profile,
role, external id, endpoint, home region, limits) and never a secret: whoever runs it resolves
credentials from its own chain.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from assay.collect.calls import Ctx
from assay.collect.registry import CollectorSpec, collectors_by_service
from assay.collect.session import AwsAccess
from assay.errors import UsageError, WriteAttempted
from assay.models.base import GLOBAL, Resource, resource_class
from assay.models.inventory import CollectionError, Coverage, CoverageStatus, ErrorKind

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

    @property
    def key(self) -> str:
        return f"{self.account_id}/{self.region}/{self.service}"


@dataclass
class ShardResult:
    shard: Shard
    resources: list[Resource]
    errors: list[CollectionError]
    coverage: Coverage
    calls: Counter[str] = field(default_factory=Counter)
    retries: int = 0

    def to_wire(self) -> dict[str, Any]:
        """JSON-safe form, for a queue message or a database row."""
        return {
            "shard": {"account_id": self.shard.account_id, "region": self.shard.region,
                      "service": self.shard.service},
            "resources": [{"type": r.type, **r.model_dump(mode="json")} for r in self.resources],
            "errors": [e.model_dump(mode="json") for e in self.errors],
            "coverage": self.coverage.model_dump(mode="json"),
            "calls": dict(self.calls),
            "retries": self.retries,
        }

    @classmethod
    def from_wire(cls, doc: dict[str, Any]) -> ShardResult:
        import assay.models.resources  # noqa: F401 - registers every resource type

        resources = []
        for raw in doc["resources"]:
            data = dict(raw)
            resources.append(resource_class(data.pop("type")).model_validate(data))
        return cls(
            shard=Shard(**doc["shard"]),
            resources=resources,
            errors=[CollectionError.model_validate(e) for e in doc["errors"]],
            coverage=Coverage.model_validate(doc["coverage"]),
            calls=Counter({str(k): int(v) for k, v in doc["calls"].items()}),
            retries=int(doc["retries"]),
        )


class AccessSpec(BaseModel):
    """How to reach one account, without secrets: the runner's own credential chain fills them in."""

    model_config = ConfigDict(frozen=True)

    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    endpoint_url: str | None = None
    home_region: str | None = None
    max_rate: float | None = None
    max_attempts: int = 10
    read_timeout: float = 30
    shard_deadline: float = 900
    source: AccessSpec | None = None  # whose credentials assume role_arn (role chaining)

    @classmethod
    def of(cls, access: AwsAccess) -> AccessSpec:
        source = getattr(access, "source", None)
        return cls(
            profile=access.profile, role_arn=access.role_arn, external_id=access.external_id,
            endpoint_url=access.endpoint_url, home_region=access.home_region, max_rate=access.max_rate,
            max_attempts=access.max_attempts, read_timeout=access.read_timeout,
            shard_deadline=access.shard_deadline, source=cls.of(source) if source is not None else None,
        )


class ShardSpec(BaseModel):
    """Everything a runner needs to collect one shard."""

    model_config = ConfigDict(frozen=True)

    access: AccessSpec
    account_id: str
    region: str
    service: str
    partition: str = "aws"

    @property
    def shard(self) -> Shard:
        return Shard(self.account_id, self.region, self.service)


@functools.lru_cache(maxsize=256)
def access_for(spec: AccessSpec) -> AwsAccess:
    """One AwsAccess per spec in a process: credentials and clients are reused across shards."""
    access = AwsAccess(
        profile=spec.profile, role_arn=spec.role_arn, external_id=spec.external_id,
        endpoint_url=spec.endpoint_url, home_region=spec.home_region, max_rate=spec.max_rate,
        max_attempts=spec.max_attempts, read_timeout=spec.read_timeout, shard_deadline=spec.shard_deadline,
    )
    if spec.source is not None:
        access.source = access_for(spec.source)
    return access


def execute_shard(spec: ShardSpec, access: AwsAccess | None = None,
                  collectors: list[CollectorSpec] | None = None) -> ShardResult:
    """Collect one shard. With no `access`, build it from the spec and this process's credential chain.

    AWS trouble is data in the result. Only a runner that cannot act at all raises: credentials it
    cannot resolve (CredentialError), a spec naming an unknown service (UsageError), a write attempt.
    """
    specs = collectors if collectors is not None else collectors_by_service().get(spec.service)
    if not specs:
        raise UsageError(f"no collector for service {spec.service!r}")
    if access is None:
        access = access_for(spec.access)
        access.credentials()  # no credentials here: fail the attempt, so another one can succeed
    return run_shard(access, spec.shard, specs, spec.partition)


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


def _belongs(resource: Resource, shard: Shard) -> bool:
    """A regional shard keeps only resources of its own region: another region's shard reports the rest.

    A regional API should never answer with another region's resources; if an endpoint does, they are
    not counted twice.
    """
    if shard.region == GLOBAL:
        return True
    parts = resource.arn.split(":")
    return len(parts) < 4 or parts[3] in ("", shard.region)


def run_shard(access: AwsAccess, shard: Shard, specs: list[CollectorSpec], partition: str) -> ShardResult:
    """Collect one (account, region, service). Never raises for AWS trouble: it is all data."""
    started = time.monotonic()
    ctx = Ctx(access, shard.account_id, shard.region, shard.service, partition)
    resources: list[Resource] = []
    for spec in specs:
        try:
            resources.extend(r for r in spec.func(ctx) if _belongs(r, shard))
        except WriteAttempted:
            raise
        except Exception as exc:  # a collector bug must cost its scope, not the scan
            ctx.record_crash(spec.permissions, exc)
    cov = shard_coverage(shard, len(resources), ctx.errors, ctx, time.monotonic() - started)
    return ShardResult(shard, resources, ctx.errors, cov, ctx.calls, ctx.retries)


def ended_abruptly(shard: Shard, exc: BaseException) -> ShardResult:
    """A shard whose thread ended in an exception instead of a result.

    run_shard turns every Exception a collector raises into data, so what reaches here killed the
    collector outright (SystemExit from a library, any BaseException) or broke the shard's own code.
    Either way the shard is over: its scope is ERROR with the reason, and the other shards go on.
    """
    name = type(exc).__name__
    return unfinished_shard(shard, CoverageStatus.ERROR, name,
                            f"the shard ended abruptly ({name}: {exc}); nothing it read was kept")


def unfinished_shard(shard: Shard, status: CoverageStatus, code: str, reason: str) -> ShardResult:
    """A shard that never produced a result: every read it owns is recorded as failed, with the reason.

    Its controls are then ERROR, as for a collector that crashed; nothing it would have read is PASS.
    """
    kind = ErrorKind.TIMEOUT if status is CoverageStatus.TIMEOUT else ErrorKind.ERROR
    actions = dict.fromkeys(p for s in collectors_by_service().get(shard.service, []) for p in s.permissions)
    errors = [
        CollectionError(account_id=shard.account_id, region=shard.region, service=shard.service,
                        operation=action, code=code, kind=kind, message=reason[:500])
        for action in actions
    ]
    cov = Coverage(account_id=shard.account_id, region=shard.region, service=shard.service, status=status,
                   errors=len(errors), reason=reason[:500])
    return ShardResult(shard, [], errors, cov)
