"""T12: secret values never reach a report, a snapshot, the store or the log, whatever the format.

Canary values are planted where AWS keeps secrets next to configuration (Lambda environment, ECS
task definition environment, CodeBuild plaintext variables, a CodeBuild source URL with
credentials, EC2 user data, CloudFormation parameters and outputs); the scan runs
with --debug, and every output is searched for them: the nine report formats, the snapshot, the
log, the scan store (its SQL dump and its stored snapshots) and the auditor report built from it,
as HTML and as PDF text. Key names may appear; values never.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from assay.demo.estate.lambda_ import code, execution_role
from tests.test_cli import run

CANARIES = {
    "lambda": "AKIAZZZZCANARYLAMBDA1",
    "ecs": "canary-ecs-password-0f3b9a",
    "codebuild": "canary/codebuild+secret+40chars+aaaaaaaaaaaaa",
    "url": "canary-url-token-77aa",
    "userdata": "canary-userdata-AKIAZZZZUSERDATA01",
    "cfn-parameter": "canary-cfn-parameter-pass-1234",
    "cfn-output": "canary-cfn-output-token-9876",
}
TEMPLATE = json.dumps({
    "Parameters": {"DbPassword": {"Type": "String", "NoEcho": True}},
    "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
    "Outputs": {"Token": {"Value": CANARIES["cfn-output"]}},
})
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
    ec2 = seed("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                      UserData=f"#!/bin/sh\nexport AWS_SECRET={CANARIES['userdata']}\n",
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "canary-vm"}]}])
    seed("cloudformation").create_stack(StackName="canary-stack", TemplateBody=TEMPLATE,
                                        Parameters=[{"ParameterKey": "DbPassword",
                                                     "ParameterValue": CANARIES["cfn-parameter"]}])


def store_text(db: Path) -> str:
    """The scan store as text: its SQL dump, and each stored snapshot decompressed."""
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
        snapshots = [gzip.decompress(data).decode() for (data,) in conn.execute("SELECT data FROM scan_snapshots")]
    assert snapshots, "the scans were stored"
    return "\n".join([dump, *snapshots])


def test_no_secret_value_in_any_output(endpoint: str, seed: Any, tmp_path: Path) -> None:
    plant(seed)
    # The values are really there to be read: the scan must choose not to keep them.
    env = seed("lambda").get_function_configuration(FunctionName="canary-fn")["Environment"]["Variables"]
    assert env["DB_PASSWORD"] == CANARIES["lambda"]
    services = [arg for s in ("lambda", "ecs", "codebuild", "ec2", "cloudformation") for arg in ("--service", s)]
    snapshot = tmp_path / "snap.json.gz"
    db = tmp_path / "store.db"
    store = {"ASSAY_DB": f"sqlite:///{db}"}
    texts: dict[str, str] = {}
    # One scan reads AWS (its debug log is the one that could carry what AWS sent); every other format
    # is rendered from its snapshot, as `assay evaluate` does.
    proc = run("--debug", "scan", "-r", "us-east-1", *services, "-f", "json", "-o", str(tmp_path / "report.json"),
               "--snapshot", str(snapshot), endpoint=endpoint, env_extra=store)
    assert proc.returncode == 0, proc.stderr
    texts["json"], texts["scan log"] = (tmp_path / "report.json").read_text(), proc.stderr + proc.stdout
    for fmt in FORMATS:
        out = tmp_path / f"evaluated.{fmt}"
        proc = run("--debug", "evaluate", str(snapshot), "-f", fmt, "-o", str(out), env_extra=store)
        assert proc.returncode == 0, proc.stderr
        texts[fmt if fmt != "json" else "evaluated json"] = out.read_text()
        texts[f"{fmt} log"] = proc.stderr + proc.stdout
    texts["snapshot"] = gzip.decompress(snapshot.read_bytes()).decode()
    for name in ("canary-fn", "canary-build", "canary-vm", "canary-stack"):
        assert name in texts["json"], f"the planted {name} was scanned"
    texts["store"] = store_text(db)
    for suffix in ("html", "pdf"):
        out = tmp_path / f"auditor.{suffix}"
        proc = run("--debug", "report", "auditor", "-o", str(out), env_extra=store)
        assert proc.returncode == 0, proc.stderr
        texts[f"auditor {suffix} stderr"] = proc.stderr + proc.stdout
        texts[f"auditor {suffix}"] = (out.read_text() if suffix == "html"
                                      else "\n".join(page.extract_text() for page in PdfReader(out).pages))
    for where, text in texts.items():
        for kind, value in CANARIES.items():
            assert value not in text, f"{kind} secret leaked into {where}"


def test_no_collector_reads_secret_values() -> None:
    """What is never read cannot leak: no collector may declare a read that returns a secret's value
    (SSM parameter values, Secrets Manager secret values, EC2 user data, Lambda code)."""
    from assay.collect.registry import declared_permissions

    value_reads = {"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory",
                   "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue",
                   "ec2:DescribeInstanceAttribute", "lambda:GetFunction", "kms:Decrypt"}
    assert not value_reads & set(declared_permissions())
