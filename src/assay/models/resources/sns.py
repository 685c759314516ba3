"""SNS topics, their attributes and the protocols of their subscriptions."""

from __future__ import annotations

from typing import Any, ClassVar

from assay.models.base import Resource


class SnsTopic(Resource):
    """A standard or FIFO topic. Fields are None when the read they come from failed (unknown)."""

    type: ClassVar[str] = "AWS::SNS::Topic"
    kms_master_key_id: str | None = None  # "" when the topic is not encrypted
    policy: dict[str, Any] | None = None  # the access policy; {} when none
    # Delivery status logging: protocol attribute prefix (HTTP, SQS, Lambda, Application, Firehose) -> role ARN.
    failure_feedback_roles: dict[str, str] | None = None
    subscription_protocols: tuple[str, ...] | None = None  # protocols of the topic's subscriptions
