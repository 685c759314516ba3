"""CodeBuild: the web app build uses Secrets Manager and a connection; a legacy build hard-codes everything."""

from __future__ import annotations

from typing import Any

from assay.demo.estate import ClientFactory

ROLE = "arn:aws:iam::123456789012:role/northwind-codebuild"
ARTIFACTS = {"type": "NO_ARTIFACTS"}


def _env(variables: list[dict[str, str]]) -> dict[str, Any]:
    return {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL",
            "environmentVariables": variables}


def seed(client: ClientFactory, regions: list[str]) -> None:
    cb = client("codebuild", regions[0])
    cb.create_project(
        name="pass-web-app", serviceRole=ROLE, artifacts=ARTIFACTS,
        source={"type": "GITHUB", "location": "https://github.com/northwind-analytics/web-app.git",
                "auth": {"type": "CODECONNECTIONS",
                         "resource": "arn:aws:codeconnections:us-east-1:123456789012:connection/6f1d2c"}},
        environment=_env([{"name": "NODE_ENV", "value": "production", "type": "PLAINTEXT"},
                          {"name": "NPM_TOKEN", "value": "ci/npm-token", "type": "SECRETS_MANAGER"}]),
        logsConfig={"cloudWatchLogs": {"status": "ENABLED", "groupName": "/codebuild/web-app"}})
    cb.create_project(
        # a fake credential, as a careless team would have pasted it (never a real key)
        name="fail-legacy-etl", serviceRole=ROLE, artifacts=ARTIFACTS,
        source={"type": "GITHUB", "location": "https://ci-bot:ghp_demoNotARealToken0000@github.com/northwind-analytics/etl.git"},
        environment=_env([{"name": "AWS_ACCESS_KEY_ID", "value": "AKIADEMONOTAREALKEY0", "type": "PLAINTEXT"},
                          {"name": "AWS_SECRET_ACCESS_KEY", "value": "demo-not-a-real-secret", "type": "PLAINTEXT"}]),
        logsConfig={"cloudWatchLogs": {"status": "DISABLED"}, "s3Logs": {"status": "DISABLED"}})
    cb.create_project(
        name="skip-docs-site", serviceRole=ROLE, artifacts=ARTIFACTS,
        source={"type": "S3", "location": "northwind-docs-src/site.zip"}, environment=_env([]),
        logsConfig={"s3Logs": {"status": "ENABLED", "location": "northwind-build-logs/docs"},
                    "cloudWatchLogs": {"status": "DISABLED"}})
