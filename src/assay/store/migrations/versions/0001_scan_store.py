"""The scan store: scans in a signed hash chain, findings, criteria and control results, attestations.

Revision ID: 0001
Revises:
Create Date: 2026-05-20
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

GENESIS = "0" * 64
# Spelled out here rather than imported, so that this revision keeps meaning what it meant.
JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    head = op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])
    op.create_table(
        "signing_keys",
        sa.Column("key_id", sa.String(16), primary_key=True),
        sa.Column("public_key", sa.Text, nullable=False),
        sa.Column("first_used_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("uuid", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tool_version", sa.String(64), nullable=False),
        sa.Column("framework", sa.String(64), nullable=False),
        sa.Column("accounts", JSONType, nullable=False),
        sa.Column("regions", JSONType, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("coverage_percent", sa.Float, nullable=False),
        sa.Column("counts", JSONType, nullable=False),
        sa.Column("header", sa.Text, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("signature", sa.Text, nullable=False),
        sa.Column("key_id", sa.String(16), sa.ForeignKey("signing_keys.key_id"), nullable=False),
    )
    op.create_index("ix_scans_uuid", "scans", ["uuid"])
    op.create_index("ix_scans_started_at", "scans", ["started_at"])
    op.create_index("ix_scans_complete", "scans", ["complete"])
    op.create_table(
        "scan_accounts",
        sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("account_id", sa.String(32), primary_key=True),
    )
    op.create_index("ix_scan_accounts_account", "scan_accounts", ["account_id", "scan_id"])
    op.create_table(
        "scan_snapshots",
        sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("finding_id", sa.String(64), nullable=False),
        sa.Column("control_id", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("severity_rank", sa.SmallInteger, nullable=False),
        sa.Column("account_id", sa.String(32), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("resource_arn", sa.Text, nullable=False),
        sa.Column("resource_type", sa.String(128), nullable=False),
        sa.Column("resource_name", sa.Text, nullable=False),
        sa.Column("excepted", sa.Boolean, nullable=False),
        sa.Column("stale", sa.Boolean, nullable=False),
        sa.Column("stale_reason", sa.Text, nullable=True),
        sa.Column("evaluated_in", sa.Integer, nullable=False),
        sa.Column("first_seen_in", sa.Integer, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("data", JSONType, nullable=False),
        sa.UniqueConstraint("scan_id", "finding_id", name="uq_findings_scan_finding"),
    )
    findings_indexes: list[tuple[str, list[Any]]] = [
        ("ix_findings_scan", ["scan_id", "id"]),
        ("ix_findings_scan_status", ["scan_id", "status", "id"]),
        ("ix_findings_scan_severity", ["scan_id", sa.desc("severity_rank"), "id"]),
        ("ix_findings_scan_control", ["scan_id", "control_id", "id"]),
        ("ix_findings_scan_account", ["scan_id", "account_id", "id"]),
        ("ix_findings_scan_region", ["scan_id", "region", "id"]),
        ("ix_findings_scan_type", ["scan_id", "resource_type", "id"]),
        ("ix_findings_finding", ["finding_id", "scan_id"]),
        ("ix_findings_arn", ["resource_arn", "scan_id"]),
    ]
    for name, cols in findings_indexes:
        op.create_index(name, "findings", cols)
    op.create_table(
        "criterion_results",
        sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("criterion_id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("counts", JSONType, nullable=False),
        sa.Column("controls", JSONType, nullable=False),
    )
    op.create_index("ix_criterion_results_criterion", "criterion_results", ["criterion_id", "scan_id"])
    op.create_table(
        "control_results",
        sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("control_id", sa.String(128), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("counts", JSONType, nullable=False),
    )
    op.create_index("ix_control_results_control", "control_results", ["control_id", "scan_id"])
    op.create_table(
        "attestations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("framework", sa.String(64), nullable=False),
        sa.Column("criterion_id", sa.String(32), nullable=False),
        sa.Column("attested_by", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("valid_until", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evidence_name", sa.Text, nullable=False),
        sa.Column("evidence_sha256", sa.String(64), nullable=False),
        sa.Column("evidence_size", sa.BigInteger, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
        sa.Column("key_id", sa.String(16), sa.ForeignKey("signing_keys.key_id"), nullable=False),
    )
    op.create_index("ix_attestations_criterion", "attestations", ["framework", "criterion_id", "created_at"])
    op.create_table(
        "evidence_files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    for table in ("evidence_files", "attestations", "control_results", "criterion_results", "findings",
                  "scan_snapshots", "scan_accounts", "scans", "signing_keys", "chain_head"):
        op.drop_table(table)
