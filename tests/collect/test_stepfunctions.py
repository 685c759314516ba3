"""Step Functions collector against moto's server (with IAM for execution roles), and ERROR when reads are denied."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.stepfunctions import StateMachine
from tests.helpers import by_name, evaluate, findings_of, scan

DEF = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                                   "Action": "sts:AssumeRole"}]})
GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/states/good:*"
LIST, DESCRIBE, GAAD = "states:ListStateMachines", "states:DescribeStateMachine", "iam:GetAccountAuthorizationDetails"
CONTROLS = {"stepfunctions.logging_enabled": [LIST, DESCRIBE],
            "stepfunctions.role_least_privilege": [LIST, DESCRIBE, GAAD]}


def _role(iam: Any, name: str, action: str) -> str:
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST, Path="/service-role/")["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}))
    return arn


def _estate(seed: Any) -> None:
    iam = seed("iam")
    scoped, broad = _role(iam, "scoped", "lambda:InvokeFunction"), _role(iam, "broad", "dynamodb:*")
    sfn = seed("stepfunctions")
    sfn.create_state_machine(name="good", definition=DEF, roleArn=scoped, loggingConfiguration={
        "level": "ALL", "includeExecutionData": True,
        "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": GROUP}}]})
    sfn.create_state_machine(name="bad", definition=DEF, roleArn=broad)


def test_collects_state_machines(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["stepfunctions"])
    assert inv.complete
    machines = {m.name: m for m in inv.of(StateMachine)}
    good = machines["good"]
    assert (good.log_level, good.log_destinations, good.machine_type) == ("ALL", (GROUP,), "STANDARD")
    assert good.role_arn == "arn:aws:iam::123456789012:role/service-role/scoped"
    assert machines["bad"].log_level == "OFF"


def test_controls_reach_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["stepfunctions", "iam"]))
    assert by_name(ev, "stepfunctions.logging_enabled") == {"good": "pass", "bad": "fail"}
    assert by_name(ev, "stepfunctions.role_least_privilege") == {"good": "pass", "bad": "fail"}
    bad = next(f for f in findings_of(ev, "stepfunctions.role_least_privilege") if f.resource_name == "bad")
    assert bad.message == "execution role broad: inline p allows dynamodb:* on *"


def test_without_iam_collected_roles_are_error(access: Any, seed: Any) -> None:
    _estate(seed)
    found = findings_of(evaluate(scan(access, ["stepfunctions"])), "stepfunctions.role_least_privilege")
    assert [f.status.value for f in found] == ["error"] and "iam" in found[0].message


@pytest.mark.parametrize("action", [LIST, DESCRIBE, GAAD])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    code = "AccessDenied" if action == GAAD else "AccessDeniedException"
    access.hooks.append(("before-call", deny({action}, code=code)))
    ev = evaluate(scan(access, ["stepfunctions", "iam"]))
    for cid, needs in CONTROLS.items():
        if action in needs:
            found = findings_of(ev, cid)
            assert found and {f.status.value for f in found} == {"error"}, cid
            assert all(action in f.message for f in found)
