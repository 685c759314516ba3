"""Amazon MSK: the event bus enforces TLS; a legacy analytics cluster still accepts plaintext clients."""

from __future__ import annotations

from typing import Any

from assay.demo.estate import ClientFactory


def _provisioned(client_broker: str, in_cluster: bool) -> dict[str, Any]:
    return {
        "KafkaVersion": "3.6.0", "NumberOfBrokerNodes": 2,
        "BrokerNodeGroupInfo": {"InstanceType": "kafka.m5.large", "ClientSubnets": ["subnet-0a1", "subnet-0b2"]},
        "EncryptionInfo": {"EncryptionInTransit": {"ClientBroker": client_broker, "InCluster": in_cluster}},
    }


def seed(client: ClientFactory, regions: list[str]) -> None:
    kafka = client("kafka", regions[-1])
    # moto's CreateClusterV2 drops EncryptionInfo; the original CreateCluster keeps it
    kafka.create_cluster(ClusterName="pass-event-bus", **_provisioned("TLS", True), Tags={"team": "platform"})
    kafka.create_cluster(ClusterName="fail-legacy-analytics", **_provisioned("TLS_PLAINTEXT", True))
