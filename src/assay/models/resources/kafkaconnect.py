"""MSK Connect resources: connectors, as the ListConnectors summaries describe them."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class MskConnector(Resource):
    type: ClassVar[str] = "AWS::KafkaConnect::Connector"
    state: str = ""  # RUNNING, CREATING, UPDATING, DELETING, FAILED
    encryption_in_transit: str = "PLAINTEXT"  # TLS or PLAINTEXT, towards the Kafka cluster
    client_authentication: str = "NONE"  # IAM or NONE
    log_destinations: tuple[str, ...] = ()  # cloudWatchLogs, firehose, s3: worker log deliveries enabled
