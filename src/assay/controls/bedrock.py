"""Amazon Bedrock controls: invocation logging, agents' encryption keys and execution roles."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.controls.stepfunctions import judge_role
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.bedrock import BedrockAgent, BedrockInvocationLogging

AGENT_NEEDS = ["bedrock:ListAgents", "bedrock:GetAgent"]


@control(
    id="bedrock.model_invocation_logging_enabled",
    title="Bedrock model invocation logging is configured in every region",
    severity="medium",
    needs=["bedrock:GetModelInvocationLoggingConfiguration"],
    rationale="Invocation logs record every request to a foundation model (who called which model, with "
    "what prompt and response). Without them misuse of generative AI, data sent to models and failing "
    "calls cannot be reviewed or investigated (A1.2, CC7.2).",
    remediation=Remediation(
        console="Bedrock console > Settings > Model invocation logging: turn on, choose the data types, and a "
        "CloudWatch Logs group and/or S3 bucket destination (with a service role that can write) > Save "
        "settings. Repeat in every region where Bedrock is used.",
        cli="aws bedrock put-model-invocation-logging-configuration --logging-config "
        "'cloudWatchConfig={logGroupName=/aws/bedrock/invocations,roleArn=<role-arn>},textDataDeliveryEnabled=true'",
        terraform='resource "aws_bedrock_model_invocation_logging_configuration" "this" {\n  logging_config {\n'
        '    text_data_delivery_enabled = true\n    cloudwatch_config {\n'
        '      log_group_name = aws_cloudwatch_log_group.bedrock.name\n'
        '      role_arn       = aws_iam_role.bedrock_logs.arn\n'
        '    }\n  }\n}',
    ),
)
def model_invocation_logging_enabled(cfg: BedrockInvocationLogging) -> Outcome:
    if cfg.configured is None:
        return Error("the logging configuration was not read")
    where = [f"CloudWatch Logs {cfg.cloudwatch_log_group}" if cfg.cloudwatch_log_group else "",
             f"S3 bucket {cfg.s3_bucket}" if cfg.s3_bucket else ""]
    if cfg.configured:
        return Pass("invocations are logged to " + " and ".join(w for w in where if w))
    return Fail(f"model invocation logging is not configured in {cfg.region}")


@control(
    id="bedrock.agent_encrypted_with_cmk",
    title="Bedrock agents encrypt their data with a customer-managed KMS key",
    severity="low",
    needs=AGENT_NEEDS,
    rationale="An agent stores its instructions, configuration and session data. A customer-managed key "
    "keeps that data under a key policy the organisation controls and can audit or revoke (CC6.1, C1.1).",
    remediation=Remediation(
        console="Bedrock console > Agents > the agent > Edit in Agent builder > Additional settings > KMS key "
        "selection: customize encryption settings and choose your KMS key > Save; prepare the agent again.",
        cli="aws bedrock-agent update-agent --agent-id <id> --agent-name <name> --foundation-model <model> "
        "--agent-resource-role-arn <role-arn> --customer-encryption-key-arn <kms-key-arn>",
        terraform='resource "aws_bedrockagent_agent" "support" {\n'
        '  customer_encryption_key_arn = aws_kms_key.ai.arn\n}',
    ),
)
def agent_encrypted_with_cmk(agent: BedrockAgent) -> Outcome:
    if agent.kms_key_arn is None:
        return Error("agent was not described")
    if agent.kms_key_arn:
        return Pass(f"agent data is encrypted with {agent.kms_key_arn}")
    return Fail("agent uses the AWS owned key (no customerEncryptionKeyArn)")


@control(
    id="bedrock.agent_role_least_privilege",
    title="Bedrock agent service roles do not allow whole services or '*' on every resource",
    severity="medium",
    needs=[*AGENT_NEEDS, "iam:GetAccountAuthorizationDetails"],
    rationale="An agent turns model output into actions through its service role; a prompt injection can steer "
    "it. If the role allows every action of a service on every resource, a manipulated agent can reach far "
    "beyond its task. Scoping the role to the models and knowledge bases it uses limits that blast radius "
    "(CC6.1, CC6.3).",
    remediation=Remediation(
        console="IAM console > Roles > the agent's service role > Permissions: replace broad statements with "
        "bedrock:InvokeModel on the agent's foundation model ARN and bedrock:Retrieve on its knowledge bases; "
        "detach *FullAccess policies.",
        cli="aws iam put-role-policy --role-name <role> --policy-name agent --policy-document file://scoped.json",
        terraform='data "aws_iam_policy_document" "agent" {\n  statement {\n    actions   = ["bedrock:InvokeModel"]\n'
        '    resources = ["arn:aws:bedrock:eu-west-1::foundation-model/<model-id>"]\n  }\n}',
    ),
)
def agent_role_least_privilege(agent: BedrockAgent, inv: Inventory) -> Outcome:
    if agent.status == "DELETING":
        return Skip("agent is being deleted")
    return judge_role(inv, agent.role_arn, "agent service role")
