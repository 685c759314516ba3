"""Amazon MQ: the order-events ActiveMQ broker logs everything; a RabbitMQ test broker logs nothing."""

from __future__ import annotations

from assay.demo.estate import ClientFactory

USER = [{"Username": "northwind", "Password": "demo-only-password-1", "ConsoleAccess": False}]


def seed(client: ClientFactory, regions: list[str]) -> None:
    mq = client("mq", regions[0])
    common = {"AutoMinorVersionUpgrade": True, "HostInstanceType": "mq.t3.micro", "PubliclyAccessible": False,
              "Users": USER, "DeploymentMode": "SINGLE_INSTANCE"}
    mq.create_broker(BrokerName="pass-order-events", EngineType="ACTIVEMQ", EngineVersion="5.17.6",
                     Logs={"General": True, "Audit": True}, **common)
    mq.create_broker(BrokerName="fail-rabbit-test", EngineType="RABBITMQ", EngineVersion="3.13",
                     Logs={"General": False}, **common)
