"""The inventory: everything one collection read, plus every error it met, as data.

An inventory is saved as a snapshot (gzip JSON with a schema version) so that evaluation can be
rerun offline and handed to an auditor. Errors are first-class: a control that depends on a read
that failed is reported as ERROR, never as PASS.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import zlib
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assay.errors import SnapshotError
from assay.gcpause import paused
from assay.models.base import GLOBAL, Account, Resource, resource_class

SCHEMA_VERSION = 1

R = TypeVar("R", bound=Resource)
T = TypeVar("T")


class ErrorKind(StrEnum):
    DENIED = "denied"  # AccessDenied and friends: grant the IAM action named in the error
    SCP_DENY = "scp_deny"  # an explicit deny in a service control policy
    THROTTLED = "throttled"  # still throttled after every retry
    REGION_DISABLED = "region_disabled"  # opt-in region not enabled, or regional STS disabled
    CREDENTIALS_EXPIRED = "credentials_expired"
    TIMEOUT = "timeout"  # connect or read timeout, endpoint unreachable
    PAGINATION = "pagination"  # a token that repeats: stopped rather than loop
    PARSE = "parse"  # the answer did not have the shape we expected
    ERROR = "error"  # anything else


class CollectionError(BaseModel):
    """A read that failed. Recorded, never swallowed."""

    model_config = ConfigDict(frozen=True)

    account_id: str
    region: str
    service: str
    operation: str  # the IAM action, e.g. "kms:GetKeyRotationStatus"
    code: str  # AWS error code, e.g. "AccessDenied"
    kind: ErrorKind
    message: str
    resource_arn: str | None = None  # None: a list or account-wide call failed

    def describe(self) -> str:
        where = f" on {self.resource_arn}" if self.resource_arn else ""
        hints = {
            ErrorKind.DENIED: f"; grant {self.operation}",
            # Granting the action does not help: the organization's SCP overrides every IAM policy.
            ErrorKind.SCP_DENY: f"; a service control policy denies {self.operation} here: the organization's "
                                "administrators must allow it (or leave the region out of the scan)",
            ErrorKind.CREDENTIALS_EXPIRED: "; the credentials expired: use a role (refreshable) or a longer session",
            ErrorKind.REGION_DISABLED: "; the region is not enabled for the account (or its regional STS is "
                                       "off): enable it, or leave it out with --region",
        }
        hint = hints.get(self.kind, "")
        return f"{self.operation} failed{where}: {self.code} ({self.kind}){hint}"


class CoverageStatus(StrEnum):
    COMPLETE = "complete"
    PARTIAL = "partial"  # some reads failed; what was read is kept
    DENIED = "denied"
    THROTTLED = "throttled"
    ERROR = "error"
    TIMEOUT = "timeout"
    NOT_ENABLED = "not_enabled"  # region not enabled for the account: nothing to scan


class Coverage(BaseModel):
    """The outcome of one (account, region, service) shard."""

    model_config = ConfigDict(frozen=True)

    account_id: str
    region: str
    service: str
    status: CoverageStatus
    resources: int = 0
    errors: int = 0
    api_calls: int = 0
    seconds: float = 0.0
    reason: str = ""


class RegionStatus(StrEnum):
    SCANNED = "scanned"  # planned and attempted; `failure` says if nothing could be read there
    NOT_ENABLED = "not_enabled"  # an opt-in region the account has not enabled


class RegionFailure(StrEnum):
    """Why nothing could be read in a region the scan attempted: the region is ERROR, not scanned."""

    SCP_REGION_DENY = "scp_region_deny"  # an SCP denies the region: every read an explicit deny
    REGION_DISABLED = "region_disabled"  # answered as a region not enabled, or with its STS deactivated
    UNREACHABLE = "unreachable"  # no endpoint answered: refused, timed out, or never resolved


class RegionInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_id: str
    region: str
    status: RegionStatus
    opt_in_status: str = ""
    failure: RegionFailure | None = None
    reason: str = ""  # with a failure: what every read there met, and how to fix it


class AccountInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_id: str
    caller_arn: str = ""
    partition: str = "aws"
    status: str = "scanned"  # or "failed"
    reason: str = ""


class ScanMeta(BaseModel):
    scan_id: str
    tool_version: str
    started_at: datetime
    finished_at: datetime
    endpoint_url: str | None = None
    requested_regions: list[str] = Field(default_factory=list)
    api_calls: dict[str, int] = Field(default_factory=dict)
    retries: int = 0  # botocore retries, across every call
    requeued_shards: int = 0  # shards put back in the queue because they were still throttled


class Inventory:
    """Resources by type, errors, coverage. Built by the collector runner or loaded from a snapshot."""

    def __init__(
        self,
        meta: ScanMeta,
        accounts: list[AccountInfo],
        regions: list[RegionInfo],
        coverage: list[Coverage],
        resources: Iterable[Resource],
        errors: list[CollectionError],
    ) -> None:
        self.meta = meta
        self.accounts = sorted(accounts, key=lambda a: a.account_id)
        self.regions = sorted(regions, key=lambda r: (r.account_id, r.region))
        self.coverage = sorted(coverage, key=lambda c: (c.account_id, c.region, c.service))
        self.errors = sorted(
            errors, key=lambda e: (e.account_id, e.region, e.operation, e.resource_arn or "", e.code)
        )
        self._by_type: dict[str, list[Resource]] = defaultdict(list)
        for r in resources:
            share_fields_set(r)
            self._by_type[r.type].append(r)
        for type_name, items in self._by_type.items():
            items.sort(key=lambda r: (r.account_id, r.region, r.arn))
            self._by_type[type_name] = _once(items)
        self._memo: dict[Hashable, Any] = {}

    @property
    def collected_at(self) -> datetime:
        """The reference time for age-based controls: evaluation never reads the clock."""
        return self.meta.finished_at

    def of(self, cls: type[R]) -> list[R]:
        return list(self._by_type.get(cls.type, ()))  # type: ignore[arg-type]

    def in_account(self, cls: type[R], account_id: str, region: str | None = None) -> Sequence[R]:
        """One account's resources of a type (in one region when given), in inventory order.

        Grouped once per type and then looked up: a control judging every account (or every resource)
        must not filter the whole estate each time, which at a million resources is the difference
        between seconds and hours.
        """
        def group() -> dict[str, list[Resource]]:
            out: dict[str, list[Resource]] = defaultdict(list)
            for r in self._by_type.get(cls.type, ()):
                out[r.account_id].append(r)
            return out

        def by_region() -> dict[tuple[str, str], list[Resource]]:
            out: dict[tuple[str, str], list[Resource]] = defaultdict(list)
            for r in self._by_type.get(cls.type, ()):
                out[(r.account_id, r.region)].append(r)
            return out

        if region is None:
            return self.memo(("inventory.in_account", cls.type), group).get(account_id, ())  # type: ignore[return-value]
        return self.memo(("inventory.in_region", cls.type), by_region).get((account_id, region), ())  # type: ignore[return-value]

    def by_arn(self, cls: type[R]) -> Mapping[str, R]:
        """Resources of a type by ARN (the first of any two with one ARN, as in inventory order)."""
        def index() -> dict[str, Resource]:
            out: dict[str, Resource] = {}
            for r in self._by_type.get(cls.type, ()):
                out.setdefault(r.arn, r)
            return out

        return self.memo(("inventory.by_arn", cls.type), index)  # type: ignore[arg-type]

    def errors_on(self, arn: str) -> Sequence[CollectionError]:
        """The failed reads of one resource, in inventory order: indexed once, not searched per resource."""
        def index() -> dict[str, list[CollectionError]]:
            out: dict[str, list[CollectionError]] = defaultdict(list)
            for e in self.errors:
                if e.resource_arn is not None:
                    out[e.resource_arn].append(e)
            return out

        return self.memo(("inventory.errors_on",), index).get(arn, ())

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """A view derived from this inventory (an index, a grouping), built on first use and then kept.

        Controls that look across resources use it so that each lookup is one dictionary access, not a
        scan of the inventory per resource judged. An inventory is not changed once built, so a view
        never goes stale.
        """
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[no-any-return]

    def resources(self) -> Iterator[Resource]:
        for type_name in sorted(self._by_type):
            yield from self._by_type[type_name]

    def account_ids(self) -> list[str]:
        """Each scanned account once, even if it was listed twice (two routes into it, a snapshot)."""
        return list(dict.fromkeys(a.account_id for a in self.accounts if a.status == "scanned"))

    def account(self, account_id: str) -> Account:
        partition = next((a.partition for a in self.accounts if a.account_id == account_id), "aws")
        return Account(
            arn=f"arn:{partition}:iam::{account_id}:root",
            id=account_id,
            account_id=account_id,
            region=GLOBAL,
            name=account_id,
            partition=partition,
        )

    def scanned_regions(self, account_id: str) -> list[str]:
        return [
            r.region for r in self.regions if r.account_id == account_id and r.status == RegionStatus.SCANNED
        ]

    @property
    def complete(self) -> bool:
        return all(
            c.status in (CoverageStatus.COMPLETE, CoverageStatus.NOT_ENABLED) for c in self.coverage
        ) and all(a.status == "scanned" for a in self.accounts)

    # -- snapshot ---------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the snapshot one resource at a time so that memory stays flat.

        Atomically and owner-only (assay.atomic): an interrupted save never leaves a half-written
        snapshot under the real name. No time or file name in the gzip header, so the same inventory
        always gives the same bytes.
        """
        from assay.atomic import atomic_write_bytes

        with (atomic_write_bytes(path) as raw,
              gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz,
              io.TextIOWrapper(gz, encoding="utf-8") as fh):
            self._write(fh)

    def _write(self, fh: IO[str]) -> None:
        def dump(obj: Any) -> str:
            return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)

        fh.write(f'{{"schema_version":{SCHEMA_VERSION},"meta":{self.meta.model_dump_json()}')
        for key, items in (
            ("accounts", self.accounts),
            ("regions", self.regions),
            ("coverage", self.coverage),
            ("errors", self.errors),
        ):
            fh.write(f',"{key}":[')
            fh.write(",".join(i.model_dump_json() for i in items))
            fh.write("]")
        # One resource a line: still one JSON document, and load() can read it a resource at a time.
        fh.write(',"resources":[\n')
        for n, r in enumerate(self.resources()):
            if n:
                fh.write(",\n")
            fh.write(dump({"type": r.type, **r.model_dump(mode="json")}))
        fh.write("\n]}")

    @classmethod
    def load(cls, path: Path) -> Inventory:
        """Read a snapshot. One written a resource a line (by save()) is read a resource at a time, so
        the parsed JSON of the whole estate is never in memory next to its models."""
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh, paused():
                head = fh.readline()
                if head.endswith(_RESOURCES_OPEN):
                    doc = json.loads(head[: -len(_RESOURCES_OPEN)] + '"resources":[]}')
                    return cls.from_document(doc, source=str(path), resources=_stream(fh))
                fh.seek(0)
                doc = json.load(fh)
        except FileNotFoundError:
            raise SnapshotError(f"snapshot {path} does not exist") from None
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SnapshotError(f"snapshot {path} is corrupt or truncated ({type(exc).__name__})") from None
        with paused():
            return cls.from_document(doc, source=str(path))

    @classmethod
    def from_document(cls, doc: Any, source: str = "snapshot", resources: Iterable[Any] | None = None) -> Inventory:
        """An inventory from a parsed snapshot; `resources` (raw items) replaces doc["resources"] when given."""
        if not isinstance(doc, dict) or "schema_version" not in doc:
            raise SnapshotError(f"{source} is not an Assay snapshot (no schema_version)")
        version = doc["schema_version"]
        if not isinstance(version, int) or version < 1:
            raise SnapshotError(f"{source} has an invalid schema_version {version!r}")
        if version > SCHEMA_VERSION:
            raise SnapshotError(
                f"{source} uses snapshot schema {version}, newer than this Assay supports "
                f"({SCHEMA_VERSION}); upgrade Assay to read it"
            )
        import assay.models.resources  # noqa: F401 - registers every resource type

        def models(raws: Iterable[Any]) -> Iterator[Resource]:
            for raw in raws:
                data = dict(raw)
                rtype = data.pop("type")
                yield resource_class(rtype).model_validate(data)

        try:
            return cls(
                meta=ScanMeta.model_validate(doc["meta"]),
                accounts=[AccountInfo.model_validate(a) for a in doc["accounts"]],
                regions=[RegionInfo.model_validate(r) for r in doc["regions"]],
                coverage=[Coverage.model_validate(c) for c in doc["coverage"]],
                resources=models(doc["resources"] if resources is None else resources),
                errors=[CollectionError.model_validate(e) for e in doc["errors"]],
            )
        except (KeyError, TypeError, ValidationError, ValueError) as exc:  # ValueError: dict() of a non-pair
            detail = str(exc).splitlines()[0]
            raise SnapshotError(f"{source} is malformed: {detail}") from None


_RESOURCES_OPEN = '"resources":[\n'


def _once(items: list[R]) -> list[R]:
    """Sorted resources with each (account, region, ARN) once: a finding id is made of these, so a
    resource listed twice (pages that overlap, a repeated snapshot entry) must not be judged twice.
    Of two different copies the one with the smallest serialisation is kept, whatever their order."""
    out: list[R] = []
    for r in items:
        if out and (out[-1].account_id, out[-1].region, out[-1].arn) == (r.account_id, r.region, r.arn):
            if r != out[-1] and r.model_dump_json() < out[-1].model_dump_json():
                out[-1] = r
            continue
        out.append(r)
    return out
_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def share_fields_set(model: BaseModel) -> None:
    """Point a frozen model (and the frozen models inside it) at one shared copy of its "fields set".

    pydantic keeps, per instance, the set of the field names that were given: for a resource about a
    kilobyte, a third of its memory, repeated for every resource of an estate. Frozen models never
    change it (a copy gets a set of its own), so instances with equal sets can share one.
    """
    cls = type(model)
    if not cls.model_config.get("frozen"):
        return
    given = model.__pydantic_fields_set__
    if len(given) == len(cls.model_fields):  # every field given, as in any model read from a snapshot
        shared = _ALL_FIELDS.get(cls)
        if shared is None:
            shared = _ALL_FIELDS[cls] = set(cls.model_fields)
    else:
        key = frozenset(given)
        shared = _FIELDS_SETS.get(key)
        if shared is None:
            shared = _FIELDS_SETS[key] = set(key)
    object.__setattr__(model, "__pydantic_fields_set__", shared)
    for name in _model_fields_of(cls):
        value = model.__dict__[name]
        if isinstance(value, BaseModel):
            share_fields_set(value)
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], BaseModel):
            for item in value:
                if isinstance(item, BaseModel):
                    share_fields_set(item)


@functools.cache
def _model_fields_of(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class whose annotation can hold other models."""
    def mentions_model(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(mentions_model(arg) for arg in get_args(annotation))

    return tuple(name for name, info in cls.model_fields.items() if mentions_model(info.annotation))


def _stream(fh: IO[str]) -> Iterator[Any]:
    """The resources of a snapshot written a resource a line, parsed one at a time."""
    for line in fh:
        if line == "]}":
            return
        if not line.endswith("\n"):  # the last line of the list is "]}": anything else was cut short
            break
        if line.strip():  # an empty resource list leaves one blank line
            yield json.loads(line[:-2] if line.endswith(",\n") else line)
    raise EOFError("the snapshot ends inside its resource list")


def utcnow() -> datetime:
    return datetime.now(UTC)
