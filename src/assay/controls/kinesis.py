"""Kinesis Data Streams controls: server-side encryption and retention."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.kinesis import KinesisStream

NEEDS = ["kinesis:ListStreams", "kinesis:DescribeStreamSummary"]


@control(
    id="kinesis.stream_encrypted",
    title="Kinesis data streams encrypt records at rest with KMS",
    severity="medium",
    needs=NEEDS,
    rationale="Stream records often carry application events and personal data. Server-side encryption with "
    "KMS keeps them unreadable on AWS storage and makes every read subject to a key policy that can be "
    "audited, which CC6.1 and the confidentiality criteria expect of stored data.",
    remediation=Remediation(
        console="Kinesis console > Data streams > the stream > Configuration > Encryption > Edit > "
        "Enable server-side encryption, choose the AWS managed key or a customer managed key > Save.",
        cli="aws kinesis start-stream-encryption --stream-name <stream> --encryption-type KMS "
        "--key-id alias/aws/kinesis",
        terraform='resource "aws_kinesis_stream" "events" {\n  encryption_type = "KMS"\n'
        '  kms_key_id      = aws_kms_key.streams.arn\n}',
    ),
)
def stream_encrypted(stream: KinesisStream) -> Outcome:
    if stream.status == "DELETING":
        return Skip("stream is being deleted")
    if stream.encryption_type is None:
        return Error("stream encryption was not read")
    if stream.encryption_type == "KMS":
        return Pass(f"records are encrypted with KMS key {stream.kms_key_id or '(unnamed)'}")
    return Fail(f"server-side encryption is off (encryption type {stream.encryption_type})")


@control(
    id="kinesis.stream_retention_sufficient",
    title="Kinesis data streams keep records long enough to be replayed",
    severity="low",
    needs=NEEDS,
    rationale="With the default 24-hour retention, records not consumed within a day are lost, so an outage "
    "of a consumer over a weekend loses data. A retention of at least seven days lets processing recover and "
    "replay after a failure (A1.2, PI1.3).",
    remediation=Remediation(
        console="Kinesis console > Data streams > the stream > Configuration > Data retention > Edit > "
        "set 7 days or more > Save.",
        cli="aws kinesis increase-stream-retention-period --stream-name <stream> --retention-period-hours 168",
        terraform='resource "aws_kinesis_stream" "events" {\n  retention_period = 168\n}',
    ),
)
def stream_retention_sufficient(stream: KinesisStream, *, min_hours: int = 168) -> Outcome:
    if stream.status == "DELETING":
        return Skip("stream is being deleted")
    if stream.retention_hours is None:
        return Error("stream retention was not read")
    if stream.retention_hours >= min_hours:
        return Pass(f"records are kept {stream.retention_hours} hours (at least {min_hours})")
    return Fail(f"records are kept only {stream.retention_hours} hours (less than {min_hours})")
