"""T3/T6: an organization's SCP denies one region. Every read sent there is answered AccessDenied "with an
explicit deny in a service control policy"; that region's findings are ERROR of kind scp_deny (never a
verdict, never a FAIL), the hint says an SCP denies it rather than "grant the action", and the other
region reads exactly as in a clean scan. A region that answers as one not enabled does the same, with
kind region_disabled and the hint to enable it or leave it out.
"""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.engine import evaluate
from assay.faults import scp_deny
from assay.models.inventory import CoverageStatus, ErrorKind, Inventory

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


@pytest.mark.parametrize("code", ["RegionDisabledException", "UnrecognizedClientException", "InvalidClientTokenId"])
def test_a_disabled_region_is_error_with_a_hint(access: AwsAccess, estate: None, code: str) -> None:
    from assay.faults import deny

    access.hooks.append(("before-call", deny(code=code, status=403, regions={DENIED},
                                             message="The security token included in the request is invalid")))
    inv = scan(access)
    assert {e.kind for e in inv.errors} == {ErrorKind.REGION_DISABLED}
    findings = [f for f in evaluate(inv).findings if f.region == DENIED]
    assert findings and {f.status.value for f in findings} == {"error"}
    assert all("region is not enabled" in f.message for f in findings)
    assert {f.status.value for f in evaluate(inv).findings if f.region == "us-east-1"} >= {"pass", "fail"}
