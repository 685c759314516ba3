"""Glue controls: pure functions over GlueJob."""

from __future__ import annotations

from typing import Any

from assay.controls import glue
from assay.models.findings import Status
from assay.models.resources.glue import GlueJob


def job(**over: Any) -> GlueJob:
    base: dict[str, Any] = dict(arn="arn:aws:glue:us-east-1:123456789012:job/j", id="j", account_id="123456789012",
                                region="us-east-1", command="glueetl", continuous_logging=True,
                                security_configuration="enc", s3_encryption_mode="SSE-KMS",
                                cloudwatch_encryption_mode="SSE-KMS")
    return GlueJob(**{**base, **over})


def test_job_continuous_logging() -> None:
    assert glue.job_continuous_logging(job()).status is Status.PASS
    assert glue.job_continuous_logging(job(continuous_logging=False)).status is Status.FAIL
    assert glue.job_continuous_logging(job(command="pythonshell", continuous_logging=False)).status is Status.SKIP


def test_job_s3_encrypted() -> None:
    assert glue.job_s3_encrypted(job()).status is Status.PASS
    arg = job(security_configuration="", s3_encryption_mode="DISABLED", encryption_type_argument="sse-s3")
    assert glue.job_s3_encrypted(arg).status is Status.PASS
    out = glue.job_s3_encrypted(job(security_configuration="", s3_encryption_mode="DISABLED"))
    assert out.status is Status.FAIL and "no security configuration" in out.message
    out = glue.job_s3_encrypted(job(s3_encryption_mode="DISABLED"))
    assert out.status is Status.FAIL and "security configuration enc" in out.message
    assert glue.job_s3_encrypted(job(s3_encryption_mode=None)).status is Status.ERROR
    # every job writes with some configuration: no not-applicable case


def test_job_logs_encrypted() -> None:
    assert glue.job_logs_encrypted(job()).status is Status.PASS
    assert glue.job_logs_encrypted(job(cloudwatch_encryption_mode="DISABLED")).status is Status.FAIL
    out = glue.job_logs_encrypted(job(security_configuration="", cloudwatch_encryption_mode="DISABLED"))
    assert out.status is Status.FAIL and "no security configuration" in out.message
    assert glue.job_logs_encrypted(job(cloudwatch_encryption_mode=None)).status is Status.ERROR
