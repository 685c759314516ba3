"""Amazon Bedrock controls: invocation logging, agents' encryption keys, execution roles and guardrails."""

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


@control(
    id="bedrock.agent_guardrail_associated",
    title="Bedrock agents have a guardrail associated",
    severity="medium",
    needs=AGENT_NEEDS,
    rationale="An agent takes free-text input from users or upstream systems, and acts on what a model makes "
    "of it. A Bedrock guardrail associated with the agent screens every prompt before the model sees it "
    "(denied topics, harmful content, prompt attacks, sensitive information) and every response before "
    "it is returned, so input outside what the agent is meant to process is refused and output is "
    "filtered: controls over system inputs and outputs (PI1.2, PI1.4). Which filters and topics a "
    "guardrail needs depends on the agent's use and is for its owner to review; what holds for every "
    "agent is that one without any guardrail screens nothing, which is what this control fails. "
    "Guardrails that exist but are associated with no agent protect nothing and are not judged.",
    remediation=Remediation(
        console="Bedrock console > Guardrails > Create guardrail (content filters, denied topics, prompt attack "
        "filter, sensitive information filters) > create a version; then Agents > the agent > Edit in Agent "
        "builder > Guardrail details > Edit > choose the guardrail and version > Save; prepare the agent again.",
        cli="aws bedrock create-guardrail --name <name> --blocked-input-messaging <text> "
        "--blocked-outputs-messaging <text> --content-policy-config file://filters.json\n"
        "aws bedrock create-guardrail-version --guardrail-identifier <guardrail-id>\n"
        "aws bedrock-agent update-agent --agent-id <id> --agent-name <name> --foundation-model <model> "
        "--agent-resource-role-arn <role-arn> "
        "--guardrail-configuration guardrailIdentifier=<guardrail-id>,guardrailVersion=<version>",
        terraform='resource "aws_bedrockagent_agent" "support" {\n  # ...\n  guardrail_configuration {\n'
        "    guardrail_identifier = aws_bedrock_guardrail.support.guardrail_id\n"
        "    guardrail_version    = aws_bedrock_guardrail_version.support.version\n  }\n}",
    ),
)
def agent_guardrail_associated(agent: BedrockAgent) -> Outcome:
    if agent.status == "DELETING":
        return Skip("agent is being deleted")
    if agent.guardrail is None:
        return Error("agent was not described")
    if agent.guardrail:
        return Pass(f"guardrail {agent.guardrail} screens the agent's input and output")
    return Fail(f"agent {agent.display_name} has no guardrail associated: its prompts and responses are not screened")
