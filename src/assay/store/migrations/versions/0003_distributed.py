"""Distributed scans (assay.distributed): one row per shard of a scan; cron schedules and their runs.

Revision ID: 0003_distributed
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_distributed"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "dist_shards",
        sa.Column("scan_id", sa.String(64), primary_key=True),
        sa.Column("shard_key", sa.String(255), primary_key=True),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("deliveries", sa.Integer, nullable=False),
        sa.Column("duplicates", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(255), nullable=True),
        sa.Column("queued_at", sa.Float, nullable=False),
        sa.Column("started_at", sa.Float, nullable=True),
        sa.Column("finished_at", sa.Float, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("result", sa.LargeBinary, nullable=True),
        sa.Column("collected", sa.Boolean, nullable=False),
    )
    op.create_index("ix_dist_shards_state", "dist_shards", ["scan_id", "state", "collected"])
    op.create_table(
        "schedules",
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("cron", sa.String(128), nullable=False),
        sa.Column("args", sa.JSON, nullable=False),
        sa.Column("grace", sa.Float, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("last_fire", sa.Float, nullable=True),
    )
    op.create_table(
        "schedule_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("fire_at", sa.Float, nullable=False),
        sa.Column("started_at", sa.Float, nullable=True),
        sa.Column("finished_at", sa.Float, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("exit_code", sa.Integer, nullable=True),
        sa.Column("detail", sa.Text, nullable=False),
        sa.UniqueConstraint("name", "fire_at", name="uq_schedule_runs_fire"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_schedule_runs_name", "schedule_runs", ["name", "fire_at"])


def downgrade() -> None:
    op.drop_index("ix_schedule_runs_name", table_name="schedule_runs")
    op.drop_table("schedule_runs")
    op.drop_table("schedules")
    op.drop_index("ix_dist_shards_state", table_name="dist_shards")
    op.drop_table("dist_shards")
