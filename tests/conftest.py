"""Shared fixtures: a real moto server over HTTP, guarded Assay access to it, resource factories."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from assay.collect.session import AwsAccess
from assay.demo.accounts import demo_accesses as accesses_for
from assay.demo.estate import REGIONS
from assay.demo.server import DEMO_CREDENTIALS, moto_server, reset, seed_client


@pytest.fixture(scope="session", autouse=True)
def private_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test (and every `assay` it runs in a subprocess) stores scans in a temporary SQLite file and
    keeps any signing key there too, never in the user's data directory."""
    home = tmp_path_factory.mktemp("assay-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASSAY_DB", f"sqlite:///{home / 'assay.db'}")
        mp.setenv("XDG_DATA_HOME", str(home))
        mp.delenv("ASSAY_SIGNING_KEY", raising=False)
        yield


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def demo_endpoint() -> Iterator[str]:
    """The whole demo estate (both accounts) in its own process, seeded once per test worker.

    Its own process, because moto's state is global to a process and other tests reset theirs.
    Tests must not change it: they scan it, possibly with faults injected into their own accesses.
    """
    proc = subprocess.Popen([sys.executable, "-m", "assay.demo.serve"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("ENDPOINT "), f"demo server did not start: {line!r}"
        yield line.split()[1]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture()
def demo_accesses(demo_endpoint: str) -> list[AwsAccess]:
    """Fresh (hook-free) accesses to the demo's production and sandbox accounts."""
    return accesses_for(demo_endpoint, REGIONS)


@pytest.fixture()
def endpoint(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A clean moto state for each test, and credentials that only moto accepts."""
    reset(moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", DEMO_CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", DEMO_CREDENTIALS["aws_secret_access_key"])
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    yield moto_endpoint


@pytest.fixture()
def seed(endpoint: str) -> Any:
    """seed(service, region) -> an unguarded boto3 client for building fixtures."""
    return lambda service, region="us-east-1": seed_client(endpoint, service, region)


@pytest.fixture()
def access(endpoint: str) -> AwsAccess:
    return AwsAccess(endpoint_url=endpoint, home_region="us-east-1")
