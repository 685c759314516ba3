"""Secrets Manager controls: pure functions over built secrets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assay.controls import secretsmanager as sm
from assay.models.findings import Status
from assay.models.resources.secretsmanager import Secret

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def ago(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def secret(**over: Any) -> Secret:
    base: dict[str, Any] = dict(
        arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", id="secret:db-AbCdEf", name="db",
        account_id="123456789012", region="us-east-1", rotation_enabled=True, rotation_days=30,
        created=ago(400), last_rotated=ago(10), last_accessed=ago(1),
    )
    return Secret(**{**base, **over})


REPLICA = dict(region="eu-west-1", primary_region="us-east-1")


def test_secret_rotation_enabled() -> None:
    assert sm.secret_rotation_enabled(secret()).message == "automatic rotation is enabled (every 30 days)"
    cron = secret(rotation_days=None, rotation_schedule="cron(0 4 1 * ? *)")
    assert sm.secret_rotation_enabled(cron).message == "automatic rotation is enabled (cron(0 4 1 * ? *))"
    assert sm.secret_rotation_enabled(secret(rotation_enabled=False)).status is Status.FAIL
    assert sm.secret_rotation_enabled(secret(rotation_enabled=False, **REPLICA)).status is Status.SKIP
    # a primary that has replicas states its own region as primary: judged
    assert sm.secret_rotation_enabled(secret(rotation_enabled=False, primary_region="us-east-1")).status \
        is Status.FAIL


def test_secret_rotated_recently_against_its_period() -> None:
    check = sm.secret_rotated_recently
    assert check(secret(), NOW).message == "last rotated 10 days ago, within its rotation period of 30 days"
    assert check(secret(last_rotated=ago(31)), NOW).status is Status.PASS  # a day of slack for the window
    late = check(secret(last_rotated=ago(45)), NOW)
    assert late.status is Status.FAIL
    assert late.message == "last rotated 45 days ago, beyond its rotation period of 30 days"
    rate = secret(rotation_days=None, rotation_schedule="rate(7 days)", last_rotated=ago(20))
    assert check(rate, NOW).status is Status.FAIL


def test_secret_rotated_recently_without_rotation_uses_max_age() -> None:
    check = sm.secret_rotated_recently
    never = secret(rotation_enabled=False, rotation_days=None, last_rotated=None)
    outcome = check(never, NOW)
    assert outcome.status is Status.FAIL
    assert outcome.message == "never rotated; created 400 days ago, beyond the maximum age of 90 days"
    assert check(never, NOW, max_age_days=500).status is Status.PASS
    cron = secret(rotation_days=None, rotation_schedule="cron(0 4 1 * ? *)", last_rotated=ago(60))
    assert check(cron, NOW).message.endswith("within the maximum age of 90 days")
    assert check(secret(**REPLICA), NOW).status is Status.SKIP
    assert check(secret(created=None, last_rotated=None), NOW).status is Status.ERROR


def test_secret_in_use() -> None:
    check = sm.secret_in_use
    assert check(secret(), NOW).message == "last retrieved 1 day ago"
    stale = check(secret(last_accessed=ago(120)), NOW)
    assert stale.status is Status.FAIL and stale.message == "last retrieved 120 days ago (threshold 90)"
    assert check(secret(last_accessed=ago(120)), NOW, max_unused_days=180).status is Status.PASS
    never = check(secret(last_accessed=None), NOW)
    assert never.status is Status.FAIL and never.message == "never retrieved since its creation 400 days ago"
    assert check(secret(last_accessed=None, created=ago(5)), NOW).status is Status.SKIP
    assert check(secret(last_accessed=None, **REPLICA), NOW).status is Status.SKIP
    assert check(secret(last_accessed=None, created=None), NOW).status is Status.ERROR
