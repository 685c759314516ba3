"""Page queries stay index lookups: every query a dashboard page makes is checked with SQLite's query
planner (no full scan of the findings table, no sort of a whole scan). Timings at 100,000 findings over 50
scans: `python -m bench.store_bench` (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from bench.store_bench import page_queries, populate
from sqlalchemy import event

from assay.store import Store, open_store


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("pages")
    store = open_store(f"sqlite:///{path / 'a.db'}", key_path=path / "k.pem")
    populate(store, scans=3, per_scan=400)  # no ANALYZE: plans as for a big store, not for this small one
    yield store
    store.close()


def plans(store: Store, run: object) -> list[str]:
    statements: list[tuple[str, object]] = []

    def capture(conn: object, cursor: object, statement: str, parameters: object, context: object,
                executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        run(store)  # type: ignore[operator]
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    out = []
    with store.engine.connect() as conn:
        for statement, parameters in statements:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()  # type: ignore[arg-type]
            out.append(" | ".join(str(r[-1]) for r in rows))
    return out


@pytest.mark.parametrize("name", [n for n in page_queries(3) if n != "diff of the last two"])
def test_page_queries_use_indexes(filled: Store, name: str) -> None:
    found = plans(filled, page_queries(3)[name])
    assert found
    for plan in found:
        assert "SCAN findings" not in plan and "SCAN criterion_results" not in plan, plan
        assert "TEMP B-TREE" not in plan, plan


def test_every_page_returns_rows_and_totals(filled: Store) -> None:
    page = filled.findings(3, status="fail", limit=50)
    assert 0 < len(page.items) <= 50 and page.total >= len(page.items)
    assert all(f.status == "fail" for f in page.items)
    worst = filled.findings(3, sort="severity", limit=5).items
    assert [f.severity for f in worst] == ["critical"] * 5
    assert filled.count_scans() == 3


def test_indexes_exist_on_a_fresh_store(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}", key_path=tmp_path / "k.pem")
    names = {ix["name"] for ix in sa.inspect(store.engine).get_indexes("findings")}
    with store.engine.connect() as conn:
        severity = [(r[2], r[3]) for r in conn.exec_driver_sql("PRAGMA index_xinfo('ix_findings_scan_severity')")
                    if r[5]]  # (column, descending) of the key columns
    store.close()
    assert severity == [("scan_id", 0), ("severity_rank", 1), ("id", 0)]
    assert {"ix_findings_scan", "ix_findings_scan_status", "ix_findings_scan_severity", "ix_findings_scan_control",
            "ix_findings_scan_account", "ix_findings_scan_region", "ix_findings_finding"} <= names
