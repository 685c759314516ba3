"""Store fixtures: every store test runs against SQLite (a temporary file) and PostgreSQL (127.0.0.1:5432,
database `test`, a schema of its own per test, dropped afterwards). Without a PostgreSQL server the
PostgreSQL tests skip on a developer's machine and fail under CI (tests/services.py)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from assay.store import Store, open_store
from tests.services import POSTGRES, require

PG_DSN = "postgresql://{user}@127.0.0.1:5432/test"
PG_USERS = ("postgres", "root")


def pg_user() -> str:
    require(POSTGRES)
    problems = []
    for user in PG_USERS:
        try:
            with psycopg.connect(PG_DSN.format(user=user), connect_timeout=5):
                return user
        except psycopg.Error as exc:
            problems.append(f"{user}: {str(exc).strip().splitlines()[0]}")
    pytest.fail("PostgreSQL at 127.0.0.1:5432 (database test) is required for these tests: " + "; ".join(problems))


@pytest.fixture(scope="session")
def pg_base() -> str:
    return PG_DSN.format(user=pg_user())


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty store of the parametrised backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'assay.db'}"
        return
    base = request.getfixturevalue("pg_base")
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture()
def key_path(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "signing-key.pem"


@pytest.fixture()
def opener(store_url: str, key_path: Path) -> Iterator[Callable[[], Store]]:
    """open() -> another Store over the same database (each one closed at the end)."""
    opened: list[Store] = []

    def open_() -> Store:
        s = open_store(store_url, key_path=key_path)
        opened.append(s)
        return s

    yield open_
    for s in opened:
        s.close()


@pytest.fixture()
def store(opener: Callable[[], Store]) -> Store:
    return opener()
