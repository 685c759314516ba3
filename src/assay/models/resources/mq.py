"""Amazon MQ resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class MqBroker(Resource):
    type: ClassVar[str] = "AWS::AmazonMQ::Broker"
    engine: str = ""  # ACTIVEMQ or RABBITMQ
    state: str = ""
    general_logs: bool | None = None  # Logs.General; None: not read
    audit_logs: bool | None = None  # Logs.Audit (ActiveMQ only); None: not read or not applicable
