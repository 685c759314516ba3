"""MSK controls: pure functions over MskCluster."""

from __future__ import annotations

from typing import Any

from assay.controls import msk, msk_connect
from assay.models.findings import Status
from assay.models.resources.kafka import MskCluster
from assay.models.resources.kafkaconnect import MskConnector


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


def connector(**over: Any) -> MskConnector:
    base: dict[str, Any] = dict(arn="arn:aws:kafkaconnect:us-east-1:123456789012:connector/sink/1", id="sink",
                                name="sink", account_id="123456789012", region="us-east-1", state="RUNNING",
                                encryption_in_transit="TLS", client_authentication="IAM",
                                log_destinations=("cloudWatchLogs",))
    return MskConnector(**{**base, **over})


def test_connector_encrypted_in_transit() -> None:
    assert msk_connect.connector_encrypted_in_transit(connector()) == \
        (Status.PASS, "the connector reaches its cluster over TLS (IAM authentication)")
    assert msk_connect.connector_encrypted_in_transit(connector(encryption_in_transit="PLAINTEXT")) == \
        (Status.FAIL, "connector sink exchanges records with its cluster in clear text")


def test_connector_logs_delivered() -> None:
    assert msk_connect.connector_logs_delivered(connector()).status is Status.PASS
    assert msk_connect.connector_logs_delivered(connector(log_destinations=())).status is Status.FAIL
