"""MSK Connect controls: connectors encrypt their traffic to the Kafka cluster and deliver worker logs."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Fail, Outcome, Pass
from assay.models.resources.kafkaconnect import MskConnector

CONNECTORS = ["kafkaconnect:ListConnectors"]


@control(
    id="msk.connector_encrypted_in_transit",
    title="MSK Connect connectors use TLS to reach their Kafka cluster",
    severity="medium",
    needs=CONNECTORS,
    rationale="A connector copies records between Kafka and databases, buckets or SaaS systems; with PLAINTEXT "
    "encryption it reads and writes those records in clear text on the network between its workers and the "
    "brokers. TLS protects the data while it moves (CC6.7). The setting is fixed when the connector is "
    "created.",
    remediation=Remediation(
        console="Amazon MSK console > MSK Connect > Connectors > Create connector with the same plugin and "
        "configuration > Security > Encryption in transit: TLS encrypted traffic (and IAM authentication) > "
        "Create; then delete the PLAINTEXT connector.",
        cli="aws kafkaconnect create-connector --cli-input-json file://connector.json  "
        "# with kafkaClusterEncryptionInTransit.encryptionType = TLS\n"
        "aws kafkaconnect delete-connector --connector-arn <old-connector-arn>",
        terraform='resource "aws_mskconnect_connector" "example" {\n'
        "  kafka_cluster_encryption_in_transit {\n    encryption_type = \"TLS\"\n  }\n"
        "  kafka_cluster_client_authentication {\n    authentication_type = \"IAM\"\n  }\n}",
    ),
)
def connector_encrypted_in_transit(c: MskConnector) -> Outcome:
    if c.encryption_in_transit == "TLS":
        return Pass(f"the connector reaches its cluster over TLS ({c.client_authentication} authentication)")
    return Fail(f"connector {c.display_name} exchanges records with its cluster in clear text")


@control(
    id="msk.connector_logs_delivered",
    title="MSK Connect connectors deliver worker logs to CloudWatch Logs, S3 or Firehose",
    severity="low",
    needs=CONNECTORS,
    rationale="Worker logs show what a connector did: tasks started and failed, records it could not convert or "
    "deliver, authentication errors. Without them a stalled or misbehaving data flow goes unnoticed and "
    "cannot be investigated (CC7.2).",
    remediation=Remediation(
        console="MSK Connect connectors cannot change log delivery after creation: create the connector again "
        "with Logs > Deliver to Amazon CloudWatch Logs (or S3 / Firehose), then delete the old one.",
        cli="aws kafkaconnect create-connector --cli-input-json file://connector.json  # with logDelivery."
        "workerLogDelivery.cloudWatchLogs = {enabled: true, logGroup: <group>}",
        terraform='resource "aws_mskconnect_connector" "example" {\n  log_delivery {\n'
        "    worker_log_delivery {\n      cloudwatch_logs {\n        enabled   = true\n"
        "        log_group = aws_cloudwatch_log_group.connect.name\n      }\n    }\n  }\n}",
    ),
)
def connector_logs_delivered(c: MskConnector) -> Outcome:
    if c.log_destinations:
        return Pass("worker logs are delivered to " + ", ".join(c.log_destinations))
    return Fail(f"connector {c.display_name} delivers no worker logs")
