"""MSK collector against moto's server, and ERROR when the listing is denied."""

from __future__ import annotations

from typing import Any

from assay.faults import deny
from assay.models.resources.kafka import MskCluster
from tests.helpers import by_name, evaluate, findings_of, scan

CONTROL = "msk.cluster_encrypted_in_transit"


def _provisioned(client_broker: str, in_cluster: bool) -> dict[str, Any]:
    return {"KafkaVersion": "3.6.0", "NumberOfBrokerNodes": 2,
            "BrokerNodeGroupInfo": {"InstanceType": "kafka.m5.large", "ClientSubnets": ["subnet-1", "subnet-2"]},
            "EncryptionInfo": {"EncryptionInTransit": {"ClientBroker": client_broker, "InCluster": in_cluster}}}


def _estate(seed: Any) -> None:
    kafka = seed("kafka")
    # moto's CreateClusterV2 drops EncryptionInfo; the original CreateCluster keeps it
    kafka.create_cluster(ClusterName="good", **_provisioned("TLS", True))
    kafka.create_cluster(ClusterName="bad", **_provisioned("PLAINTEXT", False))
    kafka.create_cluster_v2(ClusterName="sls", Serverless={"VpcConfigs": [{"SubnetIds": ["subnet-1"]}]})


def test_collects_clusters_and_evaluates(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["kafka"])
    assert inv.complete
    clusters = {c.name: c for c in inv.of(MskCluster)}
    assert (clusters["good"].client_broker, clusters["good"].in_cluster) == ("TLS", True)
    assert (clusters["bad"].client_broker, clusters["bad"].in_cluster) == ("PLAINTEXT", False)
    assert clusters["sls"].cluster_type == "SERVERLESS"
    assert by_name(evaluate(inv), CONTROL) == {"good": "pass", "bad": "fail", "sls": "pass"}


def test_denied_listing_is_error(access: Any, seed: Any) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({"kafka:ListClustersV2"}, code="ForbiddenException")))
    found = findings_of(evaluate(scan(access, ["kafka"])), CONTROL)
    assert [f.status.value for f in found] == ["error"] and "kafka:ListClustersV2" in found[0].message
