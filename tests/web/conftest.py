"""Dashboard fixtures: a store seeded with three hand-built scans, users of each role, signed-in clients."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assay.store import Store, open_store
from assay.web import users
from assay.web.app import create_app
from assay.web.users import Role, add_user, create_token
from tests.web import seed

PASSWORDS = {"admin": "admin-pass-0001", "auditor": "auditor-pass-01", "viewer": "viewer-pass-001"}


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2id still, with the library's cheapest parameters: sign-ins in tests take milliseconds."""
    default = users.hasher
    users.hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    yield
    users.hasher = default


def open_seeded(path: Path) -> Store:
    store = open_store(f"sqlite:///{path / 'assay.db'}", key_path=path / "signing.key")
    seed.seed(store)
    for name, password in PASSWORDS.items():
        add_user(store.engine, name, Role(name), password)
    return store


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory, cheap_password_hashing: None) -> Path:
    """A seeded store, built once; tests that change a store work on a copy."""
    path = tmp_path_factory.mktemp("web-template")
    open_seeded(path).close()
    return path


def copy_store(template: Path, path: Path) -> Store:
    with sqlite3.connect(template / "assay.db") as src, sqlite3.connect(path / "assay.db") as dst:
        src.backup(dst)
    shutil.copy2(template / "signing.key", path / "signing.key")
    return open_store(f"sqlite:///{path / 'assay.db'}", key_path=path / "signing.key")


@pytest.fixture(scope="session")
def web_store(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Read-only for tests: users, tokens and scans that tests add go in their own stores."""
    store = copy_store(template, tmp_path_factory.mktemp("web-store"))
    yield store
    store.close()


@pytest.fixture(scope="session")
def app(web_store: Store) -> FastAPI:
    return create_app(store=web_store)


@pytest.fixture()
def own_store(template: Path, tmp_path: Path) -> Iterator[Store]:
    """A seeded store of the test's own, for tests that add or remove users and tokens."""
    store = copy_store(template, tmp_path)
    yield store
    store.close()


@pytest.fixture()
def own_app(own_store: Store) -> FastAPI:
    """Its own app too: failed sign-ins count against this app's limiter only."""
    return create_app(store=own_store)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def sign_in(client: TestClient, name: str, password: str | None = None) -> TestClient:
    form = client.get("/login")
    response = client.post("/login", data={"username": name, "password": password or PASSWORDS[name],
                                           "csrf_token": csrf_of(form.text), "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


@pytest.fixture()
def anon(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture()
def viewer(app: FastAPI) -> TestClient:
    return sign_in(TestClient(app), "viewer")


@pytest.fixture()
def auditor(app: FastAPI) -> TestClient:
    return sign_in(TestClient(app), "auditor")


@pytest.fixture()
def admin(app: FastAPI) -> TestClient:
    return sign_in(TestClient(app), "admin")


@pytest.fixture(scope="session")
def viewer_token(web_store: Store) -> str:
    return create_token(web_store.engine, "tests-viewer", Role.VIEWER, 1)[1]
