"""Amazon MQ: brokers and their CloudWatch log settings."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.mq import MqBroker


@collector(service="mq", produces=[MqBroker], permissions=["mq:ListBrokers", "mq:DescribeBroker"])
def collect_brokers(ctx: Ctx) -> Iterator[MqBroker]:
    mq = ctx.client("mq")
    for summary in ctx.paginate(mq, "list_brokers", "BrokerSummaries"):
        broker_id = summary["BrokerId"]
        arn = summary.get("BrokerArn") or ctx.arn("mq", f"broker:{summary.get('BrokerName', '')}:{broker_id}")
        got = ctx.call(mq, "describe_broker", resource_arn=arn, BrokerId=broker_id)
        logs = (got or {}).get("Logs") or {}
        engine = str(summary.get("EngineType") or (got or {}).get("EngineType") or "").upper()
        yield MqBroker(
            arn=arn, id=broker_id, account_id=ctx.account_id, region=ctx.region,
            name=summary.get("BrokerName", ""),
            tags={str(k): str(v) for k, v in ((got or {}).get("Tags") or {}).items()},
            engine=engine, state=summary.get("BrokerState", ""),
            general_logs=None if got is None else bool(logs.get("General", False)),
            audit_logs=None if got is None or engine != "ACTIVEMQ" else bool(logs.get("Audit", False)),
        )
