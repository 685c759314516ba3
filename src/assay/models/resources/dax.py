"""DynamoDB Accelerator (DAX) resources: clusters."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class DaxCluster(Resource):
    type: ClassVar[str] = "AWS::DAX::Cluster"
    node_type: str = ""
    nodes: int = 0
    sse_status: str = ""  # ENABLED, ENABLING, DISABLED, DISABLING; "" when not reported
    endpoint_encryption: str = "NONE"  # TLS or NONE
