"""Amazon Macie collector on moto's server (GetMacieSession), with AWS's "Macie is not enabled" answer on
botocore's Stubber. A denied read is ERROR, never PASS or FAIL."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.runner import collect
from assay.faults import deny
from assay.models.resources.macie2 import MacieSession
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import by_name, evaluate, findings_of

CONTROL = "macie.enabled_where_s3_holds_data"
REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]


def _estate(seed: Any) -> None:
    seed("s3", "us-east-1").create_bucket(Bucket="home-data")
    seed("s3", "eu-west-1").create_bucket(Bucket="eu-exports",
                                          CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    seed("macie2", "us-east-1").enable_macie()
    seed("macie2", "eu-west-1").enable_macie(status="PAUSED")
    seed("macie2", "us-west-2").disable_macie()  # moto starts every region with Macie enabled


def test_reads_sessions_and_judges_regions_with_buckets(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = collect(access, regions=REGIONS, services=["macie2", "s3"], max_workers=4)
    assert inv.complete and not inv.errors  # us-west-2's missing session is the answer "not enabled"
    assert {r.region: r.status for r in inv.of(MacieSession)} == {
        "us-east-1": "ENABLED", "eu-west-1": "PAUSED", "us-west-2": ""}
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {"us-east-1": "pass", "eu-west-1": "fail", "us-west-2": "skip"}
    messages = {f.region: f.message for f in findings_of(ev, CONTROL)}
    assert messages["eu-west-1"] == "Macie is paused in eu-west-1, which holds 1 bucket(s): eu-exports"


@pytest.mark.parametrize("action", ["macie2:GetMacieSession", "s3:ListAllMyBuckets"])
def test_denied_reads_are_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(collect(access, regions=REGIONS, services=["macie2", "s3"], max_workers=4))
    found = findings_of(ev, CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(action in f.message for f in found)


def test_aws_not_enabled_answer_is_a_value_and_a_real_denial_an_error() -> None:
    def script(stub: Stubber, region: str) -> None:
        if region == "us-east-1":
            stub.add_client_error("get_macie_session", service_error_code="AccessDeniedException",
                                  service_message="Macie is not enabled.", http_status_code=403)
        else:
            stub.add_client_error("get_macie_session", service_error_code="AccessDeniedException",
                                  service_message="User is not authorized to perform: macie2:GetMacieSession",
                                  http_status_code=403)

    inv = stubbed_scan("macie2", ["us-east-1", "eu-west-1"], script)
    assert [(r.region, r.status) for r in inv.of(MacieSession)] == [("us-east-1", "")]
    assert [(e.region, e.operation) for e in inv.errors] == [("eu-west-1", "macie2:GetMacieSession")]
