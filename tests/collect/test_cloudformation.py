"""CloudFormation collector: DescribeStacks on moto's server (which returns no DriftInformation, so the
verdict there is ERROR), and AWS's drift statuses on botocore's Stubber. A denied read is ERROR."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from botocore.stub import Stubber

from assay.faults import deny
from assay.models.resources.cloudformation import CloudFormationStack
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

CONTROL = "cloudformation.stacks_without_drift"
TEMPLATE = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})
CHECKED = datetime(2025, 5, 30, 10, 0, tzinfo=UTC)


def test_reads_stacks_on_moto_and_missing_drift_information_is_error(access: Any, seed: Any) -> None:
    seed("cloudformation").create_stack(StackName="app", TemplateBody=TEMPLATE,
                                        Tags=[{"Key": "team", "Value": "platform"}])
    inv = scan(access, ["cloudformation"])
    assert inv.complete and not inv.errors
    [stack] = inv.of(CloudFormationStack)
    assert (stack.name, stack.status, stack.tags, stack.drift_status) == (
        "app", "CREATE_COMPLETE", {"team": "platform"}, None)
    assert stack.arn.startswith(f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/app/")
    assert [(f.status.value, f.message) for f in findings_of(evaluate(inv), CONTROL)] == [
        ("error", "AWS returned no drift information for the stack")]


def test_denied_describe_is_error_on_moto(access: Any, seed: Any) -> None:
    seed("cloudformation").create_stack(StackName="app", TemplateBody=TEMPLATE)
    access.hooks.append(("before-call", deny({"cloudformation:DescribeStacks"})))
    found = findings_of(evaluate(scan(access, ["cloudformation"])), CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all("cloudformation:DescribeStacks" in f.message for f in found)


def stack(name: str, status: str, drift: str | None, checked: datetime | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"StackId": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/{name}/1",
                            "StackName": name, "CreationTime": CHECKED, "StackStatus": status}
    if drift:
        body["DriftInformation"] = {"StackDriftStatus": drift, **({"LastCheckTimestamp": checked} if checked else {})}
    return body


def test_drift_statuses_on_stubber() -> None:
    def script(stub: Stubber, region: str) -> None:
        stub.add_response("describe_stacks", {"Stacks": [
            stack("pass-network", "UPDATE_COMPLETE", "IN_SYNC", CHECKED),
            stack("fail-hand-edited", "CREATE_COMPLETE", "DRIFTED", CHECKED)], "NextToken": "t1"}, {})
        stub.add_response("describe_stacks", {"Stacks": [
            stack("fail-never-checked", "CREATE_COMPLETE", "NOT_CHECKED"),
            stack("skip-unexecuted-change-set", "REVIEW_IN_PROGRESS", "NOT_CHECKED")]}, {"NextToken": "t1"})

    inv = stubbed_scan("cloudformation", ["us-east-1"], script)
    assert inv.complete and not inv.errors
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {"pass-network": "pass", "fail-hand-edited": "fail", "fail-never-checked": "fail",
                                    "skip-unexecuted-change-set": "skip"}
    messages = {f.resource_name: f.message for f in findings_of(ev, CONTROL)}
    assert messages["fail-never-checked"] == ("drift detection has never run on the stack, so nothing shows it "
                                              "matches its template")
    assert messages["pass-network"] == "the stack matches its template (checked 2025-05-30T10:00:00+00:00)"
