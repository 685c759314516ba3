"""T3/T6: an organization's SCP denies one region. Every read sent there is answered AccessDenied "with an
explicit deny in a service control policy"; the region itself is ERROR(scp_region_deny), its reads are
errors of kind scp_deny (not a plain AccessDenied) and its findings ERROR (never a verdict, never a FAIL),
the hint says an SCP denies it rather than "grant the action", and the other region reads exactly as in a
clean scan. A region that answers as one not enabled does the same, with region_disabled and the hint to
enable it or leave it out. An opt-in region the account has not enabled is NOT_APPLICABLE (not_opted_in),
and not one request is sent to it.
"""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.engine import evaluate
from assay.faults import deny, describe_regions, scp_deny, signed_region
from assay.models.inventory import CoverageStatus, ErrorKind, Inventory, RegionFailure, RegionStatus

REGIONS = ["us-east-1", "eu-west-1"]
DENIED = "eu-west-1"
SERVICES = ["kms", "logs", "s3"]


@pytest.fixture()
def estate(seed: Any) -> None:
    for region in REGIONS:
        kms = seed("kms", region)
        kms.enable_key_rotation(KeyId=kms.create_key()["KeyMetadata"]["KeyId"])
        kms.create_key()
        seed("logs", region).create_log_group(logGroupName=f"app-{region}")
        bucket = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        seed("s3", region).create_bucket(Bucket=f"data-{region}", **bucket)


def scan(access: AwsAccess) -> Inventory:
    return collect(access, regions=REGIONS, services=SERVICES, max_workers=4)


def test_an_scp_denied_region_is_error_and_the_others_are_untouched(access: AwsAccess, estate: None) -> None:
    clean_inv = scan(AwsAccess(endpoint_url=access.endpoint_url, home_region="us-east-1"))
    assert clean_inv.complete
    clean = {f.id: f for f in evaluate(clean_inv).findings}
    assert {f.status.value for f in clean.values() if f.region == DENIED} >= {"pass", "fail"}

    access.hooks.append(("before-call", scp_deny({DENIED})))
    inv = scan(access)
    assert inv.errors and {e.kind for e in inv.errors} == {ErrorKind.SCP_DENY}
    assert {e.region for e in inv.errors if e.resource_arn is None} == {DENIED}
    assert not inv.complete

    regions = {r.region: r for r in inv.regions}
    assert regions[DENIED].failure is RegionFailure.SCP_REGION_DENY
    assert regions[DENIED].reason.startswith("scp_region_deny: ") and "service control policy" in regions[DENIED].reason
    assert regions["us-east-1"].failure is None

    cov = {(c.region, c.service): c for c in inv.coverage}
    for service in ("kms", "logs"):
        assert cov[(DENIED, service)].status is CoverageStatus.DENIED
        assert "scp_deny" in cov[(DENIED, service)].reason
        assert cov[("us-east-1", service)].status is CoverageStatus.COMPLETE

    findings = evaluate(inv).findings
    in_denied = [f for f in findings if f.region == DENIED]
    assert in_denied and {f.status.value for f in in_denied} == {"error"}
    assert all("scp_deny" in f.message and "service control policy" in f.message for f in in_denied)
    assert not any("; grant " in f.message for f in in_denied), "granting an action cannot lift an SCP"
    elsewhere = {f.id: f.status.value for f in findings if f.region != DENIED}
    assert elsewhere == {fid: f.status.value for fid, f in clean.items() if f.region != DENIED}


def test_the_fault_only_hits_the_denied_region(access: AwsAccess, estate: None) -> None:
    """The harness can fail: denying the other region flips which findings are ERROR."""
    access.hooks.append(("before-call", scp_deny({"us-east-1"}, actions={"kms:ListKeys"})))
    inv = scan(access)
    assert [(e.region, e.operation) for e in inv.errors] == [("us-east-1", "kms:ListKeys")]
    kms = [f for f in evaluate(inv).findings if f.control_id.startswith("kms.")]
    assert {f.status.value for f in kms if f.region == "us-east-1"} == {"error"}
    assert {f.status.value for f in kms if f.region == DENIED} >= {"pass", "fail"}


def test_an_scp_denying_a_service_everywhere_is_not_a_region_deny(access: AwsAccess, estate: None) -> None:
    """Denied in every region, KMS is a service the SCP denies: its reads are scp_deny, no region is ERROR."""
    access.hooks.append(("before-call", scp_deny(set(REGIONS), actions={"kms:ListKeys", "kms:ListAliases"})))
    inv = collect(access, regions=REGIONS, services=["kms"], max_workers=4)
    assert {e.kind for e in inv.errors} == {ErrorKind.SCP_DENY}
    assert {e.region for e in inv.errors} == set(REGIONS)
    assert {r.region: r.failure for r in inv.regions} == dict.fromkeys(REGIONS)


def test_a_plain_access_denied_is_not_an_scp_region_deny(access: AwsAccess, estate: None) -> None:
    access.hooks.append(("before-call", deny(regions={DENIED})))
    inv = scan(access)
    assert {e.kind for e in inv.errors} == {ErrorKind.DENIED}
    assert {r.region: r.failure for r in inv.regions} == dict.fromkeys(REGIONS)
    findings = [f for f in evaluate(inv).findings if f.region == DENIED]
    assert findings and all("; grant " in f.message for f in findings)


def test_a_region_not_opted_in_is_not_applicable_and_never_called(access: AwsAccess, estate: None) -> None:
    """DescribeRegions says ap-east-1 is not opted in; anything sent there would be answered as from a
    disabled region (UnrecognizedClientException). Nothing is sent: the region is NOT_APPLICABLE."""
    states = {"us-east-1": "opt-in-not-required", "eu-west-1": "opt-in-not-required", "ap-east-1": "not-opted-in"}
    sent: list[str] = []

    def record(request: Any, **_: Any) -> None:
        sent.append(signed_region(request) or "?")

    access.hooks += [
        ("before-call", describe_regions(states)),
        ("before-call", deny(code="UnrecognizedClientException", regions={"ap-east-1"})),
        ("before-send", record),
    ]
    inv = collect(access, services=SERVICES, max_workers=4)

    opt_in = {r.region: r for r in inv.regions}["ap-east-1"]
    assert (opt_in.status, opt_in.opt_in_status, opt_in.failure) == (RegionStatus.NOT_ENABLED, "not-opted-in", None)
    cov = [c for c in inv.coverage if c.region == "ap-east-1"]
    assert {c.service for c in cov} == {"kms", "logs"}  # s3 is read once, globally
    assert all(c.status is CoverageStatus.NOT_ENABLED and c.api_calls == 0 for c in cov)
    assert all(c.reason.startswith("not_opted_in: ") for c in cov)
    assert "ap-east-1" not in sent and "us-east-1" in sent
    assert not [e for e in inv.errors if e.region == "ap-east-1"]
    assert inv.complete  # not opted in is a final state with evidence, not a gap
    findings = evaluate(inv).findings
    assert not [f for f in findings if f.region == "ap-east-1" and f.status.value in ("pass", "fail", "error")]


@pytest.mark.parametrize("code", ["RegionDisabledException", "UnrecognizedClientException", "InvalidClientTokenId"])
def test_a_disabled_region_is_error_with_a_hint(access: AwsAccess, estate: None, code: str) -> None:
    access.hooks.append(("before-call", deny(code=code, status=403, regions={DENIED},
                                             message="The security token included in the request is invalid")))
    inv = scan(access)
    assert {e.kind for e in inv.errors} == {ErrorKind.REGION_DISABLED}
    region = {r.region: r for r in inv.regions}[DENIED]
    assert region.failure is RegionFailure.REGION_DISABLED and code in region.reason
    assert "enable the region" in region.reason and "--region" in region.reason
    findings = [f for f in evaluate(inv).findings if f.region == DENIED]
    assert findings and {f.status.value for f in findings} == {"error"}
    assert all("region is not enabled" in f.message for f in findings)
    assert {f.status.value for f in evaluate(inv).findings if f.region == "us-east-1"} >= {"pass", "fail"}
