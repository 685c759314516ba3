"""CodeBuild control over the credentials it stores to reach source providers."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.codebuild_credentials import CodeBuildSourceCredentials

LONG_LIVED = ("PERSONAL_ACCESS_TOKEN", "BASIC_AUTH")


@control(
    id="codebuild.source_credentials_not_long_lived",
    title="CodeBuild reaches source providers through OAuth, CodeConnections or Secrets Manager, not stored tokens",
    severity="medium",
    needs=["codebuild:ListSourceCredentials"],
    rationale="A personal access token or app password imported into CodeBuild is a long-lived secret of one "
    "person's account that usually reaches every repository that person can write to, never expires and "
    "cannot be rotated from AWS; whoever obtains it can push code that the pipeline then builds and deploys. "
    "OAuth or CodeConnections grant scoped, revocable access, and a token kept in Secrets Manager can at "
    "least be rotated and audited (CC6.1, CC8.1).",
    remediation=Remediation(
        console="CodeBuild console > the project > Edit > Source > Connection: 'Connect using OAuth' or a "
        "CodeConnections connection (Developer Tools > Settings > Connections) > Update project; then remove "
        "the stored token (CLI below).",
        cli="aws codebuild list-source-credentials\n"
        "aws codebuild delete-source-credentials --arn <credential-arn>\n"
        "aws codebuild import-source-credentials --server-type GITHUB --auth-type CODECONNECTIONS "
        "--token <connection-arn>",
        terraform='resource "aws_codestarconnections_connection" "github" {\n  name          = "github"\n'
        '  provider_type = "GitHub"\n}\n'
        'resource "aws_codebuild_source_credential" "github" {\n  auth_type   = "CODECONNECTIONS"\n'
        '  server_type = "GITHUB"\n  token       = aws_codestarconnections_connection.github.arn\n}',
    ),
)
def source_credentials_not_long_lived(record: CodeBuildSourceCredentials) -> Outcome:
    if record.credentials is None:
        return Error("the stored source credentials could not be listed")
    if not record.credentials:
        return Skip(f"no source credentials are stored in {record.region}")
    stored = [f"{c.server_type} ({c.auth_type})" for c in record.credentials if c.auth_type in LONG_LIVED]
    if stored:
        return Fail("long-lived tokens are stored for " + ", ".join(stored))
    return Pass("source providers are reached through " + ", ".join(
        sorted({c.auth_type for c in record.credentials})))
