"""Security Hub collector: DescribeHub on moto's server; GetEnabledStandards (which moto 5.2.1 lacks) on
botocore's Stubber with AWS-shaped responses. Denied reads are ERROR, never PASS or FAIL."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.registry import load_collectors
from assay.faults import deny
from assay.models.resources.securityhub import SecurityHubHub
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

CONTROL = "securityhub.enabled_with_standards"
PERMISSIONS = load_collectors()["securityhub.collect_hub"].permissions
FSBP = "arn:aws:securityhub:{}::standards/aws-foundational-security-best-practices/v/1.0.0"


def test_not_subscribed_region_fails_on_moto(access: Any, seed: Any) -> None:
    inv = scan(access, ["securityhub"], regions=["us-east-1", "eu-west-1"])
    assert inv.complete and not inv.errors  # InvalidAccessException is the answer "not enabled"
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {"us-east-1": "fail", "eu-west-1": "fail"}
    assert {f.message for f in findings_of(ev, CONTROL)} == {"Security Hub is not enabled in us-east-1",
                                                            "Security Hub is not enabled in eu-west-1"}


def test_enabled_hub_reads_its_arn_on_moto(access: Any, seed: Any) -> None:
    seed("securityhub", "eu-west-1").enable_security_hub(EnableDefaultStandards=False)
    access.hooks.append(("before-call", deny({"securityhub:GetEnabledStandards"}, code="AccessDeniedException")))
    inv = scan(access, ["securityhub"], regions=["eu-west-1"])
    [hub] = inv.of(SecurityHubHub)
    assert hub.enabled and hub.arn == f"arn:aws:securityhub:eu-west-1:{ACCOUNT}:hub/default"
    assert hub.standards is None
    [found] = findings_of(evaluate(inv), CONTROL)
    assert found.status.value == "error" and "securityhub:GetEnabledStandards" in found.message


def hub_script(subscriptions: dict[str, list[dict[str, Any]]], denied: str | None = None) -> Any:
    def script(stub: Stubber, region: str) -> None:
        if denied == "describe_hub":
            stub.add_client_error("describe_hub", service_error_code="AccessDeniedException", http_status_code=403)
            return
        if region not in subscriptions:
            stub.add_client_error("describe_hub", service_error_code="InvalidAccessException",
                                  service_message="Account is not subscribed to AWS Security Hub",
                                  http_status_code=401)
            return
        stub.add_response("describe_hub", {"HubArn": f"arn:aws:securityhub:{region}:{ACCOUNT}:hub/default",
                                           "SubscribedAt": "2024-01-01T00:00:00.000Z", "AutoEnableControls": True})
        if denied == "get_enabled_standards":
            stub.add_client_error("get_enabled_standards", service_error_code="AccessDeniedException",
                                  http_status_code=403)
            return
        stub.add_response("get_enabled_standards", {"StandardsSubscriptions": subscriptions[region]},
                          {"MaxResults": 100})
    return script


def subscription(region: str, status: str) -> dict[str, Any]:
    return {"StandardsSubscriptionArn": f"arn:aws:securityhub:{region}:{ACCOUNT}:subscription/aws-foundational-"
            "security-best-practices/v/1.0.0", "StandardsArn": FSBP.format(region), "StandardsInput": {},
            "StandardsStatus": status}


def test_standards_decide_on_stubbed_aws() -> None:
    script = hub_script({"us-east-1": [subscription("us-east-1", "READY")], "eu-west-1": []})
    inv = stubbed_scan("securityhub", ["us-east-1", "eu-west-1", "us-west-2"], script)
    assert inv.complete and not inv.errors
    hubs = {h.region: h for h in inv.of(SecurityHubHub)}
    assert hubs["us-east-1"].standards == {FSBP.format("us-east-1"): "READY"}
    assert hubs["us-east-1"].auto_enable_controls is True
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {"us-east-1": "pass", "eu-west-1": "fail", "us-west-2": "fail"}
    messages = {f.region: f.message for f in findings_of(ev, CONTROL)}
    assert messages["eu-west-1"] == "Security Hub in eu-west-1 runs no security standard"


@pytest.mark.parametrize("action", PERMISSIONS)
def test_every_denied_read_errors_and_never_judges(action: str) -> None:
    operation = {"securityhub:DescribeHub": "describe_hub",
                 "securityhub:GetEnabledStandards": "get_enabled_standards"}[action]
    script = hub_script({"us-east-1": [subscription("us-east-1", "READY")]}, denied=operation)
    found = findings_of(evaluate(stubbed_scan("securityhub", ["us-east-1"], script)), CONTROL)
    assert [f.status.value for f in found] == ["error"] and action in found[0].message
