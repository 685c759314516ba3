"""MSK Connect: every connector, from the ListConnectors summaries (they carry the encryption,
authentication and log delivery settings, so no per-connector call is needed)."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.kafkaconnect import MskConnector


@collector(service="kafkaconnect", produces=[MskConnector], permissions=["kafkaconnect:ListConnectors"])
def collect_connectors(ctx: Ctx) -> Iterator[MskConnector]:
    client = ctx.client("kafkaconnect")
    for c in ctx.paginate(client, "list_connectors", "connectors"):
        name = str(c.get("connectorName", ""))
        delivery = (c.get("logDelivery") or {}).get("workerLogDelivery") or {}
        yield MskConnector(
            arn=str(c.get("connectorArn") or ctx.arn("kafkaconnect", f"connector/{name}")), id=name, name=name,
            account_id=ctx.account_id, region=ctx.region, state=str(c.get("connectorState", "")),
            encryption_in_transit=str((c.get("kafkaClusterEncryptionInTransit") or {}).get("encryptionType")
                                      or "PLAINTEXT"),
            client_authentication=str((c.get("kafkaClusterClientAuthentication") or {}).get("authenticationType")
                                      or "NONE"),
            log_destinations=tuple(sorted(k for k, v in delivery.items() if isinstance(v, dict) and v.get("enabled"))),
        )
