"""Real services for distributed scans: Redis, PostgreSQL, a moto organisation and two Celery workers.

Each test run uses its own PostgreSQL schema, queue and Redis key prefix, so parallel runs (and
pytest-xdist workers) never see each other's shards. Redis and PostgreSQL must be up: without them
these tests skip on a developer's machine and fail under CI (tests/services.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from assay.demo.server import DEMO_CREDENTIALS
from assay.distributed.settings import Settings
from tests.services import POSTGRES, require
from tests.services import REDIS as REDIS_SERVER

MEMBERS = 5  # accounts in the moto organisation
PG = "postgresql://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/9"


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
def fleet_endpoint() -> Iterator[str]:
    """Five member accounts, each entered by assuming its role, in a moto server process of its own."""
    proc = subprocess.Popen([sys.executable, "-m", "assay.demo.fleet", str(MEMBERS), "2"], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("ENDPOINT "), f"fleet server did not start: {line!r}"
        yield line.split()[1]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def pg_url(run_id: str) -> Iterator[str]:
    """The `test` database, in a schema of this run's own."""
    require(POSTGRES, REDIS_SERVER)
    schema = f"dist_{run_id}"
    admin = sa.create_engine(PG.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def settings(run_id: str, pg_url: str) -> Iterator[Settings]:
    """Short limits so that faults resolve in seconds: a lost worker's shard returns after 8 s."""
    import redis

    prefix = f"assay-test-{run_id}:"
    yield Settings(broker=REDIS, queue=f"assay-test-{run_id}", prefix=prefix, db=pg_url, attempts=3, retry_delay=0.5,
                   time_limit=60, visibility_timeout=8, scan_timeout=120, poll=0.1)
    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="session")
def aws_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Credentials only moto accepts, for this process and the workers; no profile files unless a test
    writes them (`aws_config_dir`)."""
    conf = tmp_path_factory.mktemp("aws")
    env = {
        "AWS_ACCESS_KEY_ID": DEMO_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": DEMO_CREDENTIALS["aws_secret_access_key"],
        "AWS_CONFIG_FILE": str(conf / "config"), "AWS_SHARED_CREDENTIALS_FILE": str(conf / "credentials"),
        "ASSAY_SIGNING_KEY": str(conf / "signing.pem"),
    }
    saved = {k: os.environ.get(k) for k in [*env, "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"]}
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        os.environ.pop(k, None)
    os.environ.update(env)
    yield env
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@dataclass
class Worker:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None


@dataclass
class Workers:
    """Two `assay worker` processes (prefork, one pool process each), each in its own process group."""

    settings: Settings
    env: dict[str, str]
    logs: Path
    run_id: str
    procs: list[Worker] = field(default_factory=list)

    def _start(self, n: int) -> Worker:
        name = f"w{n}-{self.run_id}"
        log = self.logs / f"{name}-{time.monotonic_ns()}.log"
        cmd = [sys.executable, "-m", "assay", "worker", "--pool", "prefork", "--concurrency", "1", "-n",
               f"{name}@%h", "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel", "INFO"]
        with log.open("wb") as fh:
            proc = subprocess.Popen(cmd, env={**os.environ, **self.env, **self.settings.environ()}, stdout=fh,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        return Worker(name, proc, log)

    def ensure(self, count: int = 2) -> None:
        """Both workers running and consuming (a killed one is replaced)."""
        while len(self.procs) < count:
            self.procs.append(self._start(len(self.procs) + 1))
        for i, w in enumerate(self.procs):
            if not w.alive:
                self.procs[i] = self._start(i + 1)
        deadline = time.monotonic() + 60
        for w in self.procs:
            while b" ready." not in w.log.read_bytes():
                assert w.alive, f"worker {w.name} exited:\n{w.log.read_text(errors='replace')[-3000:]}"
                assert time.monotonic() < deadline, f"worker {w.name} not ready:\n{w.log.read_text()[-3000:]}"
                time.sleep(0.2)

    def by_host(self, hostname: str) -> Worker:
        return next(w for w in self.procs if hostname.startswith(f"{w.name}@"))

    def kill(self, w: Worker) -> None:
        os.killpg(w.proc.pid, signal.SIGKILL)  # the worker and its pool process, as when a machine dies
        w.proc.wait(timeout=10)

    def stop(self) -> None:
        for w in self.procs:
            if w.alive:
                os.killpg(w.proc.pid, signal.SIGTERM)
        for w in self.procs:
            try:
                w.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(w.proc.pid, signal.SIGKILL)
                w.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def workers(settings: Settings, aws_env: dict[str, str], run_id: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    pool = Workers(settings, aws_env, tmp_path_factory.mktemp("workers"), run_id)
    try:
        pool.ensure()
        yield pool
    finally:
        pool.stop()


@pytest.fixture()
def two_workers(workers: Workers) -> Workers:
    workers.ensure()
    return workers
