"""Amazon Bedrock: the region's model invocation logging, and agents with their keys, roles and guardrails
(through the bedrock-agent API)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.bedrock import BedrockAgent, BedrockInvocationLogging


@collector(service="bedrock", produces=[BedrockInvocationLogging],
           permissions=["bedrock:GetModelInvocationLoggingConfiguration"])
def collect_invocation_logging(ctx: Ctx) -> Iterator[BedrockInvocationLogging]:
    bedrock = ctx.client("bedrock")
    arn = ctx.arn("bedrock", "model-invocation-logging")
    got = ctx.call(bedrock, "get_model_invocation_logging_configuration", resource_arn=arn)
    config = (got or {}).get("loggingConfig") or {}
    cw = (config.get("cloudWatchConfig") or {}).get("logGroupName") or ""
    s3 = (config.get("s3Config") or {}).get("bucketName") or ""
    yield BedrockInvocationLogging(
        arn=arn, id=f"model-invocation-logging/{ctx.region}", account_id=ctx.account_id, region=ctx.region,
        name=f"model invocation logging ({ctx.region})",
        configured=None if got is None else bool(cw or s3), cloudwatch_log_group=cw, s3_bucket=s3,
    )


@collector(service="bedrock-agent", produces=[BedrockAgent], permissions=["bedrock:ListAgents", "bedrock:GetAgent"])
def collect_agents(ctx: Ctx) -> Iterator[BedrockAgent]:
    agents = ctx.client("bedrock-agent")
    for summary in ctx.paginate(agents, "list_agents", "agentSummaries"):
        agent_id = summary["agentId"]
        arn = ctx.arn("bedrock", f"agent/{agent_id}")
        got = ctx.call(agents, "get_agent", resource_arn=arn, agentId=agent_id)
        agent = (got or {}).get("agent") or {}
        yield BedrockAgent(
            arn=agent.get("agentArn") or arn, id=agent_id, account_id=ctx.account_id, region=ctx.region,
            name=summary.get("agentName", ""), status=summary.get("agentStatus", ""),
            role_arn=None if got is None else agent.get("agentResourceRoleArn") or "",
            kms_key_arn=None if got is None else agent.get("customerEncryptionKeyArn") or "",
            guardrail=None if got is None else _guardrail(agent.get("guardrailConfiguration")),
        )


def _guardrail(config: dict[str, Any] | None) -> str:
    """The agent's guardrail as "<id or ARN>:<version>"; "" when none is associated."""
    guardrail = str((config or {}).get("guardrailIdentifier") or "")
    version = str((config or {}).get("guardrailVersion") or "")
    return f"{guardrail}:{version}" if guardrail and version else guardrail
