"""The dashboard over a PostgreSQL store (the server on 127.0.0.1:5432, database `test`, a schema of its own)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from assay.store import Store, open_store
from assay.web.app import create_app
from assay.web.users import Role, add_user
from tests.services import POSTGRES, require
from tests.web import seed
from tests.web.conftest import PASSWORDS, sign_in

SERVER = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="module")
def pg_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    require(POSTGRES)
    schema = f"web_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    store = open_store(f"{SERVER}?options=-csearch_path%3D{schema}",
                       key_path=tmp_path_factory.mktemp("pg-key") / "signing.key")
    try:
        seed.seed(store)
        add_user(store.engine, "viewer", Role.VIEWER, PASSWORDS["viewer"])
        yield store
    finally:
        store.close()
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_pages_and_api_on_postgresql(pg_store: Store) -> None:
    client = sign_in(TestClient(create_app(store=pg_store)), "viewer")
    overview = client.get("/api/overview").json()
    assert overview["scan"]["id"] == 3 and len(overview["criteria"]) == 61
    assert {t["id"]: t["failing"] for t in overview["criteria"]}["CC6.1"] == 5
    states = sorted(e["state"] for e in client.get("/api/exceptions").json()["exceptions"])
    assert states == ["active", "expired", "expiring"]  # the JSON path query works on JSONB too
    assert client.get("/api/findings?q=norotate&status=fail").json()["total"] == 2
    assert [c["resource_name"] for c in client.get("/api/diff").json()["resolved"]] == ["prod-norotate"]
    assert [p["scan_id"] for p in client.get("/api/controls/kms.key_rotation_enabled").json()["history"]] == [1, 2, 3]
    for page in ("/", "/criteria/CC6.1", "/coverage?scan=2", "/history", "/exceptions"):
        assert client.get(page).status_code == 200, page
    assert TestClient(client.app).get("/api/me").status_code == 401
