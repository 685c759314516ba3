"""CodeBuild collector against moto's server: names and types of variables only, credentials stripped from
URLs; ERROR when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from assay.faults import deny
from assay.models.resources.codebuild import CodeBuildProject, EnvVar
from assay.models.resources.codebuild_credentials import CodeBuildSourceCredentials
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import by_name, evaluate, findings_of, scan

ROLE = "arn:aws:iam::123456789012:role/cb"
CONTROLS = ["codebuild.no_plaintext_secret_variables", "codebuild.source_url_has_no_credentials",
            "codebuild.project_logging_enabled"]
TOKEN = "ghp_FAKEtoken123"


def _env(variables: list[dict[str, str]]) -> dict[str, Any]:
    return {"type": "LINUX_CONTAINER", "image": "img", "computeType": "BUILD_GENERAL1_SMALL",
            "environmentVariables": variables}


def _estate(seed: Any) -> None:
    cb = seed("codebuild")
    cb.create_project(name="good", serviceRole=ROLE, artifacts={"type": "NO_ARTIFACTS"},
                      source={"type": "GITHUB", "location": "https://github.com/o/good.git"},
                      environment=_env([{"name": "STAGE", "value": "prod", "type": "PLAINTEXT"}]),
                      logsConfig={"cloudWatchLogs": {"status": "ENABLED"}})
    cb.create_project(name="bad", serviceRole=ROLE, artifacts={"type": "NO_ARTIFACTS"},
                      source={"type": "GITHUB", "location": f"https://bot:{TOKEN}@github.com/o/bad.git"},
                      environment=_env([{"name": "AWS_SECRET_ACCESS_KEY", "value": "s3cr3tVALUE",
                                         "type": "PLAINTEXT"}]),
                      logsConfig={"cloudWatchLogs": {"status": "DISABLED"}, "s3Logs": {"status": "DISABLED"}})
    cb.create_project(name="s3src", serviceRole=ROLE, artifacts={"type": "NO_ARTIFACTS"},
                      source={"type": "S3", "location": "bucket/src.zip"}, environment=_env([]))


def test_collects_projects_without_secret_values(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["codebuild"])
    assert inv.complete
    projects = {p.name: p for p in inv.of(CodeBuildProject)}
    bad = projects["bad"]
    assert bad.environment_variables == (EnvVar(name="AWS_SECRET_ACCESS_KEY", type="PLAINTEXT"),)
    assert bad.sources[0].location == "https://github.com/o/bad.git" and bad.sources[0].embedded_credentials
    dumped = bad.model_dump_json()
    assert TOKEN not in dumped and "s3cr3tVALUE" not in dumped and "bot:" not in dumped
    assert (bad.cloudwatch_logs, bad.s3_logs) == ("DISABLED", "DISABLED")
    assert projects["s3src"].cloudwatch_logs == "ENABLED"  # AWS's default when logsConfig is absent


def test_controls_reach_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["codebuild"]))
    assert by_name(ev, CONTROLS[0]) == {"good": "pass", "bad": "fail", "s3src": "skip"}
    assert by_name(ev, CONTROLS[1]) == {"good": "pass", "bad": "fail", "s3src": "skip"}
    assert by_name(ev, CONTROLS[2]) == {"good": "pass", "bad": "fail", "s3src": "pass"}


@pytest.mark.parametrize("action", ["codebuild:ListProjects", "codebuild:BatchGetProjects"])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["codebuild"]))
    for cid in CONTROLS:
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, cid
        assert all(action in f.message for f in found)


# -- stored source credentials: moto keeps none (its in-process server answers an empty list), so the
# -- listing's shapes are played on botocore's Stubber as AWS documents them

CREDENTIALS = "codebuild.source_credentials_not_long_lived"


def test_moto_account_has_no_stored_credentials(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["codebuild"])
    [record] = inv.of(CodeBuildSourceCredentials)
    assert record.credentials == ()
    assert by_name(evaluate(inv), CREDENTIALS) == {"us-east-1": "skip"}


def _listing(infos: list[dict[str, str]] | None) -> Any:
    def script(stub: Stubber, region: str) -> None:
        stub.add_response("list_projects", {})  # no projects
        if infos is None:
            stub.add_client_error("list_source_credentials", service_error_code="AccessDeniedException",
                                  http_status_code=400)
        else:
            stub.add_response("list_source_credentials", {"sourceCredentialsInfos": infos}, {})
    return script


def test_stored_tokens_fail_and_connections_pass() -> None:
    token = {"arn": "arn:aws:codebuild:us-east-1:123456789012:token/github", "serverType": "GITHUB",
             "authType": "PERSONAL_ACCESS_TOKEN"}
    ev = evaluate(stubbed_scan("codebuild", ["us-east-1"], _listing([token])))
    [f] = findings_of(ev, CREDENTIALS)
    assert (f.status.value, f.message) == ("fail", "long-lived tokens are stored for GITHUB (PERSONAL_ACCESS_TOKEN)")
    connection = {**token, "authType": "CODECONNECTIONS", "resource": "arn:aws:codeconnections:us-east-1:1:c/x"}
    assert by_name(evaluate(stubbed_scan("codebuild", ["us-east-1"], _listing([connection]))), CREDENTIALS) == \
        {"us-east-1": "pass"}


def test_denied_credentials_listing_is_error() -> None:
    inv = stubbed_scan("codebuild", ["us-east-1"], _listing(None))
    [f] = findings_of(evaluate(inv), CREDENTIALS)
    assert f.status.value == "error" and "codebuild:ListSourceCredentials" in f.message
