"""The distributed tables the code uses are exactly what the store's migration 0003_distributed creates."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from assay.distributed.ledger import engine_for
from assay.distributed.tables import metadata


def _diff(url: str) -> list[object]:
    engine = engine_for(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    engine.dispose()
    # Only differences about our tables: the store's own tables are not in this metadata.
    return [d for d in diff if not (isinstance(d, tuple) and d[0] in ("remove_table", "remove_index")
                                    and _table(d[1]) not in metadata.tables)]


def _table(obj: object) -> str:
    """The table a reflected table or index belongs to."""
    return str(getattr(getattr(obj, "table", obj), "name", ""))


def test_migration_matches_the_tables_on_sqlite(tmp_path: Path) -> None:
    assert _diff(f"sqlite:///{tmp_path / 'm.db'}") == []


def test_migration_matches_the_tables_on_postgresql(pg_url: str) -> None:
    assert _diff(pg_url) == []
