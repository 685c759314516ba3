"""Amazon MSK controls: encryption in transit."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.kafka import MskCluster


@control(
    id="msk.cluster_encrypted_in_transit",
    title="MSK clusters require TLS between clients and brokers and between brokers",
    severity="high",
    needs=["kafka:ListClustersV2"],
    rationale="Kafka topics carry the organisation's event data. With PLAINTEXT or TLS_PLAINTEXT client "
    "listeners, or unencrypted replication between brokers, records and credentials can be read or altered on "
    "the network. Requiring TLS on both paths protects data in transit (CC6.7).",
    remediation=Remediation(
        console="Amazon MSK console > Clusters > the cluster > Properties > Security settings > Edit: set "
        "'Encryption in transit between clients and brokers' to TLS only. In-cluster encryption can only be "
        "chosen at creation: create a new cluster with it enabled and migrate (MirrorMaker 2 or MSK Replicator).",
        cli="aws kafka update-security --cluster-arn <arn> --current-version <version> "
        "--encryption-info 'EncryptionInTransit={ClientBroker=TLS}'",
        terraform='resource "aws_msk_cluster" "events" {\n  encryption_info {\n    encryption_in_transit {\n'
        '      client_broker = "TLS"\n      in_cluster    = true\n    }\n  }\n}',
    ),
)
def cluster_encrypted_in_transit(cluster: MskCluster) -> Outcome:
    if cluster.cluster_type == "SERVERLESS":
        return Pass("MSK Serverless always encrypts traffic with TLS")
    if cluster.client_broker is None or cluster.in_cluster is None:
        return Error("the cluster's encryption in transit settings were not reported")
    problems = []
    if cluster.client_broker != "TLS":
        problems.append(f"clients may connect with {cluster.client_broker}")
    if not cluster.in_cluster:
        problems.append("traffic between brokers is not encrypted")
    if problems:
        return Fail("; ".join(problems))
    return Pass("client-broker traffic is TLS only and in-cluster traffic is encrypted")
