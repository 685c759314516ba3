"""MSK Connect collector on botocore's Stubber (moto 5.2 does not emulate kafkaconnect). The recorded
responses follow the AWS API reference shapes of ListConnectors."""

from __future__ import annotations

from typing import Any

from botocore.stub import Stubber

from assay.models.resources.kafkaconnect import MskConnector
from tests.collect.test_accessanalyzer import NOW, stubbed_scan
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of

CONTROLS = ("msk.connector_encrypted_in_transit", "msk.connector_logs_delivered")


def summary(name: str, encryption: str, logs: bool) -> dict[str, Any]:
    return {
        "connectorArn": f"arn:aws:kafkaconnect:us-east-1:{ACCOUNT}:connector/{name}/0a1b",
        "connectorName": name, "connectorState": "RUNNING", "creationTime": NOW, "currentVersion": "1",
        "kafkaConnectVersion": "2.7.1", "serviceExecutionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/connect",
        "kafkaClusterEncryptionInTransit": {"encryptionType": encryption},
        "kafkaClusterClientAuthentication": {"authenticationType": "IAM" if encryption == "TLS" else "NONE"},
        "logDelivery": {"workerLogDelivery": {
            "cloudWatchLogs": {"enabled": logs, "logGroup": "connect-workers"},
            "firehose": {"enabled": False}, "s3": {"enabled": False}}},
    }


def script(pages: list[list[dict[str, Any]]] | None) -> Any:
    def run(stub: Stubber, region: str) -> None:
        if pages is None:
            stub.add_client_error("list_connectors", service_error_code="AccessDeniedException", http_status_code=403)
            return
        for n, page in enumerate(pages):
            body: dict[str, Any] = {"connectors": page}
            if n + 1 < len(pages):
                body["nextToken"] = f"t{n + 1}"
            stub.add_response("list_connectors", body)
    return run


def test_reads_connectors_across_pages() -> None:
    inv = stubbed_scan("kafkaconnect", ["us-east-1"], script([[summary("pass-orders-sink", "TLS", True)],
                                                              [summary("fail-legacy-source", "PLAINTEXT", False)]]))
    assert inv.complete
    connectors = {c.name: c for c in inv.of(MskConnector)}
    good = connectors["pass-orders-sink"]
    assert (good.encryption_in_transit, good.client_authentication, good.log_destinations) == \
        ("TLS", "IAM", ("cloudWatchLogs",))
    ev = evaluate(inv)
    for cid in CONTROLS:
        assert by_name(ev, cid) == {"pass-orders-sink": "pass", "fail-legacy-source": "fail"}, cid


def test_denied_listing_is_error() -> None:
    ev = evaluate(stubbed_scan("kafkaconnect", ["us-east-1"], script(None)))
    for cid in CONTROLS:
        [f] = findings_of(ev, cid)
        assert f.status.value == "error" and "kafkaconnect:ListConnectors" in f.message
