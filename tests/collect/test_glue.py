"""Glue collector against moto's server, and ERROR when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.glue import GlueJob
from tests.helpers import by_name, evaluate, findings_of, scan

KEY = "arn:aws:kms:us-east-1:123456789012:key/k1"
JOBS, CONFIGS = "glue:GetJobs", "glue:GetSecurityConfigurations"
CONTROLS = {"glue.job_continuous_logging": [JOBS], "glue.job_s3_encrypted": [JOBS, CONFIGS],
            "glue.job_logs_encrypted": [JOBS, CONFIGS]}


def _estate(seed: Any) -> None:
    glue = seed("glue")
    glue.create_security_configuration(Name="enc", EncryptionConfiguration={
        "S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": KEY}],
        "CloudWatchEncryption": {"CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": KEY}})
    glue.create_security_configuration(Name="s3only", EncryptionConfiguration={
        "S3Encryption": [{"S3EncryptionMode": "SSE-S3"}],
        "CloudWatchEncryption": {"CloudWatchEncryptionMode": "DISABLED"}})
    cmd = {"Name": "glueetl", "ScriptLocation": "s3://b/s.py"}
    glue.create_job(Name="good", Role="r", Command=cmd, SecurityConfiguration="enc",
                    DefaultArguments={"--enable-continuous-cloudwatch-log": "true", "--db-password": "hunter2"})
    glue.create_job(Name="partial", Role="r", Command=cmd, SecurityConfiguration="s3only")
    glue.create_job(Name="bad", Role="r", Command=cmd)
    glue.create_job(Name="shell", Role="r", Command={"Name": "pythonshell", "ScriptLocation": "s3://b/s.py"},
                    DefaultArguments={"--encryption-type": "sse-s3"})


def test_collects_jobs(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["glue"])
    assert inv.complete
    jobs = {j.name: j for j in inv.of(GlueJob)}
    assert (jobs["good"].continuous_logging, jobs["good"].s3_encryption_mode, jobs["good"].cloudwatch_encryption_mode) \
        == (True, "SSE-KMS", "SSE-KMS")
    assert (jobs["partial"].s3_encryption_mode, jobs["partial"].cloudwatch_encryption_mode) == ("SSE-S3", "DISABLED")
    assert (jobs["shell"].command, jobs["shell"].encryption_type_argument) == ("pythonshell", "sse-s3")
    assert "hunter2" not in jobs["good"].model_dump_json()


def test_controls_reach_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["glue"]))
    assert by_name(ev, "glue.job_continuous_logging") == {"good": "pass", "partial": "fail", "bad": "fail",
                                                          "shell": "skip"}
    assert by_name(ev, "glue.job_s3_encrypted") == {"good": "pass", "partial": "pass", "bad": "fail",
                                                    "shell": "pass"}
    assert by_name(ev, "glue.job_logs_encrypted") == {"good": "pass", "partial": "fail", "bad": "fail",
                                                      "shell": "fail"}


@pytest.mark.parametrize("action", [JOBS, CONFIGS])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["glue"]))
    for cid, needs in CONTROLS.items():
        found = findings_of(ev, cid)
        if action in needs:
            assert found and {f.status.value for f in found} == {"error"}, cid
            assert all(action in f.message for f in found)
        else:
            assert "error" not in {f.status.value for f in found}, cid
