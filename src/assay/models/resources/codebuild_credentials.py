"""CodeBuild's stored source-provider credentials in one region (ListSourceCredentials)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class SourceCredential(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    arn: str
    server_type: str  # GITHUB, GITHUB_ENTERPRISE, GITLAB, GITLAB_SELF_MANAGED, BITBUCKET
    auth_type: str  # OAUTH, BASIC_AUTH, PERSONAL_ACCESS_TOKEN, CODECONNECTIONS, SECRETS_MANAGER


class CodeBuildSourceCredentials(Resource):
    """One record per region; credentials is None when the listing failed (unknown)."""

    type: ClassVar[str] = "AWS::CodeBuild::SourceCredential"
    credentials: tuple[SourceCredential, ...] | None = None
