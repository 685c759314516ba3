"""Kinesis: the clickstream is encrypted and kept a week; a partner feed is neither."""

from __future__ import annotations

from assay.demo.estate import ClientFactory


def seed(client: ClientFactory, regions: list[str]) -> None:
    kinesis = client("kinesis", regions[0])
    kinesis.create_stream(StreamName="pass-clickstream", ShardCount=1)
    kinesis.start_stream_encryption(StreamName="pass-clickstream", EncryptionType="KMS", KeyId="alias/aws/kinesis")
    kinesis.increase_stream_retention_period(StreamName="pass-clickstream", RetentionPeriodHours=168)
    kinesis.create_stream(StreamName="fail-partner-feed", ShardCount=1)
