"""Tables of distributed scans and schedules, in the store's database.

Created by the store's migration 0003_distributed: a change here needs a new revision there.

Times are seconds since the epoch (UTC) from the writer's clock: every machine that talks to AWS has
a synchronised clock anyway, since AWS refuses requests signed more than five minutes off.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

FINAL_STATES = ("success", "failed", "timeout")
LIVE_STATES = ("queued", "running")

shards = sa.Table(
    "dist_shards", metadata,
    sa.Column("scan_id", sa.String(64), primary_key=True),
    sa.Column("shard_key", sa.String(255), primary_key=True),  # account/region/service
    sa.Column("round", sa.Integer, nullable=False, default=0),  # requeues after throttling
    sa.Column("state", sa.String(16), nullable=False),  # queued | running | success | failed | timeout
    sa.Column("deliveries", sa.Integer, nullable=False, default=0),  # executions started in this round
    sa.Column("duplicates", sa.Integer, nullable=False, default=0),  # deliveries that found it already done
    sa.Column("worker", sa.String(255), nullable=True),
    sa.Column("queued_at", sa.Float, nullable=False),
    sa.Column("started_at", sa.Float, nullable=True),
    sa.Column("finished_at", sa.Float, nullable=True),
    sa.Column("reason", sa.Text, nullable=True),  # why the last attempt failed, or why the shard did
    sa.Column("result", sa.LargeBinary, nullable=True),  # gzip JSON of ShardResult.to_wire()
    sa.Column("collected", sa.Boolean, nullable=False, default=False),  # read by the coordinator
    sa.Index("ix_dist_shards_state", "scan_id", "state", "collected"),
)

schedules = sa.Table(
    "schedules", metadata,
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("cron", sa.String(128), nullable=False),
    sa.Column("args", sa.JSON, nullable=False),  # `assay scan` arguments
    sa.Column("grace", sa.Float, nullable=False),  # seconds a run may be late before it counts as missed
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_fire", sa.Float, nullable=True),  # the cron time of the last run claimed
)

schedule_runs = sa.Table(
    "schedule_runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("fire_at", sa.Float, nullable=False),  # the cron time this run is for
    sa.Column("started_at", sa.Float, nullable=True),
    sa.Column("finished_at", sa.Float, nullable=True),
    sa.Column("status", sa.String(16), nullable=False),  # running | complete | partial | failed | missed
    sa.Column("exit_code", sa.Integer, nullable=True),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.UniqueConstraint("name", "fire_at", name="uq_schedule_runs_fire"),
    sa.Index("ix_schedule_runs_name", "name", "fire_at"),
    sqlite_autoincrement=True,
)
