"""Amazon Cognito user pool resources."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class CognitoPasswordPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    minimum_length: int = 8
    require_uppercase: bool = False
    require_lowercase: bool = False
    require_numbers: bool = False
    require_symbols: bool = False


class CognitoUserPool(Resource):
    type: ClassVar[str] = "AWS::Cognito::UserPool"
    # Fields below come from DescribeUserPool; None: it was not read.
    mfa_configuration: str | None = None  # OFF, ON, OPTIONAL
    advanced_security_mode: str | None = None  # OFF, AUDIT, ENFORCED ("OFF" when no add-on is configured)
    password_policy: CognitoPasswordPolicy | None = None
    tier: str = ""  # LITE, ESSENTIALS, PLUS
