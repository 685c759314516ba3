"""Scans on two real Celery workers (Redis broker, PostgreSQL ledger) against a five-account moto organisation."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.collect.shard import AccessSpec, ShardSpec
from assay.demo.fleet import SERVICES, fleet_accesses, role_arn
from assay.distributed.coordinator import celery_publisher, collect_distributed
from assay.distributed.ledger import Ledger, engine_for
from assay.distributed.settings import Settings
from assay.engine import evaluate
from assay.errors import ConfigError, UsageError
from assay.models.inventory import CoverageStatus, Inventory
from tests.distributed.conftest import MEMBERS, Workers
from tests.services import RABBITMQ, require

REGIONS = ["us-east-1", "eu-west-1"]
SLOW = ["kms", "sns"]  # regional shards of a few reads each, slowed by a rate limit in the kill test


def _same_inventory(a: Inventory, b: Inventory) -> None:
    assert [r.model_dump() for r in a.resources()] == [r.model_dump() for r in b.resources()]
    assert a.errors == b.errors
    assert a.accounts == b.accounts and a.regions == b.regions

    def cov(inv: Inventory) -> list[dict[str, Any]]:
        # Time and call counts vary from run to run (IAM polls its credential report until it is ready).
        return [c.model_dump(exclude={"seconds", "api_calls"}) for c in inv.coverage]

    assert cov(a) == cov(b)
    assert set(a.meta.api_calls) == set(b.meta.api_calls)


def _ledger(settings: Settings) -> Ledger:
    return Ledger(engine_for(settings.db))


def test_distributed_scan_gives_the_local_findings(fleet_endpoint: str, settings: Settings,
                                                   two_workers: Workers) -> None:
    accesses = fleet_accesses(fleet_endpoint, MEMBERS)
    remote = collect_distributed(accesses, REGIONS, SERVICES, settings=settings)
    local = collect(fleet_accesses(fleet_endpoint, MEMBERS), REGIONS, SERVICES)
    assert len(remote.accounts) == MEMBERS and remote.complete
    _same_inventory(remote, local)
    remote_findings = evaluate(remote).findings
    assert [f.model_dump() for f in remote_findings] == [f.model_dump() for f in evaluate(local).findings]
    assert {f.status.value for f in remote_findings} >= {"pass", "fail"}
    rows = _ledger(settings).rows(remote.meta.scan_id)
    assert len(rows) == len([c for c in remote.coverage if c.status is not CoverageStatus.NOT_ENABLED])
    assert {r["state"] for r in rows} == {"success"}
    assert {r["worker"].split("@")[0] for r in rows} == {w.name for w in two_workers.procs}  # both took shards


def test_a_duplicate_delivery_adds_nothing(fleet_endpoint: str, settings: Settings, two_workers: Workers) -> None:
    publish = celery_publisher(settings)

    def twice(scan_id: str, spec: ShardSpec, round_: int, countdown: float) -> None:
        publish(scan_id, spec, round_, countdown)
        publish(scan_id, spec, round_, countdown)

    accesses = fleet_accesses(fleet_endpoint, 2)
    remote = collect_distributed(accesses, REGIONS, ["iam", "kms", "s3"], settings=settings, publish=twice)
    ledger = _ledger(settings)
    deadline = time.monotonic() + 30
    while any(r["duplicates"] < 1 for r in ledger.rows(remote.meta.scan_id)):  # the second copies, handled
        assert time.monotonic() < deadline, ledger.rows(remote.meta.scan_id)
        time.sleep(0.2)
    rows = ledger.rows(remote.meta.scan_id)
    assert all(r["state"] == "success" and r["duplicates"] == 1 for r in rows), rows
    _same_inventory(remote, collect(fleet_accesses(fleet_endpoint, 2), REGIONS, ["iam", "kms", "s3"]))
    # Delivering a finished shard once more changes nothing either.
    account = remote.accounts[0].account_id
    spec = ShardSpec(access=AccessSpec(role_arn=role_arn(account), endpoint_url=fleet_endpoint,
                                       home_region=REGIONS[0]), account_id=account, region="global", service="iam")
    key = spec.shard.key

    def duplicates() -> int:
        return int(next(r["duplicates"] for r in ledger.rows(remote.meta.scan_id) if r["shard_key"] == key))

    before = ledger.result(remote.meta.scan_id, key)
    assert before is not None and duplicates() == 1
    publish(remote.meta.scan_id, spec, 0, 0)
    deadline = time.monotonic() + 30
    while duplicates() < 2:
        assert time.monotonic() < deadline, "the extra delivery was not handled"
        time.sleep(0.2)
    assert ledger.result(remote.meta.scan_id, key) == before


def test_a_killed_worker_shard_is_finished_by_the_other(fleet_endpoint: str, settings: Settings,
                                                         two_workers: Workers) -> None:
    # One request per second per shard: a KMS shard takes about 5 s (6 reads), so one killed within
    # 2 s of its start is surely killed mid-shard.
    accesses = fleet_accesses(fleet_endpoint, 3, max_rate=1)
    out: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: out.update(inv=collect_distributed(
        accesses, ["us-east-1"], SLOW, settings=settings)), daemon=True)
    thread.start()
    ledger = _ledger(settings)
    running: dict[str, Any] | None = None
    deadline = time.monotonic() + 30
    while running is None:
        assert time.monotonic() < deadline, "no KMS shard started"
        rows = [r for s in _scan_ids(ledger) for r in ledger.rows(s)]
        running = next((r for r in rows if r["state"] == "running" and r["shard_key"].endswith("/kms")
                        and 0.3 < time.time() - r["started_at"] < 2.0), None)
        time.sleep(0.05)
    victim = two_workers.by_host(running["worker"])
    survivor = next(w for w in two_workers.procs if w is not victim)
    two_workers.kill(victim)
    killed_at = time.monotonic()
    thread.join(timeout=90)
    assert not thread.is_alive(), "the scan did not end after a worker was killed"
    took = time.monotonic() - killed_at
    inv: Inventory = out["inv"]
    row = next(r for r in ledger.rows(inv.meta.scan_id) if r["shard_key"] == running["shard_key"])
    assert row["state"] == "success" and row["deliveries"] == 2, row
    assert row["worker"].startswith(f"{survivor.name}@")
    assert inv.complete
    _same_inventory(inv, collect(fleet_accesses(fleet_endpoint, 3), ["us-east-1"], SLOW))
    assert took < 60, f"the scan took {took:.0f}s after the kill"
    print(f"\nkilled {victim.name} on shard {running['shard_key']}: scan finished {took:.1f}s later")


def _scan_ids(ledger: Ledger) -> list[str]:
    import sqlalchemy as sa

    from assay.distributed.tables import shards

    with ledger.engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.select(shards.c.scan_id).where(shards.c.state == "running").distinct())]


def _profile(path: Path, name: str) -> None:
    path.write_text(f"[profile {name}]\naws_access_key_id = AKIADEMOASSAYSCANNER\n"
                    f"aws_secret_access_key = demo-secret-not-real\nregion = us-east-1\n")


def test_a_shard_that_keeps_failing_is_failed_after_its_attempts(
        fleet_endpoint: str, settings: Settings, two_workers: Workers, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # This process knows profile "auditor"; the workers do not: every attempt fails on their side.
    _profile(tmp_path / "config", "auditor")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    access = AwsAccess(profile="auditor", endpoint_url=fleet_endpoint, home_region="us-east-1", max_rate=None)
    started = time.monotonic()
    inv = collect_distributed(access, ["us-east-1"], ["iam", "kms"], settings=settings)
    assert time.monotonic() - started < 30
    assert not inv.complete
    assert {c.status for c in inv.coverage} == {CoverageStatus.ERROR}
    for c in inv.coverage:
        assert "failed 3 times" in c.reason and "auditor" in c.reason, c.reason
    rows = _ledger(settings).rows(inv.meta.scan_id)
    assert [(r["state"], r["deliveries"]) for r in rows] == [("failed", 3), ("failed", 3)]
    # Unknown is never PASS: what these shards would have read is ERROR.
    findings = evaluate(inv).findings
    assert findings and {f.status.value for f in findings} == {"error"}


def test_a_shard_that_fails_once_succeeds_on_a_retry(
        fleet_endpoint: str, settings: Settings, two_workers: Workers, aws_env: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _profile(tmp_path / "config", "late")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    access = AwsAccess(profile="late", endpoint_url=fleet_endpoint, home_region="us-east-1", max_rate=None)
    out: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: out.update(inv=collect_distributed(
        access, ["us-east-1"], ["iam"], settings=settings)), daemon=True)
    thread.start()
    ledger = _ledger(settings)
    deadline = time.monotonic() + 20
    while not any(r["reason"] and r["state"] != "failed" for s in _all_scans(ledger) for r in ledger.rows(s)
                  if r["shard_key"].endswith("/global/iam") and r["deliveries"] == 1):
        assert time.monotonic() < deadline and thread.is_alive(), "the first attempt did not fail"
        time.sleep(0.02)
    _profile(Path(aws_env["AWS_CONFIG_FILE"]), "late")  # the workers' machine gets the profile
    try:
        thread.join(timeout=30)
        inv: Inventory = out["inv"]
        assert inv.complete
        row = ledger.rows(inv.meta.scan_id)[0]
        assert row["state"] == "success" and row["deliveries"] >= 2
    finally:
        Path(aws_env["AWS_CONFIG_FILE"]).unlink()


def _all_scans(ledger: Ledger) -> list[str]:
    import sqlalchemy as sa

    from assay.distributed.tables import shards

    with ledger.engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.select(shards.c.scan_id).distinct())]


def test_shards_nobody_runs_time_out_and_the_scan_is_partial(fleet_endpoint: str, settings: Settings,
                                                             run_id: str) -> None:
    lonely = replace(settings, queue=f"nobody-{run_id}", scan_timeout=2.0)
    started = time.monotonic()
    inv = collect_distributed(fleet_accesses(fleet_endpoint, 1), ["us-east-1"], ["kms"], settings=lonely)
    assert time.monotonic() - started < 15
    [cov] = inv.coverage
    assert cov.status is CoverageStatus.TIMEOUT and "scan timeout" in cov.reason and "nobody-" in cov.reason
    assert {f.status.value for f in evaluate(inv).findings} == {"error"}


def test_an_unreachable_broker_or_database_is_refused_before_any_aws_call(settings: Settings) -> None:
    with pytest.raises(UsageError, match="cannot reach the broker"):
        celery_publisher(replace(settings, broker="redis://127.0.0.1:1/0"))
    with pytest.raises(ConfigError, match="cannot open the database"):
        engine_for("postgresql://postgres@127.0.0.1:1/test")
    with pytest.raises(UsageError, match="not supported"):
        Settings.from_env(broker="http://127.0.0.1:6379")


def test_a_scan_through_rabbitmq(fleet_endpoint: str, settings: Settings, aws_env: dict[str, str], run_id: str,
                                 tmp_path: Path) -> None:
    require(RABBITMQ)
    rabbit = replace(settings, broker="amqp://guest:guest@127.0.0.1:5672//", queue=f"assay-test-amqp-{run_id}",
                     prefix="")
    pool = Workers(rabbit, aws_env, tmp_path, f"amqp-{run_id}")
    try:
        pool.ensure(count=1)
        remote = collect_distributed(fleet_accesses(fleet_endpoint, 2), ["us-east-1"], ["iam", "kms"], settings=rabbit)
    finally:
        pool.stop()
        from assay.distributed.tasks import make_app

        with make_app(rabbit).connection_for_write() as conn:
            conn.default_channel.queue_delete(rabbit.queue)
    _same_inventory(remote, collect(fleet_accesses(fleet_endpoint, 2), ["us-east-1"], ["iam", "kms"]))
    assert {r["state"] for r in _ledger(settings).rows(remote.meta.scan_id)} == {"success"}
