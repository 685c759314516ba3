"""The inventory: everything one collection read, plus every error it met, as data.

An inventory is saved as a snapshot (gzip JSON with a schema version) so that evaluation can be
rerun offline and handed to an auditor. Errors are first-class: a control that depends on a read
that failed is reported as ERROR, never as PASS.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assay.errors import SnapshotError
from assay.models.base import GLOBAL, Account, Resource, resource_class

SCHEMA_VERSION = 1

R = TypeVar("R", bound=Resource)


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
        hint = f"; grant {self.operation}" if self.kind in (ErrorKind.DENIED, ErrorKind.SCP_DENY) else ""
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
    SCANNED = "scanned"
    NOT_ENABLED = "not_enabled"  # an opt-in region the account has not enabled


class RegionInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_id: str
    region: str
    status: RegionStatus
    opt_in_status: str = ""


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
            self._by_type[r.type].append(r)
        for items in self._by_type.values():
            items.sort(key=lambda r: (r.account_id, r.region, r.arn))

    @property
    def collected_at(self) -> datetime:
        """The reference time for age-based controls: evaluation never reads the clock."""
        return self.meta.finished_at

    def of(self, cls: type[R]) -> list[R]:
        return list(self._by_type.get(cls.type, ()))  # type: ignore[arg-type]

    def resources(self) -> Iterator[Resource]:
        for type_name in sorted(self._by_type):
            yield from self._by_type[type_name]

    def account_ids(self) -> list[str]:
        return [a.account_id for a in self.accounts if a.status == "scanned"]

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
        """Write the snapshot one resource at a time so that memory stays flat."""
        tmp = path.with_name(path.name + ".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as fh:
            self._write(fh)
        tmp.replace(path)  # never leave a half-written snapshot under the real name

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
        fh.write(',"resources":[')
        for n, r in enumerate(self.resources()):
            if n:
                fh.write(",")
            fh.write(dump({"type": r.type, **r.model_dump(mode="json")}))
        fh.write("]}")

    @classmethod
    def load(cls, path: Path) -> Inventory:
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                doc = json.load(fh)
        except FileNotFoundError:
            raise SnapshotError(f"snapshot {path} does not exist") from None
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SnapshotError(f"snapshot {path} is corrupt or truncated ({type(exc).__name__})") from None
        return cls.from_document(doc, source=str(path))

    @classmethod
    def from_document(cls, doc: Any, source: str = "snapshot") -> Inventory:
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

        try:
            resources = []
            for raw in doc["resources"]:
                data = dict(raw)
                rtype = data.pop("type")
                resources.append(resource_class(rtype).model_validate(data))
            return cls(
                meta=ScanMeta.model_validate(doc["meta"]),
                accounts=[AccountInfo.model_validate(a) for a in doc["accounts"]],
                regions=[RegionInfo.model_validate(r) for r in doc["regions"]],
                coverage=[Coverage.model_validate(c) for c in doc["coverage"]],
                resources=resources,
                errors=[CollectionError.model_validate(e) for e in doc["errors"]],
            )
        except (KeyError, TypeError, ValidationError) as exc:
            detail = str(exc).splitlines()[0]
            raise SnapshotError(f"{source} is malformed: {detail}") from None


def utcnow() -> datetime:
    return datetime.now(UTC)
