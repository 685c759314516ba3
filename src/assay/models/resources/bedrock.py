"""Amazon Bedrock resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class BedrockInvocationLogging(Resource):
    """The region's model invocation logging configuration (one per account and region)."""

    type: ClassVar[str] = "AWS::Bedrock::ModelInvocationLogging"
    configured: bool | None = None  # None: not read
    cloudwatch_log_group: str = ""
    s3_bucket: str = ""


class BedrockAgent(Resource):
    type: ClassVar[str] = "AWS::Bedrock::Agent"
    status: str = ""
    role_arn: str | None = None  # agentResourceRoleArn; None: not read
    kms_key_arn: str | None = None  # customerEncryptionKeyArn; "" when none; None: not read
    # guardrailConfiguration: the guardrail's ID or ARN and its version ("id:version"); "" when none;
    # None: not read
    guardrail: str | None = None
