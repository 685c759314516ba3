"""CodeBuild controls: pure functions over CodeBuildProject."""

from __future__ import annotations

from typing import Any

from assay.controls import codebuild, codebuild_credentials
from assay.models.findings import Status
from assay.models.resources.codebuild import BuildSource, CodeBuildProject, EnvVar
from assay.models.resources.codebuild_credentials import CodeBuildSourceCredentials, SourceCredential

GITHUB = BuildSource(type="GITHUB", location="https://github.com/o/r.git", auth_type="CODECONNECTIONS")


def project(**over: Any) -> CodeBuildProject:
    base: dict[str, Any] = dict(arn="arn:aws:codebuild:us-east-1:123456789012:project/p", id="p",
                                account_id="123456789012", region="us-east-1", name="p", sources=(GITHUB,),
                                environment_variables=(EnvVar(name="NODE_ENV", type="PLAINTEXT"),
                                                       EnvVar(name="NPM_TOKEN", type="SECRETS_MANAGER")))
    return CodeBuildProject(**{**base, **over})


def test_no_plaintext_secret_variables() -> None:
    assert codebuild.no_plaintext_secret_variables(project()).status is Status.PASS
    leaked = (EnvVar(name="AWS_ACCESS_KEY_ID", type="PLAINTEXT"), EnvVar(name="db_password", type="PLAINTEXT"),
              EnvVar(name="GITHUB_TOKEN", type="PARAMETER_STORE"), EnvVar(name="REGION", type="PLAINTEXT"))
    out = codebuild.no_plaintext_secret_variables(project(environment_variables=leaked))
    assert out.status is Status.FAIL
    assert out.message == "plaintext variables named like credentials: AWS_ACCESS_KEY_ID, db_password"
    assert codebuild.no_plaintext_secret_variables(project(environment_variables=())).status is Status.SKIP


def test_source_url_has_no_credentials() -> None:
    assert codebuild.source_url_has_no_credentials(project()).status is Status.PASS
    leaky = BuildSource(type="BITBUCKET", location="https://bitbucket.org/o/r.git", embedded_credentials=True)
    out = codebuild.source_url_has_no_credentials(project(sources=(GITHUB, leaky)))
    assert out.status is Status.FAIL and "https://bitbucket.org/o/r.git" in out.message
    s3 = BuildSource(type="S3", location="bucket/src.zip")
    out = codebuild.source_url_has_no_credentials(project(sources=(s3,)))
    assert out.status is Status.SKIP and "S3" in out.message


def test_project_logging_enabled() -> None:
    assert codebuild.project_logging_enabled(project()).status is Status.PASS
    assert codebuild.project_logging_enabled(project(cloudwatch_logs="DISABLED", s3_logs="ENABLED")).status \
        is Status.PASS
    out = codebuild.project_logging_enabled(project(cloudwatch_logs="DISABLED"))
    assert out.status is Status.FAIL
    # every project produces build output: no not-applicable case; the one read is BatchGetProjects


def credentials(*pairs: tuple[str, str]) -> CodeBuildSourceCredentials:
    return CodeBuildSourceCredentials(
        arn="arn:aws:codebuild:us-east-1:123456789012:token", id="us-east-1", name="us-east-1",
        account_id="123456789012", region="us-east-1",
        credentials=tuple(SourceCredential(arn=f"arn:aws:codebuild:us-east-1:123456789012:token/{s.lower()}",
                                           server_type=s, auth_type=a) for s, a in pairs))


def test_source_credentials_not_long_lived() -> None:
    f = codebuild_credentials.source_credentials_not_long_lived
    assert f(credentials(("GITHUB", "CODECONNECTIONS"), ("BITBUCKET", "OAUTH"))) == \
        (Status.PASS, "source providers are reached through CODECONNECTIONS, OAUTH")
    assert f(credentials(("GITHUB", "PERSONAL_ACCESS_TOKEN"), ("BITBUCKET", "BASIC_AUTH"))) == \
        (Status.FAIL, "long-lived tokens are stored for GITHUB (PERSONAL_ACCESS_TOKEN), BITBUCKET (BASIC_AUTH)")
    assert f(credentials()).status is Status.SKIP
    assert f(credentials().model_copy(update={"credentials": None})).status is Status.ERROR
