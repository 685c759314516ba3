"""CodeBuild resources. Environment variables are kept as names and types only, never values."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class EnvVar(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    type: str  # PLAINTEXT, PARAMETER_STORE, SECRETS_MANAGER


class BuildSource(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    type: str  # GITHUB, BITBUCKET, GITLAB, CODECOMMIT, S3, CODEPIPELINE, NO_SOURCE, ...
    location: str = ""  # with any user information in the URL removed
    embedded_credentials: bool = False  # the URL carried user information (a token or user:password)
    auth_type: str = ""  # source.auth.type: OAUTH, CODECONNECTIONS, SECRETS_MANAGER


class CodeBuildProject(Resource):
    type: ClassVar[str] = "AWS::CodeBuild::Project"
    sources: tuple[BuildSource, ...] = ()  # primary first, then secondary sources
    environment_variables: tuple[EnvVar, ...] = ()
    cloudwatch_logs: str = "ENABLED"  # logsConfig.cloudWatchLogs.status (AWS default ENABLED)
    s3_logs: str = "DISABLED"  # logsConfig.s3Logs.status
    service_role: str = ""
