"""T5: throttling injected through botocore's real retry path, over the demo estate.

At 10% and 30% of requests throttled the findings are identical to a clean run with no ERROR; at
50% every finding is identical or ERROR, never a changed verdict; a burst of 100% throttling on one
service recovers; the client-side rate limit holds.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import pytest

from assay.collect.runner import RequeuePolicy, collect
from assay.collect.session import AwsAccess
from assay.demo.estate import REGIONS
from assay.engine import evaluate
from assay.faults import Throttle
from assay.models.inventory import ErrorKind

# One service per wire protocol at least: json, query, ec2, rest-xml, rest-json, CloudWatch's rpc.
SERVICES = ["apigateway", "cloudtrail", "cloudwatch", "ec2", "iam", "kms", "logs", "s3"]


def rows(accesses: list[AwsAccess], **kwargs: Any) -> tuple[dict[str, str], Any]:
    inv = collect(accesses, regions=REGIONS, services=SERVICES, **kwargs)
    ev = evaluate(inv)
    return {f.id: f.status.value for f in ev.findings}, inv


@pytest.fixture()
def baseline(demo_accesses: list[AwsAccess]) -> dict[str, str]:
    found, inv = rows(demo_accesses)
    assert inv.complete
    return found


@pytest.mark.parametrize("rate", [0.1, 0.3])
def test_moderate_throttling_changes_nothing(demo_accesses: list[AwsAccess], baseline: dict[str, str],
                                             rate: float) -> None:
    throttle = Throttle(rate=rate, seed=7)
    for access in demo_accesses:
        access.hooks.extend(throttle.hooks())
    found, inv = rows(demo_accesses)
    assert throttle.injected > 10, "the fault was not injected"
    assert inv.meta.retries > 0  # botocore retried them (answers that end in an error code are not counted)
    assert not [e for e in inv.errors if e.kind is ErrorKind.THROTTLED]
    assert found == baseline


def test_heavy_throttling_never_changes_a_verdict(demo_accesses: list[AwsAccess], baseline: dict[str, str]) -> None:
    throttle = Throttle(rate=0.5, seed=11)
    for access in demo_accesses:
        access.hooks.extend(throttle.hooks())
    found, _ = rows(demo_accesses, retry=RequeuePolicy(attempts=2, base_delay=0.5))
    changed = {fid: (baseline.get(fid), status) for fid, status in found.items()
               if status != "error" and baseline.get(fid) != status}
    assert not changed, f"verdicts changed under throttling: {list(changed.items())[:5]}"
    # Resources may be unknown (ERROR) but never invented.
    assert set(found) - set(baseline) <= {fid for fid, s in found.items() if s == "error"}


def test_a_burst_on_one_service_recovers(demo_accesses: list[AwsAccess], baseline: dict[str, str]) -> None:
    throttle = Throttle(services={"kms"}, burst_seconds=20.0)
    for access in demo_accesses:
        access.hooks.extend(throttle.hooks())
    found, inv = rows(demo_accesses, retry=RequeuePolicy(attempts=4, base_delay=5.0))
    assert throttle.injected > 0
    assert inv.complete and found == baseline


def test_permanent_throttling_ends_as_error_on_that_service_only(demo_accesses: list[AwsAccess],
                                                                  baseline: dict[str, str]) -> None:
    throttle = Throttle(services={"kms"}, rate=1.0)
    for access in demo_accesses:
        access.hooks.extend(throttle.hooks())
        access.max_attempts = 2  # keep the test short: botocore gives up fast, the requeue policy decides
    found, inv = rows(demo_accesses, retry=RequeuePolicy(attempts=1, base_delay=0.2))
    assert inv.meta.requeued_shards >= 1
    throttled = {e.service for e in inv.errors if e.kind is ErrorKind.THROTTLED}
    assert throttled == {"kms"}
    for fid, status in found.items():
        if baseline.get(fid) and status != baseline[fid]:
            assert status == "error"
    kms_verdicts = [s for fid, s in found.items() if s in ("pass", "fail") and fid not in baseline]
    assert not kms_verdicts


def test_client_side_rate_never_exceeds_the_ceiling(demo_accesses: list[AwsAccess]) -> None:
    sent: dict[str, list[float]] = defaultdict(list)

    def record(request: Any, **_: Any) -> None:
        # SigV4: "Credential=<key id>/<date>/<region>/<service>/aws4_request": one limit per account key.
        credential = str(request.headers.get("Authorization", b"")).split("Credential=")[1].split(",")[0]
        key, _, region, service, _ = credential.split("/")
        sent[f"{key}/{region}/{service}"].append(time.monotonic())

    for access in demo_accesses:
        access.max_rate = 5.0
        access.hooks.append(("before-send", record))
    collect(demo_accesses, regions=REGIONS, services=["ec2"])
    assert sent
    for scope, stamps in sent.items():
        stamps.sort()
        for i, start in enumerate(stamps):  # any 2-second window: the rate plus one bucket of burst
            within = sum(1 for t in stamps[i:] if t - start <= 2.0)
            assert within <= 5.0 * 2 + 5 + 1, f"{scope}: {within} requests in 2 s"
