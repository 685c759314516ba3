"""SQS resources: queues with the attributes the controls judge."""

from __future__ import annotations

from typing import Any, ClassVar

from assay.models.base import Resource


class SqsQueue(Resource):
    """A queue; attribute fields are None when GetQueueAttributes failed for it."""

    type: ClassVar[str] = "AWS::SQS::Queue"
    url: str = ""
    fifo: bool = False
    kms_key_id: str | None = None
    sqs_managed_sse: bool | None = None
    dead_letter_target: str | None = None  # the DLQ's ARN from RedrivePolicy; "" when there is none
    max_receive_count: int | None = None
    policy: dict[str, Any] | None = None  # {}: no queue policy
    retention_seconds: int | None = None

    @property
    def attributes_read(self) -> bool:
        return self.sqs_managed_sse is not None
