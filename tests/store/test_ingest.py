"""Ingest: idempotent, carry-forward of failures a partial scan or an ERROR could not re-evaluate, migrations."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from assay.errors import ConfigError, UsageError
from assay.store import Store, open_store
from assay.store.connect import resolve_url
from assay.store.tables import Base, FindingTable, ScanTable
from tests.store.factories import ACCOUNT, OTHER, day, evaluation, key


def rows(store: Store, table: type[Base]) -> int:
    with store.read() as s:
        return int(s.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def statuses(store: Store, scan_id: int) -> dict[str, tuple[str, bool]]:
    page = store.findings(scan_id, limit=1000)
    return {f.resource_name: (f.status, f.stale) for f in page.items}


def test_same_scan_twice_adds_nothing(store: Store) -> None:
    ev = evaluation({"a": True, "b": False})
    first = store.ingest(ev)
    counts = (rows(store, ScanTable), rows(store, FindingTable))
    again = store.ingest(ev)
    assert first.stored_now and not again.stored_now
    assert again.id == first.id and again.hash == first.hash
    assert (rows(store, ScanTable), rows(store, FindingTable)) == counts == (1, 2)
    other = store.ingest(evaluation({"a": True, "b": False}, scan_id="a-rescan"))
    assert other.stored_now and other.id == 2  # a rescan is a new scan, never an update


def test_scan_record_and_pages(store: Store) -> None:
    rec = store.ingest(evaluation({"a": True, "b": False, "c": None}))
    assert rec.id == 1 and rec.complete and rec.accounts == [ACCOUNT]
    assert rec.counts == {"pass": 1, "fail": 1, "error": 1, "skip": 0, "excepted": 0, "stale": 0}
    assert store.latest() == store.scan(1) == store.scans()[0]
    assert store.findings(1, status="fail").total == 1
    assert store.findings(1, status=["fail", "error"]).total == 2
    assert store.findings(1, criterion="CC6.1").total == 3
    assert store.findings(1, criterion="CC1.1").total == 0
    assert [f.resource_name for f in store.findings(1, search="KEY/B").items] == ["b"]
    assert store.findings(1, search="100%_").total == 0  # wildcards are literal
    page = store.findings(1, limit=2, offset=2)
    assert (page.total, len(page.items)) == (3, 1)
    assert {c.id: c.status for c in store.criteria(1)}["CC6.1"] == "fail"
    assert store.snapshot(1) and store.scan(99) is None


def test_partial_scan_carries_failures_forward_as_stale(store: Store) -> None:
    store.ingest(evaluation({"a": True, "b": False, "c": False}))
    # Partial: b is not in the inventory at all; c is read fine and now passes.
    rec = store.ingest(evaluation({"a": True, "c": True}, at=day(1), complete=False))
    assert not rec.complete
    assert statuses(store, rec.id) == {"a": ("pass", False), "b": ("fail", True), "c": ("pass", False)}
    stale = store.findings(rec.id, stale=True).items[0]
    assert stale.evaluated_in == 1 and stale.first_seen_in == 1 and "partial scan #2" in (stale.stale_reason or "")
    assert rec.counts["stale"] == 1 and rec.counts["fail"] == 1
    # Still partial: carried again, still pointing at the scan that last evaluated it.
    rec3 = store.ingest(evaluation({"a": True}, at=day(2), complete=False))
    assert store.findings(rec3.id, stale=True).items[0].evaluated_in == 1
    # A complete scan without b: the resource is gone, b is resolved.
    rec4 = store.ingest(evaluation({"a": True}, at=day(3)))
    assert statuses(store, rec4.id) == {"a": ("pass", False)}


def test_error_never_resolves_a_failure(store: Store) -> None:
    store.ingest(evaluation({"a": False, "b": True}))
    rec = store.ingest(evaluation({"a": None, "b": None}, at=day(1)))  # complete scan, reads failed
    found = {f.resource_name: f for f in store.findings(rec.id).items}
    assert (found["a"].status, found["a"].stale) == ("fail", True)  # last state carried forward
    assert "could not be evaluated" in (found["a"].stale_reason or "")
    assert (found["b"].status, found["b"].stale) == ("error", False)  # a pass that errors is an error
    assert {c.id: c.status for c in store.criteria(rec.id)}["CC6.1"] == "fail"


def test_complete_scan_resolves_and_first_seen_is_kept(store: Store) -> None:
    store.ingest(evaluation({"a": False}))
    store.ingest(evaluation({"a": False, "b": False}, at=day(1)))
    rec = store.ingest(evaluation({"a": True, "b": False}, at=day(2)))
    found = {f.resource_name: f for f in store.findings(rec.id).items}
    assert (found["a"].status, found["a"].first_seen_in) == ("pass", 1)
    assert (found["b"].status, found["b"].first_seen_in, found["b"].stale) == ("fail", 2, False)


def test_carry_forward_is_per_account(store: Store) -> None:
    both = (ACCOUNT, OTHER)
    store.ingest(evaluation([key("a", False), key("z", False, account=OTHER)], accounts=both))
    # A partial scan of ACCOUNT only says nothing about OTHER: nothing of OTHER is carried into it.
    rec = store.ingest(evaluation({"b": True}, at=day(1), complete=False))
    assert {f.account_id for f in store.findings(rec.id).items} == {ACCOUNT}
    assert statuses(store, rec.id) == {"a": ("fail", True), "b": ("pass", False)}


def test_migrations_match_the_models_and_reopen_is_cheap(store: Store, opener: Callable[[], Store]) -> None:
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        assert ctx.get_current_heads() == ("0001",) or "0001" in _ancestors(ctx.get_current_heads())
        diffs = [d for d in compare_metadata(ctx, Base.metadata) if _ours(d)]
    if store.engine.dialect.name == "sqlite":
        # SQLite's reflection cannot see an index column's DESC: alembic reports that index as changed.
        # tests/store/test_pages.py checks it directly.
        diffs = [d for d in diffs if "ix_findings_scan_severity" not in str(d)]
    assert diffs == []
    store.ingest(evaluation({"a": True}))
    assert opener().latest() is not None  # a second open migrates nothing and sees the data


def _ours(diff: object) -> bool:
    """Differences about the store's own tables (later revisions may add tables of their own)."""
    items = diff if isinstance(diff, list) else [diff]
    names = set(Base.metadata.tables)
    for item in items:
        for part in item:
            table = getattr(part, "table", None)
            name = getattr(table, "name", None) or getattr(part, "name", None)
            if name in names:
                return True
    return False


def _ancestors(heads: tuple[str, ...]) -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from assay.store.connect import migrations_dir

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(cfg)
    return {rev.revision for head in heads for rev in script.iterate_revisions(head, "base")}


def test_a_store_from_a_newer_assay_is_refused(store: Store, opener: Callable[[], Store]) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(ConfigError, match="newer Assay"):
        opener()


def test_urls() -> None:
    assert resolve_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("relative.db").database == str(Path("relative.db").absolute())
    for bad in ("mysql://u@h/db", "sqlite://", "postgresql+asyncpg://u@h/db", "sqlite:///", "x://y"):
        with pytest.raises(UsageError):
            resolve_url(bad)


def test_unreachable_postgres_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot open the store"):
        open_store("postgresql://nobody@127.0.0.1:9/none?connect_timeout=2", key_path=tmp_path / "k.pem")


def test_signing_key_created_owner_only_and_loose_keys_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.delenv("ASSAY_SIGNING_KEY", raising=False)  # the default place: next to the database
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    store.ingest(evaluation({"a": True}))
    key_file = tmp_path / "signing-key.pem"  # next to the SQLite file
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert store.public_key_pem().startswith("-----BEGIN PUBLIC KEY-----")
    store.close()
    os.chmod(key_file, 0o644)
    loose = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    with pytest.raises(ConfigError, match="chmod 600"):
        loose.ingest(evaluation({"a": False}, at=day(1)))
    loose.close()


def test_default_store_is_never_the_real_data_dir() -> None:
    # tests/conftest.py points $ASSAY_DB and $XDG_DATA_HOME at a temporary directory for the whole session.
    url = resolve_url(None)
    assert url.database and "/.local/share" not in url.database
    assert os.environ["ASSAY_DB"].endswith("assay.db")

