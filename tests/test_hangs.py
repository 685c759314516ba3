"""T6/T9: endpoints that never answer and shards that run too long cost a bounded time, never the scan."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.engine import evaluate
from assay.faults import reroute
from assay.models.inventory import CoverageStatus, ErrorKind, RegionFailure
from tests.helpers import silent_endpoint


@pytest.fixture()
def blackhole() -> Iterator[str]:
    """A TCP endpoint that accepts connections and never answers."""
    with silent_endpoint() as where:
        yield f"http://{where}"


def test_an_account_behind_a_silent_endpoint_fails_alone(access: AwsAccess, seed: Any, blackhole: str) -> None:
    seed("kms").create_key()
    silent = AwsAccess(endpoint_url=blackhole, home_region="us-east-1", read_timeout=1, max_attempts=2,
                       role_arn="arn:aws:iam::111111111111:role/AssayScan")
    started = time.monotonic()
    inv = collect([access, silent], regions=["us-east-1"], services=["kms"])
    assert time.monotonic() - started < 60
    by_id = {a.account_id: a for a in inv.accounts}
    assert by_id["123456789012"].status == "scanned"
    assert by_id["111111111111"].status == "failed" and by_id["111111111111"].reason
    assert not inv.complete  # the report says partial, with the reason
    assert [c.status.value for c in inv.coverage if c.account_id == "123456789012"] == ["complete"]


def test_a_shard_past_its_deadline_stops_and_reports_timeout(access: AwsAccess, seed: Any) -> None:
    kms = seed("kms")
    for _ in range(5):
        kms.create_key()

    def slow(**_: Any) -> None:
        time.sleep(0.3)

    access.hooks.append(("before-send.kms", slow))
    access.shard_deadline = 1.0
    started = time.monotonic()
    inv = collect(access, regions=["us-east-1"], services=["kms"])
    assert time.monotonic() - started < 20
    assert any(e.code == "ShardDeadline" and e.kind is ErrorKind.TIMEOUT for e in inv.errors)
    ev = evaluate(inv)
    kms_findings = [f for f in ev.findings if f.control_id.startswith("kms.")]
    assert kms_findings and {f.status.value for f in kms_findings} == {"error"}


def test_a_blackholed_region_costs_one_read_timeout_and_is_reported_unreachable(access: AwsAccess, seed: Any,
                                                                                blackhole: str) -> None:
    """One region's endpoints accept connections and never answer. botocore alone would wait 10 attempts x
    read_timeout per read; the region is cut off after its first timeout, and the other region is read."""
    for region in ("us-east-1", "eu-west-1"):
        seed("kms", region).create_key()
    access.read_timeout = 2
    access.hooks.append(("before-send", reroute({"eu-west-1"}, blackhole)))
    started = time.monotonic()
    # Two workers for four shards: the silent region's shards hold both for one timeout, then free them.
    inv = collect(access, regions=["us-east-1", "eu-west-1"], services=["kms", "logs"], max_workers=2)
    elapsed = time.monotonic() - started
    assert elapsed < 2 * access.read_timeout + 8, elapsed

    regions = {r.region: r for r in inv.regions}
    assert regions["eu-west-1"].failure is RegionFailure.UNREACHABLE
    assert "ReadTimeoutError" in regions["eu-west-1"].reason
    assert regions["us-east-1"].failure is None
    cov = {(c.region, c.service): c.status for c in inv.coverage}
    assert {cov[("eu-west-1", s)] for s in ("kms", "logs")} == {CoverageStatus.TIMEOUT}
    assert {cov[("us-east-1", s)] for s in ("kms", "logs")} == {CoverageStatus.COMPLETE}
    kms = [f for f in evaluate(inv).findings if f.control_id.startswith("kms.")]
    assert {f.status.value for f in kms if f.region == "eu-west-1"} == {"error"}
    assert {f.status.value for f in kms if f.region == "us-east-1"} - {"error"}
