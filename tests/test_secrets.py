"""T12: secret values never reach a report, a snapshot or the log, whatever the format.

Canary values are planted where AWS keeps secrets next to configuration (Lambda environment, ECS
task definition environment, CodeBuild plaintext variables, a CodeBuild source URL with
credentials); the scan runs with --debug, and every output is searched for them. Key names may
appear; values never.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from assay.demo.estate.lambda_ import code, execution_role
from tests.test_cli import run

CANARIES = {
    "lambda": "AKIAZZZZCANARYLAMBDA1",
    "ecs": "canary-ecs-password-0f3b9a",
    "codebuild": "canary/codebuild+secret+40chars+aaaaaaaaaaaaa",
    "url": "canary-url-token-77aa",
}
FORMATS = ("console", "json", "csv", "html", "ocsf", "asff", "sarif", "junit", "markdown")


def plant(seed: Any) -> None:
    role = execution_role(seed, "us-east-1", "canary-role")
    seed("lambda").create_function(
        FunctionName="canary-fn", Runtime="python3.12", Role=role, Handler="handler.handle",
        Code={"ZipFile": code()}, Environment={"Variables": {"DB_PASSWORD": CANARIES["lambda"]}})
    seed("ecs").register_task_definition(family="canary-task", containerDefinitions=[{
        "name": "app", "image": "nginx", "memory": 128,
        "environment": [{"name": "DB_PASSWORD", "value": CANARIES["ecs"]}]}])
    seed("codebuild").create_project(
        name="canary-build",
        source={"type": "GITHUB", "location": f"https://deploy:{CANARIES['url']}@github.com/northwind/app.git"},
        artifacts={"type": "NO_ARTIFACTS"}, serviceRole=role,
        environment={"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0",
                     "computeType": "BUILD_GENERAL1_SMALL",
                     "environmentVariables": [{"name": "API_TOKEN", "value": CANARIES["codebuild"],
                                               "type": "PLAINTEXT"}]})


def test_no_secret_value_in_any_output(endpoint: str, seed: Any, tmp_path: Path) -> None:
    plant(seed)
    # The values are really there to be read: the scan must choose not to keep them.
    env = seed("lambda").get_function_configuration(FunctionName="canary-fn")["Environment"]["Variables"]
    assert env["DB_PASSWORD"] == CANARIES["lambda"]
    services = [arg for s in ("lambda", "ecs", "codebuild") for arg in ("--service", s)]
    snapshot = tmp_path / "snap.json.gz"
    texts: dict[str, str] = {}
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        extra = ["--snapshot", str(snapshot)] if fmt == "json" else []
        proc = run("--debug", "scan", "-r", "us-east-1", *services, "-f", fmt, "-o", str(out), *extra,
                   endpoint=endpoint)
        assert proc.returncode == 0, proc.stderr
        texts[fmt] = out.read_text()
        texts[f"{fmt} stderr"] = proc.stderr + proc.stdout
    texts["snapshot"] = gzip.decompress(snapshot.read_bytes()).decode()
    assert "canary-fn" in texts["json"] and "canary-build" in texts["json"], "the planted resources were scanned"
    for where, text in texts.items():
        for kind, value in CANARIES.items():
            assert value not in text, f"{kind} secret leaked into {where}"
