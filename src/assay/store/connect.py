"""Store URLs, engines and migrations.

SQLite: WAL (readers never wait for the writer), a 30 s busy timeout, and write transactions opened
with BEGIN IMMEDIATE so that two writers (threads or processes) queue instead of failing halfway.
PostgreSQL: psycopg 3; migrations run under an advisory lock, appends lock the chain head row.
Migrations run on every open, inside one transaction, so a store is always at the code's revision.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from assay.errors import ConfigError, UsageError

DB_ENV = "ASSAY_DB"
WRITE = {"assay_write": True}  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)
_MIGRATION_LOCK = 0x61737361795F6462  # "assay_db": pg_advisory_xact_lock key for migrations


def default_url() -> str:
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('assay')) / 'assay.db'}"


def resolve_url(url: str | None) -> URL:
    """--db / $ASSAY_DB / the user's data directory, normalised; a bare path means a SQLite file."""
    raw = url or os.environ.get(DB_ENV) or default_url()
    if "://" not in raw:
        raw = f"sqlite:///{Path(raw).expanduser().absolute()}"
    try:
        parsed = make_url(raw)
    except ArgumentError:
        raise UsageError(f"store URL {raw!r} is not a database URL (sqlite:///path.db or "
                         "postgresql://user@host/db)") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise UsageError(f"store URL driver {driver!r} is not supported; use postgresql:// (psycopg 3)")
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if not parsed.database or parsed.database == ":memory:":
            raise UsageError("the store needs a SQLite file (sqlite:///path.db), not an in-memory database")
        return parsed.set(drivername="sqlite+pysqlite")
    raise UsageError(f"store URL {parsed.render_as_string(hide_password=True)!r}: only SQLite and "
                     "PostgreSQL are supported")


def sqlite_file(url: URL) -> Path | None:
    return Path(url.database).expanduser().absolute() if url.get_backend_name() == "sqlite" and url.database else None


def make_engine(url: URL) -> sa.Engine:
    if url.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        assert path is not None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise ConfigError(f"cannot create the store's directory {path.parent}: {exc.strerror}") from None
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _sqlite_events(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _sqlite_events(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, explicitly
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("assay_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def migrations_dir() -> Path:
    return Path(str(resources.files("assay.store").joinpath("migrations")))


def migrate(engine: sa.Engine) -> None:
    """Bring the database to the newest revision this Assay knows; refuse one migrated by a newer Assay."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(cfg)
    heads = set(script.get_heads())
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        current = set(MigrationContext.configure(conn).get_current_heads())
        unknown = current - known
        if unknown:
            raise ConfigError(f"the store was migrated by a newer Assay (revision {', '.join(sorted(unknown))}); "
                              "upgrade Assay to use it")
        if current != heads:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
