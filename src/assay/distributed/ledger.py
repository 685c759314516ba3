"""The shards of distributed scans, one row each, keyed by (scan id, shard key).

Every change of state is a single conditional UPDATE: a shard moves from queued or running to a
final state (success, failed, timeout) exactly once, whoever gets there first. A duplicate delivery,
a worker that finishes after the shard was timed out, or a message redelivered after its worker
died changes nothing but a counter. Results are stored once, as gzip JSON.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from assay.distributed.tables import FINAL_STATES, LIVE_STATES, shards
from assay.errors import ConfigError


def encode(doc: dict[str, Any]) -> bytes:
    return gzip.compress(json.dumps(doc, separators=(",", ":")).encode(), mtime=0)


def decode(data: bytes) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(gzip.decompress(data))
    return doc


@dataclass(frozen=True)
class Finished:
    """A shard that reached a final state, as the coordinator reads it."""

    key: str
    round: int
    state: str
    reason: str | None
    result: bytes | None
    deliveries: int
    worker: str | None


def engine_for(url: str | None) -> sa.Engine:
    """An engine on the store's database (--db / $ASSAY_DB / the default SQLite file), migrated.

    Our tables are a revision of the store's migrations (0003_distributed), so they arrive, and
    change, with the store's own.
    """
    from assay.store.connect import make_engine, migrate, resolve_url

    resolved = resolve_url(url)
    engine = make_engine(resolved)
    try:
        migrate(engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        where = resolved.render_as_string(hide_password=True)
        raise ConfigError(f"cannot open the database {where}: {str(exc.orig).strip().splitlines()[0]}") from None
    return engine


class Ledger:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        from assay.store.connect import WRITE

        with self.engine.connect().execution_options(**WRITE) as conn, conn.begin():
            yield conn

    def _insert(self, conn: sa.Connection) -> Any:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        return dialect.insert(shards)

    def add(self, scan_id: str, keys: Iterable[str]) -> None:
        """Queued rows for a scan's shards; adding the same shard again changes nothing."""
        now = time.time()
        rows = [{"scan_id": scan_id, "shard_key": k, "round": 0, "state": "queued", "deliveries": 0,
                 "duplicates": 0, "queued_at": now, "collected": False} for k in keys]
        with self._write() as conn:
            for start in range(0, len(rows), 1000):
                conn.execute(self._insert(conn).on_conflict_do_nothing(), rows[start:start + 1000])

    def _where(self, scan_id: str, key: str, round_: int | None = None) -> Any:
        cond = sa.and_(shards.c.scan_id == scan_id, shards.c.shard_key == key)
        return cond if round_ is None else sa.and_(cond, shards.c.round == round_)

    def start(self, scan_id: str, key: str, round_: int, worker: str) -> int | None:
        """Count one more execution of a live shard; None when it is already final (a duplicate)."""
        with self._write() as conn:
            row = conn.execute(
                shards.update()
                .where(self._where(scan_id, key, round_), shards.c.state.in_(LIVE_STATES))
                .values(deliveries=shards.c.deliveries + 1, state="running", worker=worker, started_at=time.time())
                .returning(shards.c.deliveries)
            ).first()
            if row is None:
                conn.execute(shards.update().where(self._where(scan_id, key))
                             .values(duplicates=shards.c.duplicates + 1))
                return None
            return int(row[0])

    def finish(self, scan_id: str, key: str, round_: int, state: str, *, result: dict[str, Any] | None = None,
               reason: str | None = None) -> bool:
        """Move a live shard to a final state; False (and nothing stored) if something got there first."""
        assert state in FINAL_STATES
        values: dict[str, Any] = {"state": state, "finished_at": time.time(), "reason": reason}
        if result is not None:
            values["result"] = encode(result)
        with self._write() as conn:
            done = conn.execute(
                shards.update().where(self._where(scan_id, key, round_), shards.c.state.in_(LIVE_STATES))
                .values(**values)
            ).rowcount
            if not done:
                conn.execute(shards.update().where(self._where(scan_id, key))
                             .values(duplicates=shards.c.duplicates + 1))
            return bool(done)

    def retry_later(self, scan_id: str, key: str, round_: int, reason: str) -> None:
        with self._write() as conn:
            conn.execute(shards.update().where(self._where(scan_id, key, round_), shards.c.state == "running")
                         .values(state="queued", reason=reason))

    def requeue(self, scan_id: str, key: str, round_: int) -> bool:
        """Put a finished shard back for another round (it was still throttled)."""
        with self._write() as conn:
            return bool(conn.execute(
                shards.update().where(self._where(scan_id, key, round_), shards.c.state == "success")
                .values(round=round_ + 1, state="queued", deliveries=0, result=None, reason=None,
                        collected=False, queued_at=time.time(), started_at=None, finished_at=None)
            ).rowcount)

    def take_finished(self, scan_id: str, limit: int = 200) -> list[Finished]:
        """Final shards the coordinator has not read yet; each is handed out once."""
        with self._write() as conn:
            rows = conn.execute(
                sa.select(shards.c.shard_key, shards.c.round, shards.c.state, shards.c.reason, shards.c.result,
                          shards.c.deliveries, shards.c.worker)
                .where(shards.c.scan_id == scan_id, shards.c.state.in_(FINAL_STATES), shards.c.collected.is_(False))
                .limit(limit)
            ).all()
            if rows:  # only the coordinator touches final rows: nothing changed them since the select
                conn.execute(shards.update().where(shards.c.scan_id == scan_id,
                                                   shards.c.shard_key.in_([r.shard_key for r in rows]))
                             .values(collected=True))
        return [Finished(r.shard_key, r.round, r.state, r.reason, r.result, r.deliveries, r.worker) for r in rows]

    def expire_stalled(self, scan_id: str, started_before: float) -> int:
        """Time out running shards whose last start is older than `started_before`: no worker is left on them."""
        with self._write() as conn:
            stalled = conn.execute(
                sa.select(shards.c.shard_key, shards.c.round, shards.c.worker, shards.c.started_at,
                          shards.c.deliveries)
                .where(shards.c.scan_id == scan_id, shards.c.state == "running",
                       shards.c.started_at < started_before)
            ).all()
            n = 0
            for row in stalled:
                reason = (f"started on {row.worker} (attempt {row.deliveries}) and not finished in "
                          f"{time.time() - row.started_at:.0f}s: the worker was lost or hit the time limit")
                n += conn.execute(
                    shards.update().where(self._where(scan_id, row.shard_key, row.round),
                                          shards.c.state == "running", shards.c.started_at == row.started_at)
                    .values(state="timeout", finished_at=time.time(), reason=reason)
                ).rowcount
        return n

    def expire_all(self, scan_id: str, reason: str) -> int:
        """Time out every shard of the scan that is not final yet."""
        with self._write() as conn:
            return int(conn.execute(
                shards.update().where(shards.c.scan_id == scan_id, shards.c.state.in_(LIVE_STATES))
                .values(state="timeout", finished_at=time.time(), reason=reason)
            ).rowcount)

    def prune(self, older_than: float) -> int:
        """Forget shards queued more than `older_than` seconds ago: their scans were assembled (and stored)."""
        with self._write() as conn:
            return int(conn.execute(shards.delete().where(shards.c.queued_at < time.time() - older_than)).rowcount)

    def rows(self, scan_id: str) -> list[dict[str, Any]]:
        """Every shard of a scan, without results: for status displays and tests."""
        with self.engine.connect() as conn:
            cols = [c for c in shards.c if c.name != "result"]
            return [dict(r._mapping) for r in
                    conn.execute(sa.select(*cols).where(shards.c.scan_id == scan_id).order_by(shards.c.shard_key))]

    def result(self, scan_id: str, key: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            data = conn.execute(sa.select(shards.c.result).where(self._where(scan_id, key))).scalar()
        return decode(data) if data else None
