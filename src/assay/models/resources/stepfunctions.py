"""Step Functions resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class StateMachine(Resource):
    type: ClassVar[str] = "AWS::StepFunctions::StateMachine"
    machine_type: str = ""  # STANDARD or EXPRESS
    status: str = ""
    role_arn: str | None = None  # execution role; None: not read
    log_level: str | None = None  # loggingConfiguration.level: ALL, ERROR, FATAL, OFF; None: not read
    log_destinations: tuple[str, ...] = ()  # CloudWatch Logs log group ARNs
