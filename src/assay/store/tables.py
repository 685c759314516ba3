"""The store's tables (SQLAlchemy 2 ORM). Migrations in `migrations/versions` create exactly these.

Scans are append-only and form a hash chain: `scans.id` is the position in the chain (assigned under
the chain-head lock, so it has no gaps), `prev_hash` is unique so the chain cannot fork.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

GENESIS = "0" * 64  # prev_hash of the first scan in a store


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset: stored as naive UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store: pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSONType, list[Any]: JSONType, datetime: UTCDateTime}


class ChainHead(Base):
    """One row: the last scan of the chain. Writers lock it (SELECT ... FOR UPDATE) before appending."""

    __tablename__ = "chain_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)


class SigningKey(Base):
    """Every public key that signed something in this store, by key id."""

    __tablename__ = "signing_keys"
    key_id: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    public_key: Mapped[str] = mapped_column(sa.Text, nullable=False)  # PEM
    first_used_at: Mapped[datetime] = mapped_column(nullable=False)


class ScanTable(Base):
    __tablename__ = "scans"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    uuid: Mapped[str] = mapped_column(sa.String(64), nullable=False, index=True)
    content_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    started_at: Mapped[datetime] = mapped_column(nullable=False, index=True)
    finished_at: Mapped[datetime] = mapped_column(nullable=False)
    ingested_at: Mapped[datetime] = mapped_column(nullable=False)
    tool_version: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    framework: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    accounts: Mapped[list[Any]] = mapped_column(nullable=False)
    regions: Mapped[list[Any]] = mapped_column(nullable=False)
    complete: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, index=True)
    coverage_percent: Mapped[float] = mapped_column(sa.Float, nullable=False)
    counts: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    header: Mapped[str] = mapped_column(sa.Text, nullable=False)  # canonical JSON that the chain hashes
    hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    prev_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    signature: Mapped[str] = mapped_column(sa.Text, nullable=False)  # base64 Ed25519 over the hash
    key_id: Mapped[str] = mapped_column(sa.ForeignKey("signing_keys.key_id"), nullable=False)


class ScanAccount(Base):
    """Which accounts a scan covered: carry-forward and history look up 'the previous scan of account A'."""

    __tablename__ = "scan_accounts"
    scan_id: Mapped[int] = mapped_column(sa.ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    __table_args__ = (sa.Index("ix_scan_accounts_account", "account_id", "scan_id"),)


class SnapshotTable(Base):
    """The inventory as gzip JSON (deterministic bytes: mtime 0), apart so that scan listings stay light."""

    __tablename__ = "scan_snapshots"
    scan_id: Mapped[int] = mapped_column(sa.ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, nullable=False)


class FindingTable(Base):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                                    autoincrement=True)
    scan_id: Mapped[int] = mapped_column(sa.ForeignKey("scans.id", ondelete="CASCADE"), nullable=False)
    finding_id: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    control_id: Mapped[str] = mapped_column(sa.String(128), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    severity: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    severity_rank: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    account_id: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    region: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    resource_arn: Mapped[str] = mapped_column(sa.Text, nullable=False)
    resource_type: Mapped[str] = mapped_column(sa.String(128), nullable=False)
    resource_name: Mapped[str] = mapped_column(sa.Text, nullable=False)
    excepted: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    stale: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)  # last state carried forward
    stale_reason: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    evaluated_in: Mapped[int] = mapped_column(sa.Integer, nullable=False)  # scan that last evaluated it
    first_seen_in: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    search_text: Mapped[str] = mapped_column(sa.Text, nullable=False)  # lower-cased, for substring search
    data: Mapped[dict[str, Any]] = mapped_column(nullable=False)  # Finding.model_dump(mode="json")
    __table_args__ = (
        sa.UniqueConstraint("scan_id", "finding_id", name="uq_findings_scan_finding"),
        # Dashboard pages filter one scan by one column and page in id order: (scan_id, column, id).
        sa.Index("ix_findings_scan", "scan_id", "id"),
        sa.Index("ix_findings_scan_status", "scan_id", "status", "id"),
        sa.Index("ix_findings_scan_severity", "scan_id", sa.desc("severity_rank"), "id"),  # worst first
        sa.Index("ix_findings_scan_control", "scan_id", "control_id", "id"),
        sa.Index("ix_findings_scan_account", "scan_id", "account_id", "id"),
        sa.Index("ix_findings_scan_region", "scan_id", "region", "id"),
        sa.Index("ix_findings_scan_type", "scan_id", "resource_type", "id"),
        sa.Index("ix_findings_finding", "finding_id", "scan_id"),  # one finding's history
        sa.Index("ix_findings_arn", "resource_arn", "scan_id"),  # one resource's findings over time
    )


class CriterionTable(Base):
    __tablename__ = "criterion_results"
    scan_id: Mapped[int] = mapped_column(sa.ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    title: Mapped[str] = mapped_column(sa.Text, nullable=False)
    category: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    counts: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    controls: Mapped[list[Any]] = mapped_column(nullable=False)
    __table_args__ = (sa.Index("ix_criterion_results_criterion", "criterion_id", "scan_id"),)


class ControlTable(Base):
    """Each control's roll-up per scan (stale failures count as failures): what the Type II view reads."""

    __tablename__ = "control_results"
    scan_id: Mapped[int] = mapped_column(sa.ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True)
    control_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    counts: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    __table_args__ = (sa.Index("ix_control_results_control", "control_id", "scan_id"),)


class AttestationTable(Base):
    __tablename__ = "attestations"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    framework: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    criterion_id: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    attested_by: Mapped[str] = mapped_column(sa.Text, nullable=False)
    note: Mapped[str] = mapped_column(sa.Text, nullable=False)
    valid_until: Mapped[str] = mapped_column(sa.String(10), nullable=False)  # ISO date, inclusive
    created_at: Mapped[datetime] = mapped_column(nullable=False)
    evidence_name: Mapped[str] = mapped_column(sa.Text, nullable=False)
    evidence_sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    evidence_size: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    record: Mapped[str] = mapped_column(sa.Text, nullable=False)  # canonical JSON that is signed
    signature: Mapped[str] = mapped_column(sa.Text, nullable=False)
    key_id: Mapped[str] = mapped_column(sa.ForeignKey("signing_keys.key_id"), nullable=False)
    __table_args__ = (sa.Index("ix_attestations_criterion", "framework", "criterion_id", "created_at"),)


class EvidenceFile(Base):
    """Attestation evidence, kept by content: the same file attested twice is stored once."""

    __tablename__ = "evidence_files"
    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, nullable=False)
