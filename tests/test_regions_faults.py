"""T6: regions that refuse connections, regions newer than botocore, and STS deactivated in a region.

A region whose endpoints refuse connections costs next to no time, is reported unreachable at the region
level, and the other regions read as usual. A region that ec2:DescribeRegions lists but botocore's
endpoint data does not know is scanned, not dropped as "service not offered". STS deactivated in the home
region is worked around through STS's global endpoint; where that cannot help, the error says how to fix it.
"""

from __future__ import annotations

import io
import json
import socket
import time
from collections import Counter
from typing import Any

import pytest

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.engine import evaluate
from assay.errors import CredentialError
from assay.faults import deny, describe_regions, raw_response, reroute, signed_region
from assay.models.inventory import CoverageStatus, ErrorKind, RegionFailure, RegionStatus
from assay.reporters import get

REGIONS = ["us-east-1", "eu-west-1"]
SERVICES = ["kms", "logs"]
NEW_REGION = "xx-newregion-1"
STS_OFF = (
    "STS is not activated in this region for account:123456789012. Your account administrator can "
    "activate STS in this region using the IAM Console."
)


@pytest.fixture()
def estate(seed: Any) -> None:
    for region in REGIONS:
        kms = seed("kms", region)
        kms.enable_key_rotation(KeyId=kms.create_key()["KeyMetadata"]["KeyId"])
        seed("logs", region).create_log_group(logGroupName=f"app-{region}")


@pytest.fixture()
def closed_port() -> str:
    """A local port nothing listens on: connecting to it is refused at once (a TCP reset)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def sent_to(access: AwsAccess) -> Counter[str]:
    """Requests that reached the network, per region they were signed for (retries counted)."""
    sent: Counter[str] = Counter()

    def record(request: Any, **_: Any) -> None:
        sent[signed_region(request) or "?"] += 1

    access.hooks.append(("before-send", record))
    return sent


def test_a_region_that_refuses_connections_is_unreachable_and_the_others_are_scanned(
    access: AwsAccess, estate: None, closed_port: str
) -> None:
    sent = sent_to(access)
    access.hooks.append(("before-send", reroute({"eu-west-1"}, closed_port)))
    started = time.monotonic()
    inv = collect(access, regions=REGIONS, services=SERVICES, max_workers=4)
    elapsed = time.monotonic() - started

    regions = {r.region: r for r in inv.regions}
    assert regions["eu-west-1"].failure is RegionFailure.UNREACHABLE
    assert "EndpointConnectionError" in regions["eu-west-1"].reason and "--region" in regions["eu-west-1"].reason
    assert regions["us-east-1"].failure is None
    cov = {(c.region, c.service): c.status for c in inv.coverage}
    assert all(cov[("eu-west-1", s)] is CoverageStatus.TIMEOUT for s in SERVICES)
    assert all(cov[("us-east-1", s)] is CoverageStatus.COMPLETE for s in SERVICES)
    assert not inv.complete

    # The first refused attempt marks the region down: no read there is retried against it, so it costs
    # at most one attempt per shard that was already in flight, and well under a second of retries.
    assert sent["eu-west-1"] <= len(SERVICES), sent
    assert elapsed < 10, elapsed
    ev = evaluate(inv)
    findings = ev.findings
    assert {f.status.value for f in findings if f.region == "eu-west-1"} == {"error"}
    assert {f.status.value for f in findings if f.region == "us-east-1"} >= {"pass"}
    # Every report says so on its first screen or page, naming the region and why.
    for fmt in ("console", "html", "markdown"):
        out = io.StringIO()
        get(fmt).write(ev, out)
        text = out.getvalue()
        assert "eu-west-1" in text and "unreachable" in text and "EndpointConnectionError" in text, fmt
    out = io.StringIO()
    get("json").write(ev, out)
    regions_json = {r["region"]: r for r in json.loads(out.getvalue())["scan"]["regions"]}
    assert regions_json["eu-west-1"]["failure"] == "unreachable"


def test_a_region_that_answered_is_not_declared_unreachable_by_one_failure(
    access: AwsAccess, estate: None, closed_port: str
) -> None:
    """Only a region that never answered is cut off: after an answer, a refused read is an ordinary error."""
    access.client("kms", "eu-west-1").list_keys()  # eu-west-1 has answered once
    access.max_attempts = 2
    access.hooks.append(("before-send", reroute({"eu-west-1"}, closed_port, services={"logs"})))
    inv = collect(access, regions=["eu-west-1"], services=SERVICES, max_workers=1)
    assert access.reachability.down("eu-west-1") is None
    cov = {c.service: c.status for c in inv.coverage}
    assert cov == {"kms": CoverageStatus.COMPLETE, "logs": CoverageStatus.TIMEOUT}
    assert {r.region: r.failure for r in inv.regions} == {"eu-west-1": None}


def json_answer(body: dict[str, Any]) -> Any:
    return raw_response(
        200, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "stub"}, json.dumps(body).encode()
    )


def test_a_region_newer_than_botocore_is_scanned(access: AwsAccess) -> None:
    """ec2:DescribeRegions lists a region botocore's bundled endpoint data does not know: it is scanned."""
    states = {"us-east-1": "opt-in-not-required", NEW_REGION: "opt-in-not-required", "ap-east-1": "not-opted-in"}
    sent = sent_to(access)

    def new_region_endpoint(request: Any, **_: Any) -> Any:
        # moto serves only the regions it knows; the new region's KMS answers an empty account.
        return (
            json_answer({"Keys": [], "Aliases": [], "Truncated": False})
            if signed_region(request) == NEW_REGION
            else None
        )

    access.hooks.append(("before-call", describe_regions(states)))
    access.hooks.append(("before-send", new_region_endpoint))
    inv = collect(access, services=["kms"])

    status = {r.region: r.status for r in inv.regions}
    assert status == {
        "us-east-1": RegionStatus.SCANNED,
        NEW_REGION: RegionStatus.SCANNED,
        "ap-east-1": RegionStatus.NOT_ENABLED,
    }
    cov = {c.region: c for c in inv.coverage}
    assert cov[NEW_REGION].status is CoverageStatus.COMPLETE and cov[NEW_REGION].api_calls >= 1
    assert sent[NEW_REGION] >= 1 and sent["ap-east-1"] == 0
    assert inv.complete
    # Without an endpoint override, the requests go where the partition's pattern puts them.
    aws = AwsAccess(home_region="us-east-1", access_key="AKIAEXAMPLEEXAMPLE00", secret_key="example")
    assert aws.client("kms", NEW_REGION).meta.endpoint_url == f"https://kms.{NEW_REGION}.amazonaws.com"


def test_sts_deactivated_in_the_home_region_falls_back_to_the_global_endpoint(access: AwsAccess, estate: None) -> None:
    access.hooks.append(
        (
            "before-call",
            deny({"sts:GetCallerIdentity"}, code="RegionDisabledException", message=STS_OFF, regions={"us-east-1"}),
        )
    )
    inv = collect(access, regions=REGIONS, services=["kms"])
    assert [a.status for a in inv.accounts] == ["scanned"] and inv.complete


def test_a_role_is_assumed_through_global_sts_when_the_home_region_has_it_off(endpoint: str) -> None:
    assumed: list[str] = []

    def note(model: Any, context: dict[str, Any] | None = None, **_: Any) -> None:
        if model.name == "AssumeRole":
            assumed.append(str((context or {}).get("client_region")))

    access = AwsAccess(
        endpoint_url=endpoint, home_region="us-east-1", role_arn="arn:aws:iam::111111111111:role/AssayScan"
    )
    access.hooks += [
        ("before-call", note),
        (
            "before-call",
            deny({"sts:AssumeRole"}, code="RegionDisabledException", message=STS_OFF, regions={"us-east-1"}),
        ),
    ]
    inv = collect(access, regions=["us-east-1"], services=["kms"])
    assert inv.account_ids() == ["111111111111"]
    assert assumed == ["us-east-1", "aws-global"]


def test_sts_off_without_a_global_endpoint_is_a_credential_error_with_the_fix(access: AwsAccess) -> None:
    access.hooks.append(
        ("before-call", deny({"sts:GetCallerIdentity"}, code="RegionDisabledException", message=STS_OFF))
    )
    with pytest.raises(CredentialError, match=r"STS is deactivated in us-east-1: activate it .*Account settings"):
        collect(access, regions=["us-east-1"], services=["kms"])


def test_a_scanned_region_answering_region_disabled_is_an_error_region_with_the_fix(
    access: AwsAccess, estate: None
) -> None:
    access.hooks.append(("before-call", deny(code="RegionDisabledException", message=STS_OFF, regions={"eu-west-1"})))
    inv = collect(access, regions=REGIONS, services=SERVICES)
    assert {e.kind for e in inv.errors} == {ErrorKind.REGION_DISABLED}
    region = {r.region: r for r in inv.regions}["eu-west-1"]
    assert region.failure is RegionFailure.REGION_DISABLED
    assert "RegionDisabledException" in region.reason and "activate its STS endpoint" in region.reason
    assert {r.region: r.failure for r in inv.regions}["us-east-1"] is None


def test_one_blocked_endpoint_costs_its_service_and_two_cost_the_region() -> None:
    """Per endpoint first: a proxy that blocks one service's host must not cut off the region's others."""
    import boto3

    from assay.collect.errors import RegionUnreachable
    from assay.collect.reachability import Reachability
    from assay.collect.session import client_config

    ports = []
    for _ in range(3):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            ports.append(sock.getsockname()[1])
    reach = Reachability()
    clients = []
    for service, port in zip(("kms", "logs", "sqs"), ports, strict=True):
        url = f"http://127.0.0.1:{port}"
        client = boto3.client(
            service,
            region_name="eu-west-1",
            endpoint_url=url,
            config=client_config(service, url),
            aws_access_key_id="AKIAEXAMPLE0000000",
            aws_secret_access_key="example",
        )
        reach.watch(client, "eu-west-1")
        clients.append(client)
    kms, logs, sqs = clients

    with pytest.raises(RegionUnreachable, match="EndpointConnectionError"):  # refused once, then not sent again
        kms.list_keys()
    assert reach.down("eu-west-1") is None and reach.down("eu-west-1", f"127.0.0.1:{ports[0]}")
    with pytest.raises(RegionUnreachable):
        logs.describe_log_groups()
    assert reach.down("eu-west-1")  # a second endpoint: the region
    started = time.monotonic()
    with pytest.raises(RegionUnreachable):
        sqs.list_queues()  # never sent
    assert time.monotonic() - started < 0.5
