"""Kinesis controls: pure functions over KinesisStream."""

from __future__ import annotations

from typing import Any

from assay.controls import kinesis
from assay.models.findings import Status
from assay.models.resources.kinesis import KinesisStream


def stream(**over: Any) -> KinesisStream:
    base: dict[str, Any] = dict(
        arn="arn:aws:kinesis:us-east-1:123456789012:stream/s", id="s", account_id="123456789012",
        region="us-east-1", name="s", status="ACTIVE", encryption_type="KMS", kms_key_id="alias/aws/kinesis",
        retention_hours=168,
    )
    return KinesisStream(**{**base, **over})


def test_stream_encrypted() -> None:
    assert kinesis.stream_encrypted(stream()).status is Status.PASS
    out = kinesis.stream_encrypted(stream(encryption_type="NONE"))
    assert out.status is Status.FAIL and "NONE" in out.message
    assert kinesis.stream_encrypted(stream(status="DELETING")).status is Status.SKIP
    assert kinesis.stream_encrypted(stream(encryption_type=None)).status is Status.ERROR


def test_stream_retention_sufficient() -> None:
    assert kinesis.stream_retention_sufficient(stream()).status is Status.PASS
    out = kinesis.stream_retention_sufficient(stream(retention_hours=24))
    assert out.status is Status.FAIL and "24 hours" in out.message
    assert kinesis.stream_retention_sufficient(stream(retention_hours=24), min_hours=24).status is Status.PASS
    assert kinesis.stream_retention_sufficient(stream(status="DELETING")).status is Status.SKIP
    assert kinesis.stream_retention_sufficient(stream(retention_hours=None)).status is Status.ERROR
