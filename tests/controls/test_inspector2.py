"""Amazon Inspector controls: pure functions over InspectorAccountStatus records."""

from __future__ import annotations

from typing import Any

from assay.controls.inspector2 import enabled_for_ec2_ecr_lambda
from assay.models.findings import Status
from assay.models.resources.inspector2 import InspectorAccountStatus

ACCOUNT = "123456789012"
ALL_ON = {"ec2": "ENABLED", "ecr": "ENABLED", "lambda": "ENABLED", "lambdaCode": "DISABLED"}


def status(**over: Any) -> InspectorAccountStatus:
    base: dict[str, Any] = dict(arn=f"arn:aws:inspector2:eu-west-1:{ACCOUNT}:account-status", id="eu-west-1",
                                name="eu-west-1", account_id=ACCOUNT, region="eu-west-1", state="ENABLED",
                                resource_states=ALL_ON)
    return InspectorAccountStatus(**{**base, **over})


def test_all_three_scan_types_pass() -> None:
    assert enabled_for_ec2_ecr_lambda(status()) == (Status.PASS, "Inspector in eu-west-1 scans EC2, ECR, LAMBDA")


def test_a_disabled_scan_type_fails_and_is_named() -> None:
    outcome = enabled_for_ec2_ecr_lambda(status(resource_states={**ALL_ON, "ecr": "DISABLED", "lambda": "SUSPENDED"}))
    assert outcome == (Status.FAIL, "Inspector in eu-west-1 does not scan ECR (disabled), LAMBDA (suspended)")


def test_never_enabled_fails() -> None:
    off = {k: "DISABLED" for k in ALL_ON}
    outcome = enabled_for_ec2_ecr_lambda(status(state="DISABLED", resource_states=off))
    assert outcome.status is Status.FAIL and "EC2 (disabled), ECR (disabled), LAMBDA (disabled)" in outcome.message


def test_resource_types_parameter_narrows_and_widens() -> None:
    only_ec2 = status(resource_states={**ALL_ON, "ecr": "DISABLED"})
    assert enabled_for_ec2_ecr_lambda(only_ec2, resource_types=["ec2", "lambda"]).status is Status.PASS
    outcome = enabled_for_ec2_ecr_lambda(status(), resource_types=["ec2", "lambdaCode"])
    assert outcome == (Status.FAIL, "Inspector in eu-west-1 does not scan LAMBDA_CODE (disabled)")
    missing = enabled_for_ec2_ecr_lambda(status(resource_states={"ec2": "ENABLED"}))
    assert "ECR (not reported)" in missing.message


def test_unknown_status_is_error() -> None:
    outcome = enabled_for_ec2_ecr_lambda(status(state=None, resource_states=None, failure="ACCESS_DENIED: no"))
    assert outcome == (Status.ERROR, "Inspector's status in eu-west-1 is unknown: ACCESS_DENIED: no")
