"""Kinesis Data Streams resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class KinesisStream(Resource):
    type: ClassVar[str] = "AWS::Kinesis::Stream"
    status: str = ""  # CREATING, ACTIVE, UPDATING, DELETING
    encryption_type: str | None = None  # "KMS" or "NONE"; None: not read
    kms_key_id: str = ""
    retention_hours: int | None = None  # None: not read
