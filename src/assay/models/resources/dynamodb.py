"""DynamoDB resources: tables (metadata only; Assay never reads items)."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class DynamoDbTable(Resource):
    type: ClassVar[str] = "AWS::DynamoDB::Table"
    status: str = ""  # ACTIVE, CREATING, UPDATING, DELETING, ARCHIVED, ...
    billing_mode: str = "PROVISIONED"  # or PAY_PER_REQUEST (on-demand)
    deletion_protection: bool = False
    # SSEDescription: "AWS_OWNED" when absent (the default), else "KMS"; key ARN for KMS.
    sse_type: str = "AWS_OWNED"
    kms_key_arn: str | None = None
    pitr_enabled: bool | None = None  # DescribeContinuousBackups; None: not read
    # Application Auto Scaling targets registered on the table: "dynamodb:table:ReadCapacityUnits", ...
    autoscaled_dimensions: tuple[str, ...] | None = None  # None: not read
