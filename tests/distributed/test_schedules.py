"""Cron schedules: a beat process runs a scan through the workers by itself; missed runs are flagged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assay.cli import app
from assay.demo.fleet import member_ids, role_arn
from assay.distributed.ledger import Ledger, engine_for
from assay.distributed.schedules import Schedules
from assay.distributed.settings import Settings
from assay.errors import UsageError
from tests.distributed.conftest import Workers


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def test_a_run_not_made_in_time_is_flagged_missed(tmp_path: Path) -> None:
    store = Schedules(engine_for(f"sqlite:///{tmp_path / 'schedules.db'}"))
    store.add("nightly", "0 3 * * *", ["-r", "us-east-1"], grace=3600, now=_ts("2024-01-01T12:00:00"))
    [state] = store.states(now=_ts("2024-01-02T03:30:00"))
    assert not state.missed  # due at 03:00, still within its hour of grace
    [state] = store.states(now=_ts("2024-01-02T04:30:00"))
    assert state.missed and "due at 2024-01-02 03:00:00 UTC" in state.reason and "never run" in state.reason

    # The scheduler comes back two days late: it runs the latest cron time and records the two it missed.
    now = _ts("2024-01-04T03:10:00")
    [(schedule, fire, run_id)] = store.claim(now=now)
    assert schedule.name == "nightly" and fire == _ts("2024-01-04T03:00:00")
    assert store.claim(now=now) == []  # claimed once: a second scheduler starts nothing
    store.finish(run_id, "ok", 0, "")
    [state] = store.states(now=now)
    assert not state.missed and state.missed_runs == 2 and state.last_run is not None
    assert state.last_run.status == "ok"
    runs = store.runs("nightly")
    assert [(datetime.fromtimestamp(r.fire_at, UTC).day, r.status) for r in runs] == [(4, "ok"), (3, "missed"),
                                                                                     (2, "missed")]
    [state] = store.states(now=_ts("2024-01-05T03:30:00"))
    assert not state.missed
    [state] = store.states(now=_ts("2024-01-05T04:01:00"))
    assert state.missed and "last run for 2024-01-04 03:00:00 UTC" in state.reason


def test_schedule_commands_refuse_bad_input_and_list_missed(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    bad_cron = runner.invoke(app, ["schedule", "add", "--name", "x", "--cron", "61 * * * *", "--db", db])
    assert isinstance(bad_cron.exception, UsageError) and "not a cron expression" in str(bad_cron.exception)
    bad_option = runner.invoke(app, ["schedule", "add", "--name", "x", "--cron", "0 3 * * *", "--db", db, "--",
                                     "--no-such-option"])
    assert isinstance(bad_option.exception, UsageError) and "no-such-option" in str(bad_option.exception)
    store = Schedules(engine_for(db))
    store.add("weekly", "0 3 * * 1", ["--region", "us-east-1"], now=time.time() - 15 * 86400)
    ok = runner.invoke(app, ["schedule", "add", "--name", "daily", "--cron", "0 3 * * *", "--db", db, "--",
                             "--region", "eu-west-1"])
    assert ok.exit_code == 0, ok.output
    listed = runner.invoke(app, ["schedule", "list", "--db", db, "-f", "json"])
    states = {s["name"]: s for s in __import__("json").loads(listed.stdout)}
    assert states["weekly"]["missed"] and not states["daily"]["missed"]
    assert states["daily"]["args"] == ["--region", "eu-west-1"]
    table = runner.invoke(app, ["schedule", "list", "--db", db])
    assert "MISSED" in table.stdout and table.stdout.count("MISSED") == 1
    assert runner.invoke(app, ["schedule", "remove", "weekly", "--db", db]).exit_code == 0
    gone = runner.invoke(app, ["schedule", "remove", "weekly", "--db", db])
    assert isinstance(gone.exception, UsageError)


def test_a_schedule_runs_a_distributed_scan_by_itself(fleet_endpoint: str, settings: Settings, pg_url: str,
                                                      two_workers: Workers, aws_env: dict[str, str],
                                                      tmp_path: Path) -> None:
    from assay.store import open_store

    account = member_ids(1)[0]
    args = ["--workers", "celery", "--role-arn", role_arn(account), "-r", "us-east-1", "--service", "kms",
            "--service", "iam"]
    runner = CliRunner()
    added = runner.invoke(app, ["schedule", "add", "--name", "every-3s", "--cron", "* * * * * */3", "--db", pg_url,
                                "--", *args])
    assert added.exit_code == 0, added.output
    env = {**os.environ, **aws_env, **settings.environ(), "AWS_ENDPOINT_URL": fleet_endpoint}
    log = tmp_path / "beat.log"
    with log.open("wb") as fh:
        beat = subprocess.Popen([sys.executable, "-m", "assay", "beat", "--interval", "0.5", "--db", pg_url],
                                env=env, stdout=fh, stderr=subprocess.STDOUT)
    store = Schedules(engine_for(pg_url))
    try:
        deadline = time.monotonic() + 90
        while not any(r.status != "running" for r in store.runs("every-3s")):
            assert beat.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"no scheduled run finished:\n{log.read_text()}"
            time.sleep(0.5)
    finally:
        beat.send_signal(signal.SIGTERM)
        beat.wait(timeout=60)
        assert runner.invoke(app, ["schedule", "remove", "every-3s", "--db", pg_url]).exit_code == 0
    done = [r for r in store.runs("every-3s") if r.status not in ("running", "missed")]
    assert done[0].status == "ok" and done[0].exit_code == 0, (done, log.read_text())
    scans = open_store(pg_url).scans()
    assert scans, "the scheduled scan was not stored"
    assert scans[0].accounts == [account] and scans[0].complete
    rows = Ledger(engine_for(pg_url)).rows(scans[0].uuid)  # its shards went through the workers
    assert len(rows) == 2 and {r["state"] for r in rows} == {"success"}


def test_the_local_pool_refuses_queue_options() -> None:
    from assay.distributed.cli import Runner, shard_runner

    assert shard_runner(Runner.local, None, None, None) is None
    with pytest.raises(UsageError, match="--broker and --queue need --workers celery"):
        shard_runner(Runner.local, "redis://127.0.0.1:6379/0", None, None)


def test_run_due_records_a_scan_that_failed_with_its_reason(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'due.db'}"
    store = Schedules(engine_for(db))
    store.add("broken", "* * * * * *", ["--region", "nowhere-9"], grace=60, now=time.time() - 5)
    store.add("later", "0 3 1 1 *", ["--region", "us-east-1"], now=time.time())
    result = CliRunner().invoke(app, ["schedule", "run-due", "--db", db])
    assert result.exit_code == 0, result.output
    [run] = [r for r in store.runs("broken") if r.status != "missed"]
    assert run.status == "failed" and run.exit_code == 2 and "nowhere-9" in run.detail
    assert store.runs("later") == []  # not due: not run
    [broken, later] = store.states()
    assert broken.last_run is not None and broken.last_run.status == "failed" and not later.missed
