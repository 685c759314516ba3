"""Amazon Inspector collector: BatchGetAccountStatus on moto's server, and AWS-only answers (a DISABLED
account, a failed account) on botocore's Stubber. Denied reads are ERROR, never PASS or FAIL."""

from __future__ import annotations

from typing import Any

from botocore.stub import Stubber

from assay.faults import deny
from assay.models.resources.inspector2 import InspectorAccountStatus
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

CONTROL = "inspector2.enabled_for_ec2_ecr_lambda"
REGIONS = ["us-east-1", "eu-west-1"]


def _estate(seed: Any) -> None:
    seed("inspector2", "us-east-1").enable(accountIds=[ACCOUNT], resourceTypes=["EC2", "ECR", "LAMBDA"])
    seed("inspector2", "eu-west-1").enable(accountIds=[ACCOUNT], resourceTypes=["EC2"])


def test_reads_scan_types_per_region_on_moto(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["inspector2"], regions=REGIONS)
    assert inv.complete and not inv.errors
    records = {r.region: r for r in inv.of(InspectorAccountStatus)}
    assert records["us-east-1"].resource_states == {"ec2": "ENABLED", "ecr": "ENABLED", "lambda": "ENABLED",
                                                    "lambdaCode": "DISABLED"}
    assert records["us-east-1"].state == "ENABLED"
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {"us-east-1": "pass", "eu-west-1": "fail"}
    [fail] = [f for f in findings_of(ev, CONTROL) if f.status.value == "fail"]
    assert fail.message == "Inspector in eu-west-1 does not scan ECR (disabled), LAMBDA (disabled)"


def test_denied_status_is_error_on_moto(access: Any, seed: Any) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({"inspector2:BatchGetAccountStatus"}, code="AccessDeniedException")))
    found = findings_of(evaluate(scan(access, ["inspector2"], regions=REGIONS)), CONTROL)
    assert len(found) == 2 and {f.status.value for f in found} == {"error"}
    assert all("inspector2:BatchGetAccountStatus" in f.message for f in found)


def _state(status: str) -> dict[str, Any]:
    return {"status": status, "errorCode": "ACCESS_DENIED", "errorMessage": "none"}  # required by the shape


def test_aws_shapes_disabled_and_failed_accounts_on_stubber() -> None:
    """AWS reports a never-enabled account as DISABLED, and an account it cannot read under failedAccounts."""
    def script(stub: Stubber, region: str) -> None:
        params = {"accountIds": [ACCOUNT]}
        if region == "us-east-1":
            stub.add_response("batch_get_account_status", {"accounts": [{
                "accountId": ACCOUNT, "state": _state("DISABLED"),
                "resourceState": {"ec2": _state("DISABLED"), "ecr": _state("DISABLED")}}], "failedAccounts": []},
                params)
        elif region == "eu-west-1":
            stub.add_response("batch_get_account_status", {"accounts": [], "failedAccounts": [{
                "accountId": ACCOUNT, "errorCode": "ACCESS_DENIED", "errorMessage": "Insufficient permissions"}]},
                params)
        else:
            stub.add_response("batch_get_account_status", {"accounts": [], "failedAccounts": []}, params)

    inv = stubbed_scan("inspector2", ["us-east-1", "eu-west-1", "us-west-2"], script)
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {"us-east-1": "fail", "eu-west-1": "error", "us-west-2": "error"}
    messages = {f.region: f.message for f in findings_of(ev, CONTROL)}
    assert messages["us-east-1"] == ("Inspector in us-east-1 does not scan EC2 (disabled), ECR (disabled), "
                                     "LAMBDA (not reported)")
    assert messages["eu-west-1"] == ("Inspector's status in eu-west-1 is unknown: "
                                     "ACCESS_DENIED: Insufficient permissions")
