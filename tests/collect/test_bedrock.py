"""Bedrock collectors against moto's server, and ERROR when a read is denied."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.stub import Stubber

from assay.faults import deny
from assay.models.resources.bedrock import BedrockAgent, BedrockInvocationLogging
from tests.collect.test_accessanalyzer import NOW, stubbed_scan
from tests.helpers import by_name, evaluate, findings_of, scan

LOGGING, LIST, GET, GAAD = ("bedrock:GetModelInvocationLoggingConfiguration", "bedrock:ListAgents",
                            "bedrock:GetAgent", "iam:GetAccountAuthorizationDetails")
CONTROLS = {"bedrock.model_invocation_logging_enabled": [LOGGING], "bedrock.agent_encrypted_with_cmk": [LIST, GET],
            "bedrock.agent_role_least_privilege": [LIST, GET, GAAD], "bedrock.agent_guardrail_associated": [LIST, GET]}
SERVICES = ["bedrock", "bedrock-agent", "iam"]
KEY = "arn:aws:kms:us-east-1:123456789012:key/k1"


def _role(iam: Any, name: str, action: str) -> str:
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "bedrock.amazonaws.com"}}]}
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}))
    return arn


def _estate(seed: Any) -> None:
    seed("bedrock").put_model_invocation_logging_configuration(loggingConfig={
        "s3Config": {"bucketName": "ai-logs"}, "textDataDeliveryEnabled": True})
    iam = seed("iam")
    agents = seed("bedrock-agent")
    agents.create_agent(agentName="good", foundationModel="m", customerEncryptionKeyArn=KEY,
                        agentResourceRoleArn=_role(iam, "scoped", "bedrock:InvokeModel"))
    agents.create_agent(agentName="bad", foundationModel="m", agentResourceRoleArn=_role(iam, "broad", "*"))


def test_collects_logging_and_agents(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["bedrock", "bedrock-agent"], regions=["us-east-1", "eu-west-1"])
    assert inv.complete
    settings = {s.region: s for s in inv.of(BedrockInvocationLogging)}
    assert (settings["us-east-1"].configured, settings["us-east-1"].s3_bucket) == (True, "ai-logs")
    assert settings["eu-west-1"].configured is False
    agents = {a.name: a for a in inv.of(BedrockAgent)}
    assert (agents["good"].kms_key_arn, agents["bad"].kms_key_arn) == (KEY, "")
    assert agents["bad"].role_arn == "arn:aws:iam::123456789012:role/broad"


def test_controls_reach_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, SERVICES, regions=["us-east-1", "eu-west-1"]))
    assert by_name(ev, "bedrock.model_invocation_logging_enabled") == {
        "model invocation logging (us-east-1)": "pass", "model invocation logging (eu-west-1)": "fail"}
    assert by_name(ev, "bedrock.agent_encrypted_with_cmk") == {"good": "pass", "bad": "fail"}
    assert by_name(ev, "bedrock.agent_role_least_privilege") == {"good": "pass", "bad": "fail"}
    # moto keeps no guardrail configuration (see the recorded answer below for one that has it)
    assert by_name(ev, "bedrock.agent_guardrail_associated") == {"good": "fail", "bad": "fail"}


@pytest.mark.parametrize("action", [LOGGING, LIST, GET, GAAD])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    code = "AccessDenied" if action == GAAD else "AccessDeniedException"
    access.hooks.append(("before-call", deny({action}, code=code)))
    ev = evaluate(scan(access, SERVICES))
    for cid, needs in CONTROLS.items():
        found = findings_of(ev, cid)
        if action in needs:
            assert found and {f.status.value for f in found} == {"error"}, cid
            assert all(action in f.message for f in found)
        else:
            assert "error" not in {f.status.value for f in found}, cid


def _agent(agent_id: str, name: str, guardrail: dict[str, str] | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "agentId": agent_id, "agentName": name, "agentArn": f"arn:aws:bedrock:us-east-1:123456789012:agent/{agent_id}",
        "agentVersion": "DRAFT", "agentStatus": "PREPARED", "idleSessionTTLInSeconds": 600,
        "agentResourceRoleArn": "arn:aws:iam::123456789012:role/agent", "createdAt": NOW, "updatedAt": NOW}
    if guardrail is not None:
        body["guardrailConfiguration"] = guardrail
    return {"agent": body}


def test_guardrail_read_from_get_agent_on_stubber() -> None:
    guarded = {"guardrailIdentifier": "gr7k2m9x4q1z", "guardrailVersion": "2"}

    def script(stub: Stubber, region: str) -> None:
        stub.add_response("list_agents", {"agentSummaries": [
            {"agentId": aid, "agentName": name, "agentStatus": "PREPARED", "updatedAt": NOW}
            for aid, name in (("AGENT00001", "guarded"), ("AGENT00002", "open"), ("AGENT00003", "emptied"))]},
            {"maxResults": 1000})
        stub.add_response("get_agent", _agent("AGENT00001", "guarded", guarded), {"agentId": "AGENT00001"})
        stub.add_response("get_agent", _agent("AGENT00002", "open", None), {"agentId": "AGENT00002"})
        stub.add_response("get_agent", _agent("AGENT00003", "emptied", {}), {"agentId": "AGENT00003"})

    inv = stubbed_scan("bedrock-agent", ["us-east-1"], script)
    assert inv.complete
    agents = {a.name: a.guardrail for a in inv.of(BedrockAgent)}
    assert agents == {"guarded": "gr7k2m9x4q1z:2", "open": "", "emptied": ""}
    assert by_name(evaluate(inv), "bedrock.agent_guardrail_associated") == {
        "guarded": "pass", "open": "fail", "emptied": "fail"}
