"""Kinesis Data Streams: each stream's encryption and retention, from its summary."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.kinesis import KinesisStream


@collector(service="kinesis", produces=[KinesisStream],
           permissions=["kinesis:ListStreams", "kinesis:DescribeStreamSummary"])
def collect_streams(ctx: Ctx) -> Iterator[KinesisStream]:
    kinesis = ctx.client("kinesis")
    for name in ctx.paginate(kinesis, "list_streams", "StreamNames"):
        arn = ctx.arn("kinesis", f"stream/{name}")
        described = ctx.call(kinesis, "describe_stream_summary", resource_arn=arn, StreamName=name)
        summary = (described or {}).get("StreamDescriptionSummary", {})
        yield KinesisStream(
            arn=summary.get("StreamARN", arn), id=name, account_id=ctx.account_id, region=ctx.region, name=name,
            status=summary.get("StreamStatus", ""),
            encryption_type=None if described is None else summary.get("EncryptionType", "NONE"),
            kms_key_id=summary.get("KeyId") or "",
            retention_hours=None if described is None else summary.get("RetentionPeriodHours"),
        )
