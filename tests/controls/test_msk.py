"""MSK controls: pure functions over MskCluster."""

from __future__ import annotations

from typing import Any

from assay.controls import msk
from assay.models.findings import Status
from assay.models.resources.kafka import MskCluster


def cluster(**over: Any) -> MskCluster:
    base: dict[str, Any] = dict(arn="arn:aws:kafka:us-east-1:123456789012:cluster/c/1", id="1",
                                account_id="123456789012", region="us-east-1", cluster_type="PROVISIONED",
                                client_broker="TLS", in_cluster=True)
    return MskCluster(**{**base, **over})


def test_cluster_encrypted_in_transit() -> None:
    assert msk.cluster_encrypted_in_transit(cluster()).status is Status.PASS
    out = msk.cluster_encrypted_in_transit(cluster(client_broker="PLAINTEXT", in_cluster=False))
    assert out.status is Status.FAIL
    assert out.message == "clients may connect with PLAINTEXT; traffic between brokers is not encrypted"
    assert msk.cluster_encrypted_in_transit(cluster(client_broker="TLS_PLAINTEXT")).status is Status.FAIL
    serverless = cluster(cluster_type="SERVERLESS", client_broker=None, in_cluster=None)
    assert msk.cluster_encrypted_in_transit(serverless).status is Status.PASS  # TLS is not optional there
    assert msk.cluster_encrypted_in_transit(cluster(client_broker=None)).status is Status.ERROR
