"""T7 preflight: a scan likely to outlive credentials nobody renews is announced before it starts (R-9)."""

from __future__ import annotations

import os
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.collect.targets import Targets
from assay.engine import evaluate
from assay.preflight import (
    DEFAULT_REGIONS,
    Plan,
    credential_warning,
    history_estimate,
    limiting_lifetime,
    shard_count,
    shard_estimate,
    span,
)
from assay.store import open_store
from tests.test_cli import run

ROLE_ACCOUNT = "111111111111"
ROLE = f"arn:aws:iam::{ROLE_ACCOUNT}:role/AssayScan"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture()
def session_env(endpoint: str, seed: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Session credentials from sts:GetSessionToken, exported as `aws configure export-credentials`
    exports them: keys, token and AWS_CREDENTIAL_EXPIRATION (30 minutes left)."""
    creds = seed("sts").get_session_token(DurationSeconds=1800)["Credentials"]
    env = {
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
        "AWS_CREDENTIAL_EXPIRATION": _iso(datetime.now(UTC) + timedelta(minutes=30)),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def _store_scan(db: str, access: AwsAccess, took: timedelta, regions: list[str]) -> None:
    """A complete scan of `access`'s account in the store, as if its collection had taken `took`."""
    inv = collect(access, regions=regions, services=["kms"])
    assert inv.complete
    inv.meta.started_at = inv.meta.finished_at - took
    with open_store(db) as store:
        store.ingest(evaluate(inv))


# -- pieces --------------------------------------------------------------------------------------


def test_span_reads_like_a_person_would_say_it() -> None:
    assert [span(s) for s in (0, 45, 89.4, 90, 25 * 60, 89 * 60, 2 * 3600 + 5 * 60)] == [
        "0 s",
        "45 s",
        "89 s",
        "2 min",
        "25 min",
        "89 min",
        "2 h 05 min",
    ]


def test_shard_model_counts_global_services_once_per_account() -> None:
    assert shard_count(1, 1, ["iam", "kms"]) == 2
    assert shard_count(3, 4, ["iam", "kms", "sns"]) == 3 * (1 + 2 * 4)
    every = shard_count(1, 1, None)
    assert shard_count(2, 5, None) > 5 * every  # regional services dominate: more than 5 x one region
    est = shard_estimate(50, Plan(regions=(), services=["iam", "kms"], workers=8))
    shards = 50 * (1 + DEFAULT_REGIONS)  # without --region: every default-enabled region
    assert est.seconds == -(-shards // 8) * 1.0
    assert f"{shards} shards" in est.basis and "8 workers" in est.basis


def test_history_takes_the_latest_complete_scan_of_exactly_these_accounts() -> None:
    from assay.store.records import ScanRecord

    def rec(n: int, accounts: list[str], hours: float, complete: bool = True) -> ScanRecord:
        started = NOW - timedelta(days=n)
        return ScanRecord(
            id=n,
            uuid=f"scan-{n}",
            accounts=accounts,
            regions=["us-east-1", "eu-west-1"],
            started_at=started,
            finished_at=started + timedelta(hours=hours),
            ingested_at=started + timedelta(hours=hours),
            tool_version="0",
            framework="soc2",
            complete=complete,
            coverage_percent=100.0 if complete else 50.0,
            counts={},
            content_hash=f"c{n}",
            hash=f"h{n}",
            prev_hash=f"h{n - 1}",
            signature="",
            key_id="k",
        )

    scans = [rec(9, ["a"], 9.0, complete=False), rec(8, ["a", "b"], 7.0), rec(7, ["a"], 2.0), rec(6, ["a"], 5.0)]
    plan = Plan(regions=(), services=None, workers=8)
    est = history_estimate(scans, {"a"}, plan)
    assert est is not None and est.seconds == pytest.approx(2 * 3600)  # #7: same accounts, regions, services
    assert "#7" in est.basis and "2 h 00 min" in est.basis
    # A scan of fewer services or regions scales by its shards: one region of two, kms alone.
    small = history_estimate(scans, {"a"}, Plan(regions=["us-east-1"], services=["kms"]))
    assert small is not None
    assert small.seconds == pytest.approx(2 * 3600 * 1 / shard_count(1, 2, None))
    assert history_estimate(scans, {"b"}, plan) is None


# -- which credentials limit a scan ------------------------------------------------------------------


def test_session_credentials_from_the_environment_limit_the_scan(session_env: dict[str, str], endpoint: str) -> None:
    life = limiting_lifetime([AwsAccess(endpoint_url=endpoint, home_region="us-east-1")])
    assert life is not None and life.method == "env" and not life.assumes_role
    assert timedelta(minutes=29) < life.remaining <= timedelta(minutes=30)


def test_long_lived_keys_and_renewed_roles_do_not(endpoint: str) -> None:
    plain = AwsAccess(endpoint_url=endpoint, home_region="us-east-1")
    role = AwsAccess(endpoint_url=endpoint, home_region="us-east-1", role_arn=ROLE)
    assert limiting_lifetime([plain, role]) is None
    role.credentials()  # assumed: refreshable credentials with an expiry of their own, which Assay renews
    assert limiting_lifetime([role]) is None


def test_a_role_is_limited_by_the_session_credentials_that_assume_it(
    session_env: dict[str, str], endpoint: str
) -> None:
    management = AwsAccess(endpoint_url=endpoint, home_region="us-east-1")
    member = AwsAccess(endpoint_url=endpoint, home_region="us-east-1", role_arn=ROLE, source=management)
    direct = AwsAccess(endpoint_url=endpoint, home_region="us-east-1", role_arn=ROLE)
    for accesses in ([member], [direct]):
        life = limiting_lifetime(accesses)
        assert life is not None and life.assumes_role and life.method == "env"


def test_credentials_a_process_renews_do_not_limit_it(
    endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """credential_process output with an Expiration: botocore runs the process again before it expires."""
    script = tmp_path / "creds.py"
    script.write_text(
        "import json, datetime\nprint(json.dumps({'Version': 1, 'AccessKeyId': 'AKIAPROCESS', "
        "'SecretAccessKey': 's', 'SessionToken': 't', 'Expiration': (datetime.datetime.now("
        "datetime.timezone.utc) + datetime.timedelta(minutes=20)).strftime('%Y-%m-%dT%H:%M:%SZ')}))\n"
    )
    config = tmp_path / "config"
    config.write_text(f"[profile proc]\ncredential_process = {sys.executable} {script}\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    access = AwsAccess(profile="proc", endpoint_url=endpoint)
    creds = access.credentials()
    assert creds.method == "custom-process" and creds._expiry_time is not None  # it does expire
    assert limiting_lifetime([access]) is None


def test_the_shard_model_warns_a_large_scan_on_short_credentials(
    session_env: dict[str, str], endpoint: str, tmp_path: Path
) -> None:
    accesses = [
        AwsAccess(endpoint_url=endpoint, home_region="us-east-1", role_arn=f"arn:aws:iam::{n:012d}:role/X")
        for n in range(1, 51)
    ]
    no_store = f"sqlite:///{tmp_path / 'none.db'}"
    line = credential_warning(Targets(accesses), Plan(regions=(), services=None, workers=8), no_store)
    assert line is not None and "\n" not in line
    shards = shard_count(50, DEFAULT_REGIONS, None)
    assert re.search(r"expire in (29|30) min", line)
    assert f"estimated {span(-(-shards // 8))}" in line and f"{shards} shards" in line
    assert "assume --role-arn" in line
    assert not (tmp_path / "none.db").exists()  # looking for history created no store
    # The same credentials and one small shard: the scan ends long before them.
    assert credential_warning(Targets(accesses[:1]), Plan(regions=["us-east-1"], services=["kms"]), no_store) is None


# -- from the command line ---------------------------------------------------------------------------


def test_scan_warns_when_the_last_scan_of_the_account_outlasts_the_session(
    session_env: dict[str, str], endpoint: str, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'history.db'}"
    account = AwsAccess(endpoint_url=endpoint, home_region="us-east-1").identity()["account_id"]
    _store_scan(db, AwsAccess(endpoint_url=endpoint, home_region="us-east-1"), timedelta(hours=100), ["us-east-1"])
    proc = run(
        "scan",
        "-r",
        "us-east-1",
        "--service",
        "kms",
        "--service",
        "s3",
        "--db",
        db,
        endpoint=endpoint,
        env_extra=session_env,
    )
    assert proc.returncode == 0, proc.stderr
    [line] = [ln for ln in proc.stderr.splitlines() if ln.startswith("warning: ")]
    assert re.match(r"warning: the session credentials from the environment expire in (29|30) min", line)
    assert "cannot be renewed" in line and "Scan through --role-arn" in line
    per_shard = 100 * 3600 / shard_count(1, 1, None)
    assert f"estimated {span(2 * per_shard)}" in line and "#1" in line and "2 shards planned" in line
    assert proc.stderr.index(line) < proc.stderr.index("Collected ")  # before collection starts
    assert "the last complete scan of these accounts" in line and account  # history of this very account


def test_a_short_scan_on_the_same_session_gets_no_warning(
    session_env: dict[str, str], endpoint: str, tmp_path: Path
) -> None:
    db = tmp_path / "empty.db"
    proc = run(
        "scan",
        "-r",
        "us-east-1",
        "--service",
        "kms",
        "--db",
        f"sqlite:///{db}",
        "--no-store",
        endpoint=endpoint,
        env_extra=session_env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr and "Collected " in proc.stderr
    assert not db.exists()


def test_a_role_assumed_from_long_lived_keys_never_warns(endpoint: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'history.db'}"
    _store_scan(
        db,
        AwsAccess(endpoint_url=endpoint, home_region="us-east-1", role_arn=ROLE),
        timedelta(hours=100),
        ["us-east-1"],
    )
    proc = run("scan", "--role-arn", ROLE, "-r", "us-east-1", "--service", "kms", "--db", db, endpoint=endpoint)
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr and "expire" not in proc.stderr


def test_a_role_assumed_from_the_session_warns_about_its_source(
    session_env: dict[str, str], endpoint: str, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'history.db'}"
    _store_scan(
        db,
        AwsAccess(endpoint_url=endpoint, home_region="us-east-1", role_arn=ROLE),
        timedelta(hours=100),
        ["us-east-1"],
    )
    proc = run(
        "collect",
        "-o",
        str(tmp_path / "s.json.gz"),
        "--role-arn",
        ROLE,
        "-r",
        "us-east-1",
        "--service",
        "kms",
        endpoint=endpoint,
        env_extra={**session_env, "ASSAY_DB": db},
    )
    assert proc.returncode == 0, proc.stderr
    [line] = [ln for ln in proc.stderr.splitlines() if ln.startswith("warning: ")]
    assert "that assume --role-arn expire in" in line and "renew the role's credentials" in line
    assert os.path.exists(tmp_path / "s.json.gz")
