"""The Store: one object over a SQLite file or a PostgreSQL database. See docs/evidence.md."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from assay.errors import ConfigError, UsageError
from assay.store import connect
from assay.store.records import (
    Attestation,
    AttestationState,
    ChainReport,
    CriterionRow,
    FindingRow,
    Page,
    ScanDiff,
    ScanRecord,
    ScanSummary,
    TypeIIView,
    criterion_order,
)
from assay.store.signing import Signer, default_key_path, load_or_create
from assay.store.tables import CriterionTable, FindingTable, ScanAccount, ScanTable, SnapshotTable

if TYPE_CHECKING:
    from assay.engine import Evaluation

Filter = str | Sequence[str] | None
DEFAULT_MAX_GAP = timedelta(days=2)


def open_store(url: str | None = None, *, key_path: Path | None = None) -> Store:
    """Open (creating and migrating as needed) the store at `url`, $ASSAY_DB, or the user's data directory."""
    resolved = connect.resolve_url(url)
    engine = connect.make_engine(resolved)
    try:
        connect.migrate(engine)
    except OperationalError as exc:
        engine.dispose()
        raise ConfigError(f"cannot open the store {resolved.render_as_string(hide_password=True)}: "
                          f"{str(exc.orig).strip().splitlines()[0]}") from None
    return Store(engine, resolved, key_path or default_key_path(connect.sqlite_file(resolved)))


class Store:
    def __init__(self, engine: sa.Engine, url: URL, key_path: Path) -> None:
        self.engine = engine
        self.url = url
        self.key_path = key_path
        self._signer: Signer | None = None
        self._signer_lock = threading.Lock()
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(engine.execution_options(**connect.WRITE), expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def signer(self) -> Signer:
        """The local signing key, created on first use."""
        with self._signer_lock:
            if self._signer is None:
                self._signer = load_or_create(self.key_path)
            return self._signer

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: SQLite BEGIN IMMEDIATE (one writer at a time); committed on success."""
        with self._writer() as session, session.begin():
            yield session

    # -- writing ------------------------------------------------------------------------------

    def ingest(self, evaluation: Evaluation) -> ScanRecord:
        """Store one evaluation at the head of the chain. The same scan ingested again adds nothing."""
        from assay.store.ingest import append, prepare

        prepared = prepare(evaluation)
        signer = self.signer
        for attempt in range(3):
            try:
                with self.write() as session:
                    row, new = append(session, prepared, signer, datetime.now(UTC))
                    return _scan_record(row, stored_now=new)
            except IntegrityError:
                # Two writers raced for the same head without a lock (a backend that ignores FOR UPDATE):
                # the loser retries on the new head, where the scan may now already be stored.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def attest(self, criterion: str, by: str, evidence_path: Path | str, valid_until: date, *, note: str = "",
               framework: str = "soc2", today: date | None = None) -> Attestation:
        from assay.store.attest import attest

        return attest(self, criterion, by, Path(evidence_path), valid_until, note=note, framework=framework,
                      today=today)

    # -- reading ------------------------------------------------------------------------------

    def scans(self, limit: int = 50, offset: int = 0, *, account: str | None = None) -> list[ScanRecord]:
        """Newest first."""
        query = sa.select(ScanTable).order_by(ScanTable.id.desc()).limit(limit).offset(offset)
        if account:
            of_account = sa.select(ScanAccount.scan_id).where(ScanAccount.account_id == account)
            query = query.where(ScanTable.id.in_(of_account))
        with self.read() as s:
            return [_scan_record(r) for r in s.execute(query).scalars()]

    def count_scans(self) -> int:
        with self.read() as s:
            return int(s.execute(sa.select(sa.func.count()).select_from(ScanTable)).scalar_one())

    def scan(self, scan_id: int) -> ScanRecord | None:
        with self.read() as s:
            row = s.get(ScanTable, scan_id)
            return _scan_record(row) if row else None

    def latest(self, complete_only: bool = True) -> ScanRecord | None:
        query = sa.select(ScanTable).order_by(ScanTable.id.desc()).limit(1)
        if complete_only:
            query = query.where(ScanTable.complete.is_(True))
        with self.read() as s:
            row = s.execute(query).scalar_one_or_none()
            return _scan_record(row) if row else None

    def findings(self, scan_id: int, *, status: Filter = None, severity: Filter = None, account: Filter = None,
                 region: Filter = None, control: Filter = None, criterion: str | None = None,
                 resource_type: Filter = None, search: str | None = None, excepted: bool | None = None,
                 stale: bool | None = None, sort: str = "report", limit: int = 100, offset: int = 0,
                 ) -> Page[FindingRow]:
        """One page of a scan's findings. sort: "report" (control, account, region, resource) or "severity"."""
        if sort not in ("report", "severity"):
            raise UsageError("sort must be 'report' or 'severity'")
        limit = max(0, min(limit, 10_000))
        offset = max(0, offset)
        where: list[sa.ColumnElement[bool]] = [FindingTable.scan_id == scan_id]
        for column, value in ((FindingTable.status, status), (FindingTable.severity, severity),
                              (FindingTable.account_id, account), (FindingTable.region, region),
                              (FindingTable.control_id, control), (FindingTable.resource_type, resource_type)):
            if value is not None:
                values = [value] if isinstance(value, str) else list(value)
                where.append(column == values[0] if len(values) == 1 else column.in_(values))
        if excepted is not None:
            where.append(FindingTable.excepted.is_(excepted))
        if stale is not None:
            where.append(FindingTable.stale.is_(stale))
        for word in (search or "").lower().split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append(FindingTable.search_text.like(f"%{escaped}%", escape="\\"))
        with self.read() as s:
            if criterion is not None:
                controls = s.execute(sa.select(CriterionTable.controls).where(
                    CriterionTable.scan_id == scan_id, CriterionTable.criterion_id == criterion)).scalar_one_or_none()
                where.append(FindingTable.control_id.in_(list(controls or [])))
            total = int(s.execute(sa.select(sa.func.count()).select_from(FindingTable).where(*where)).scalar_one())
            order = ((FindingTable.id,) if sort == "report"
                     else (FindingTable.severity_rank.desc(), FindingTable.id))
            rows = s.execute(sa.select(FindingTable).where(*where).order_by(*order).limit(limit).offset(offset))
            items = [finding_row(r) for r in rows.scalars()]
        return Page[FindingRow](items=items, total=total, limit=limit, offset=offset)

    def finding_history(self, finding_id: str, limit: int = 100) -> list[FindingRow]:
        """One finding across scans, newest first."""
        query = (sa.select(FindingTable).where(FindingTable.finding_id == finding_id)
                 .order_by(FindingTable.scan_id.desc()).limit(limit))
        with self.read() as s:
            return [finding_row(r) for r in s.execute(query).scalars()]

    def criteria(self, scan_id: int) -> list[CriterionRow]:
        query = sa.select(CriterionTable).where(CriterionTable.scan_id == scan_id)
        with self.read() as s:
            rows = list(s.execute(query).scalars())
        return sorted((criterion_row(r) for r in rows), key=lambda c: criterion_order(c.id))

    def snapshot(self, scan_id: int) -> bytes | None:
        """The scan's inventory as gzip JSON (load with Inventory.from_document after decompressing)."""
        with self.read() as s:
            row = s.get(SnapshotTable, scan_id)
            return bytes(row.data) if row else None

    def history(self, limit: int = 20, offset: int = 0) -> list[ScanSummary]:
        from assay.store.history import history

        return history(self, limit=limit, offset=offset)

    def diff(self, old_id: int | None = None, new_id: int | None = None) -> ScanDiff:
        from assay.store.diff import diff

        return diff(self, old_id, new_id)

    def type2(self, start: datetime, end: datetime, *, max_gap: timedelta = DEFAULT_MAX_GAP) -> TypeIIView:
        from assay.store.type2 import type2

        return type2(self, start, end, max_gap=max_gap)

    def attestations(self, criterion: str | None = None, framework: str | None = None) -> list[Attestation]:
        from assay.store.attest import attestations

        return attestations(self, criterion=criterion, framework=framework)

    def attestation_states(self, framework: str = "soc2", on: date | None = None) -> list[AttestationState]:
        """Each manual criterion: attested (by whom, until when), expired, or missing, on `on` (default today)."""
        from assay.store.attest import states

        return states(self, framework=framework, on=on or datetime.now(UTC).date())

    def evidence_file(self, sha256: str) -> bytes | None:
        from assay.store.tables import EvidenceFile

        with self.read() as s:
            row = s.get(EvidenceFile, sha256)
            return bytes(row.data) if row else None

    # -- integrity ----------------------------------------------------------------------------

    def verify(self, first: int | None = None, last: int | None = None) -> ChainReport:
        """Recompute every hash, link and signature of scans first..last (default: all) from the database."""
        from assay.store.verify import verify_store

        return verify_store(self, first, last)

    def public_key_pem(self) -> str:
        return self.signer.public_pem

    def export_evidence(self, path: Path | str, start: datetime | None = None, end: datetime | None = None, *,
                        exceptions_file: Path | None = None) -> Any:
        """Write a signed evidence bundle (zip) of the scans started in [start, end]; see assay.store.bundle."""
        from assay.store.bundle import export

        return export(self, Path(path), start, end, exceptions_file=exceptions_file)


def _scan_record(row: ScanTable, stored_now: bool = False) -> ScanRecord:
    return ScanRecord(
        id=row.id, uuid=row.uuid, started_at=row.started_at, finished_at=row.finished_at,
        ingested_at=row.ingested_at, tool_version=row.tool_version, framework=row.framework,
        accounts=list(row.accounts), regions=list(row.regions), complete=row.complete,
        coverage_percent=row.coverage_percent, counts=dict(row.counts), content_hash=row.content_hash,
        hash=row.hash, prev_hash=row.prev_hash, signature=row.signature, key_id=row.key_id, stored_now=stored_now,
    )


def finding_row(r: FindingTable) -> FindingRow:
    d: dict[str, Any] = r.data
    return FindingRow(
        scan_id=r.scan_id, finding_id=r.finding_id, control_id=r.control_id, title=str(d.get("title", "")),
        severity=r.severity, status=r.status, excepted=r.excepted, stale=r.stale, stale_reason=r.stale_reason,
        evaluated_in=r.evaluated_in, first_seen_in=r.first_seen_in, account_id=r.account_id, region=r.region,
        resource_arn=r.resource_arn, resource_id=str(d.get("resource_id", "")), resource_name=r.resource_name,
        resource_type=r.resource_type, message=str(d.get("message", "")), criteria=list(d.get("criteria", [])),
        exception=d.get("exception"), data=d,
    )


def criterion_row(r: CriterionTable) -> CriterionRow:
    return CriterionRow(scan_id=r.scan_id, id=r.criterion_id, title=r.title, category=r.category, kind=r.kind,
                        status=r.status, counts=dict(r.counts), controls=list(r.controls))

