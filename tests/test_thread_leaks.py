"""T9: no thread a scan starts outlives it, even when an endpoint hangs or a shard runs past its deadline.

Why none can: the local runner runs shards on a ThreadPoolExecutor inside a `with` block, whose exit
joins every pool thread; a shard's deadline is checked before every read and between pages
(assay.collect.calls), so a shard past it sends nothing more and returns. What is left is the call in
flight at the deadline, and botocore bounds it. AwsAccess.max_attempts is botocore's
`retries.max_attempts`, which counts retries: a call makes max_attempts + 1 attempts. Each attempt
waits at most connect_timeout to connect and read_timeout for each socket read; before the i-th retry
standard mode sleeps rand(0, 1) x min(0.05 s x 2^(i-1), 20 s) for an error that is not throttling
(botocore.retries.standard.ExponentialBackoff). Against an endpoint that accepts the connection and
never answers (one read per attempt, never answered), a call therefore ends within

    (max_attempts + 1) x read_timeout + sum over i = 1..max_attempts of min(0.05 x 2^(i-1), 20) s

and a shard within its deadline plus one such call. With the defaults (30 s, 10 retries) that is
about 376 s past the deadline, which the pool waits for before the scan ends. An endpoint that trickles
a byte before every read_timeout could hold a read longer: read_timeout bounds each socket read, not
the whole response. AWS endpoints answer or close; the silent endpoint is the hang seen in practice.

moto runs in its own process here (the demo estate's server): a server in this process would start
request threads of its own, which are not the scan's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.demo.fleet import PRODUCTION as PRODUCTION_ACCOUNT
from assay.models.inventory import CoverageStatus, ErrorKind, Inventory
from tests.helpers import silent_endpoint

SERVICES = ["kms", "sns"]
SLACK = 1.0  # seconds for building the shard's clients and thread scheduling on a busy machine


class Started:
    """Every thread started while installed, so that a test knows the scan really ran some."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.threads: list[threading.Thread] = []
        original = threading.Thread.start

        def start(thread: threading.Thread) -> None:
            self.threads.append(thread)
            original(thread)

        monkeypatch.setattr(threading.Thread, "start", start)

    def alive(self) -> list[str]:
        return [t.name for t in self.threads if t.is_alive()]


@pytest.fixture()
def silent() -> Iterator[str]:
    """host:port of a TCP endpoint that accepts connections and never answers."""
    with silent_endpoint() as where:
        yield where


def _production(accesses: list[AwsAccess]) -> AwsAccess:
    return next(a for a in accesses if a.role_arn is None)  # the demo keys' own account; the sandbox is a role


def _hang_kms(access: AwsAccess, silent: str) -> None:
    """Send this account's KMS requests to the silent endpoint: every read of the shard hangs."""

    def redirect(request: Any, **_: Any) -> None:
        parts = urlsplit(request.url)
        request.url = parts._replace(netloc=silent).geturl()

    access.hooks.append(("before-send.kms", redirect))


def _kms(inv: Inventory) -> Any:
    return next(c for c in inv.coverage if c.account_id == PRODUCTION_ACCOUNT and c.service == "kms")


def test_a_scan_leaves_no_thread_running(demo_accesses: list[AwsAccess], monkeypatch: pytest.MonkeyPatch) -> None:
    started = Started(monkeypatch)
    inv = collect(demo_accesses, regions=["us-east-1"], services=SERVICES, max_workers=4)
    assert inv.complete
    assert started.threads, "the scan ran no thread: nothing was tested"
    assert started.alive() == []  # not even a moment later: the pool is joined before collect returns


def silent_call_bound(read_timeout: float, retries: int) -> float:
    """The longest a call to a silent endpoint can take (see the module's docstring)."""
    backoff = sum(min(0.05 * 2.0 ** (i - 1), 20.0) for i in range(1, retries + 1))
    return (retries + 1) * read_timeout + backoff


def test_the_bound_with_the_default_settings() -> None:
    access = AwsAccess()
    assert silent_call_bound(access.read_timeout, access.max_attempts) == pytest.approx(375.55)


@pytest.mark.parametrize(
    ("read_timeout", "attempts", "deadline"),
    [(0.5, 1, 900.0), (2.0, 1, 1.0)],
    ids=["read-timeouts", "past-the-deadline"],
)
def test_a_hanging_endpoint_leaves_no_thread_and_ends_within_its_bound(
    demo_accesses: list[AwsAccess],
    silent: str,
    monkeypatch: pytest.MonkeyPatch,
    read_timeout: float,
    attempts: int,
    deadline: float,
) -> None:
    prod = _production(demo_accesses)
    prod.read_timeout, prod.max_attempts, prod.shard_deadline = read_timeout, attempts, deadline
    _hang_kms(prod, silent)
    started = Started(monkeypatch)
    began = time.monotonic()
    inv = collect(demo_accesses, regions=["us-east-1"], services=SERVICES, max_workers=4)
    took = time.monotonic() - began
    assert started.threads and started.alive() == []

    call_bound = silent_call_bound(read_timeout, attempts)
    kms = _kms(inv)
    assert kms.status is CoverageStatus.TIMEOUT, kms
    timeouts = [e for e in inv.errors if e.account_id == PRODUCTION_ACCOUNT and e.kind is ErrorKind.TIMEOUT]
    if deadline < read_timeout:
        # The first read outlives the deadline: it ends by its own timeout, and nothing else is sent.
        assert kms.api_calls == 1
        assert any(e.code == "ShardDeadline" for e in timeouts)
        assert kms.seconds <= deadline + call_bound + SLACK, kms.seconds
    else:
        # Every read times out in turn; each ends within the bound, so the shard does too.
        assert kms.api_calls >= 2
        assert kms.seconds <= kms.api_calls * call_bound + SLACK, kms.seconds
        assert kms.seconds >= kms.api_calls * (attempts + 1) * read_timeout  # each attempt really waited
    assert took <= kms.seconds + 10  # the scan ends with its slowest shard
    others = [c for c in inv.coverage if c is not kms]
    assert others and {c.status for c in others} == {CoverageStatus.COMPLETE}
    print(
        f"\nkms shard {kms.seconds:.1f}s for {kms.api_calls} calls (bound per call {call_bound:.1f}s); "
        f"scan {took:.1f}s; {len(started.threads)} threads started, 0 alive"
    )


class Killed(BaseException):
    pass


def test_a_collector_killed_mid_listing_leaves_no_thread(
    demo_accesses: list[AwsAccess], monkeypatch: pytest.MonkeyPatch
) -> None:
    def kill(**_: Any) -> None:
        raise Killed("collector killed")

    _production(demo_accesses).hooks.append(("after-call.kms.ListKeys", kill))
    started = Started(monkeypatch)
    inv = collect(demo_accesses, regions=["us-east-1"], services=SERVICES, max_workers=4)
    assert started.threads and started.alive() == []
    kms = _kms(inv)
    assert kms.status is CoverageStatus.ERROR and "Killed: collector killed" in kms.reason
    assert not inv.complete


def test_the_command_line_scan_leaves_no_thread_running(
    demo_endpoint: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from assay.cli import app
    from assay.demo.server import DEMO_CREDENTIALS

    monkeypatch.setenv("AWS_ENDPOINT_URL", demo_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", DEMO_CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", DEMO_CREDENTIALS["aws_secret_access_key"])
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    started = Started(monkeypatch)
    result = CliRunner().invoke(
        app,
        [
            "scan",
            "-r",
            "us-east-1",
            *[a for s in SERVICES for a in ("--service", s)],
            "-f",
            "json",
            "-o",
            str(tmp_path / "r.json"),
            "--db",
            f"sqlite:///{tmp_path / 'a.db'}",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "Stored scan #1" in result.stderr  # the whole path ran: collect, report, store
    assert started.threads and started.alive() == []
