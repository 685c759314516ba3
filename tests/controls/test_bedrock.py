"""Bedrock controls: pure functions over invocation logging settings and agents."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from assay.controls import bedrock
from assay.models.findings import Status
from assay.models.inventory import Inventory, ScanMeta
from assay.models.resources.bedrock import BedrockAgent, BedrockInvocationLogging
from assay.models.resources.iam import IamRole

ACCT = "123456789012"
ROLE = f"arn:aws:iam::{ACCT}:role/agent"


def logging(**over: Any) -> BedrockInvocationLogging:
    base: dict[str, Any] = dict(arn=f"arn:aws:bedrock:us-east-1:{ACCT}:model-invocation-logging", id="l",
                                account_id=ACCT, region="us-east-1", configured=True,
                                cloudwatch_log_group="/aws/bedrock")
    return BedrockInvocationLogging(**{**base, **over})


def agent(**over: Any) -> BedrockAgent:
    base: dict[str, Any] = dict(arn=f"arn:aws:bedrock:us-east-1:{ACCT}:agent/A1", id="A1", account_id=ACCT,
                                region="us-east-1", name="a", status="PREPARED", role_arn=ROLE,
                                kms_key_arn=f"arn:aws:kms:us-east-1:{ACCT}:key/k", guardrail="gr1abc:3")
    return BedrockAgent(**{**base, **over})


def inv_with(action: str, resource: str = "*") -> Inventory:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    doc = json.loads(json.dumps({"Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}))
    role = IamRole(arn=ROLE, id="AROA", account_id=ACCT, region="global", name="agent", inline_policies={"p": doc})
    return Inventory(ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now), [], [], [], [role], [])


def test_model_invocation_logging_enabled() -> None:
    out = bedrock.model_invocation_logging_enabled(logging(s3_bucket="logs"))
    assert out.status is Status.PASS and out.message == \
        "invocations are logged to CloudWatch Logs /aws/bedrock and S3 bucket logs"
    out = bedrock.model_invocation_logging_enabled(logging(configured=False, cloudwatch_log_group=""))
    assert out.status is Status.FAIL and "us-east-1" in out.message
    assert bedrock.model_invocation_logging_enabled(logging(configured=None)).status is Status.ERROR
    # the setting exists in every region: no not-applicable case


def test_agent_encrypted_with_cmk() -> None:
    assert bedrock.agent_encrypted_with_cmk(agent()).status is Status.PASS
    assert bedrock.agent_encrypted_with_cmk(agent(kms_key_arn="")).status is Status.FAIL
    assert bedrock.agent_encrypted_with_cmk(agent(kms_key_arn=None)).status is Status.ERROR


def test_agent_role_least_privilege() -> None:
    scoped = inv_with("bedrock:InvokeModel")
    assert bedrock.agent_role_least_privilege(agent(), scoped).status is Status.PASS
    out = bedrock.agent_role_least_privilege(agent(), inv_with("bedrock:*"))
    assert out.status is Status.FAIL and "bedrock:*" in out.message
    assert bedrock.agent_role_least_privilege(agent(status="DELETING"), scoped).status is Status.SKIP
    assert bedrock.agent_role_least_privilege(agent(role_arn=None), scoped).status is Status.ERROR


def test_agent_guardrail_associated() -> None:
    out = bedrock.agent_guardrail_associated(agent())
    assert out == (Status.PASS, "guardrail gr1abc:3 screens the agent's input and output")
    out = bedrock.agent_guardrail_associated(agent(guardrail=""))
    assert out == (Status.FAIL, "agent a has no guardrail associated: its prompts and responses are not screened")
    assert bedrock.agent_guardrail_associated(agent(guardrail="", status="DELETING")).status is Status.SKIP
    assert bedrock.agent_guardrail_associated(agent(guardrail=None)).status is Status.ERROR
