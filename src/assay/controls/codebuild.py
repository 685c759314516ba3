"""CodeBuild controls: secrets kept out of project configuration, build logging."""

from __future__ import annotations

import re

from assay.controls.registry import Remediation, control
from assay.models.findings import Fail, Outcome, Pass, Skip
from assay.models.resources.codebuild import CodeBuildProject

NEEDS = ["codebuild:ListProjects", "codebuild:BatchGetProjects"]
# Names that say the value is a credential. AWS's own key variables are the case the public mappings check.
SECRET_NAME = re.compile(
    r"(^AWS_ACCESS_KEY_ID$|^AWS_SECRET_ACCESS_KEY$|^AWS_SESSION_TOKEN$|SECRET|PASSW(OR)?D|PASSPHRASE|TOKEN|"
    r"API_?KEY|PRIVATE_?KEY|CREDENTIAL)", re.IGNORECASE)
REPO_HOSTS = ("GITHUB", "GITHUB_ENTERPRISE", "BITBUCKET", "GITLAB", "GITLAB_SELF_MANAGED")


@control(
    id="codebuild.no_plaintext_secret_variables",
    title="CodeBuild projects keep no credentials in plaintext environment variables",
    severity="high",
    needs=NEEDS,
    rationale="Plaintext environment variables are shown to anyone who can read the project (console, "
    "BatchGetProjects, build logs), so access keys, tokens or passwords stored there leak far beyond the "
    "build. Secrets belong in Secrets Manager or Parameter Store, referenced by type, where access is "
    "controlled and audited (CC6.1, CC8.1).",
    remediation=Remediation(
        console="CodeBuild console > the project > Edit > Environment > Additional configuration > Environment "
        "variables: for each credential, store the value in Secrets Manager and change the variable's type to "
        "'Secrets Manager' with the secret's name as value; for AWS keys, remove them and give the service "
        "role the permissions instead. Rotate every value that was stored in plaintext.",
        cli="aws secretsmanager create-secret --name ci/<name> --secret-string '<value>'\n"
        "aws codebuild update-project --name <project> --environment "
        "'type=LINUX_CONTAINER,image=<image>,computeType=<size>,"
        "environmentVariables=[{name=<NAME>,value=ci/<name>,type=SECRETS_MANAGER}]'",
        terraform='resource "aws_codebuild_project" "app" {\n  environment {\n    environment_variable {\n'
        '      name  = "NPM_TOKEN"\n      value = "ci/npm-token"\n      type  = "SECRETS_MANAGER"\n    }\n  }\n}',
    ),
)
def no_plaintext_secret_variables(project: CodeBuildProject) -> Outcome:
    if not project.environment_variables:
        return Skip("project defines no environment variables")
    suspicious = [v.name for v in project.environment_variables if v.type == "PLAINTEXT" and SECRET_NAME.search(v.name)]
    if suspicious:
        return Fail(f"plaintext variables named like credentials: {', '.join(suspicious)}")
    return Pass(f"none of {len(project.environment_variables)} variables is a plaintext credential by name")


@control(
    id="codebuild.source_url_has_no_credentials",
    title="CodeBuild source repository URLs carry no embedded credentials",
    severity="high",
    needs=NEEDS,
    rationale="A repository URL of the form https://user:token@host/... stores a long-lived credential in "
    "the project definition, readable by everyone with read access to CodeBuild and never rotated. "
    "Connections through OAuth, CodeConnections or Secrets Manager keep the credential out of the "
    "configuration (CC6.1, CC8.1).",
    remediation=Remediation(
        console="CodeBuild console > the project > Edit > Source: remove the credentials from the repository "
        "URL and connect through 'Connect using OAuth' or an AWS CodeConnections connection; revoke the token "
        "that was embedded.",
        cli="aws codebuild update-project --name <project> --source "
        "'type=GITHUB,location=https://github.com/<org>/<repo>.git,auth={type=CODECONNECTIONS,resource=<connection-arn>}'",
        terraform='resource "aws_codebuild_project" "app" {\n  source {\n    type     = "GITHUB"\n'
        '    location = "https://github.com/northwind/app.git"\n    auth {\n      type     = "CODECONNECTIONS"\n'
        '      resource = aws_codestarconnections_connection.github.arn\n    }\n  }\n}',
    ),
)
def source_url_has_no_credentials(project: CodeBuildProject) -> Outcome:
    repos = [s for s in project.sources if s.type in REPO_HOSTS]
    if not repos:
        kinds = ", ".join(sorted({s.type for s in project.sources})) or "none"
        return Skip(f"no GitHub, Bitbucket or GitLab source (sources: {kinds})")
    leaking = [s.location for s in repos if s.embedded_credentials]
    if leaking:
        return Fail(f"source URLs embed credentials: {', '.join(leaking)}")
    return Pass(f"{len(repos)} repository URLs carry no credentials")


@control(
    id="codebuild.project_logging_enabled",
    title="CodeBuild projects send build logs to CloudWatch Logs or S3",
    severity="low",
    needs=NEEDS,
    rationale="Build logs are the record of what each build fetched, ran and produced; they are needed to "
    "investigate a failed or tampered build and to show how a change reached production (A1.2, CC7.2, CC8.1).",
    remediation=Remediation(
        console="CodeBuild console > the project > Edit > Logs: check 'CloudWatch logs' (group and stream name "
        "optional) and/or 'S3 logs' with a bucket > Update project.",
        cli="aws codebuild update-project --name <project> --logs-config 'cloudWatchLogs={status=ENABLED}'",
        terraform='resource "aws_codebuild_project" "app" {\n  logs_config {\n    cloudwatch_logs {\n'
        '      status = "ENABLED"\n    }\n  }\n}',
    ),
)
def project_logging_enabled(project: CodeBuildProject) -> Outcome:
    on = [name for name, status in (("CloudWatch Logs", project.cloudwatch_logs), ("S3", project.s3_logs))
          if status == "ENABLED"]
    if on:
        return Pass(f"build logs go to {' and '.join(on)}")
    return Fail("both CloudWatch Logs and S3 logging are disabled")
