"""Amazon MSK resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class MskCluster(Resource):
    type: ClassVar[str] = "AWS::MSK::Cluster"
    cluster_type: str = ""  # PROVISIONED or SERVERLESS
    state: str = ""
    client_broker: str | None = None  # EncryptionInTransit.ClientBroker: TLS, TLS_PLAINTEXT, PLAINTEXT; None: unknown
    in_cluster: bool | None = None  # EncryptionInTransit.InCluster; None: unknown
