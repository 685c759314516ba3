"""Amazon MQ collector against moto's server, and ERROR when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.mq import MqBroker
from tests.helpers import by_name, evaluate, findings_of, scan

CONTROL = "mq.broker_logging_enabled"


def _estate(seed: Any) -> None:
    mq = seed("mq")
    common = {"AutoMinorVersionUpgrade": True, "HostInstanceType": "mq.t3.micro", "PubliclyAccessible": False,
              "Users": [{"Username": "u", "Password": "p" * 12}], "DeploymentMode": "SINGLE_INSTANCE"}
    mq.create_broker(BrokerName="good", EngineType="ACTIVEMQ", EngineVersion="5.17.6",
                     Logs={"General": True, "Audit": True}, **common)
    mq.create_broker(BrokerName="no-audit", EngineType="ACTIVEMQ", EngineVersion="5.17.6",
                     Logs={"General": True, "Audit": False}, **common)
    mq.create_broker(BrokerName="rabbit", EngineType="RABBITMQ", EngineVersion="3.13", Logs={"General": True},
                     **common)


def test_collects_brokers_and_evaluates(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["mq"])
    assert inv.complete
    brokers = {b.name: b for b in inv.of(MqBroker)}
    assert (brokers["good"].engine, brokers["good"].general_logs, brokers["good"].audit_logs) == (
        "ACTIVEMQ", True, True)
    assert (brokers["rabbit"].engine, brokers["rabbit"].audit_logs) == ("RABBITMQ", None)
    assert by_name(evaluate(inv), CONTROL) == {"good": "pass", "no-audit": "fail", "rabbit": "pass"}


@pytest.mark.parametrize("action", ["mq:ListBrokers", "mq:DescribeBroker"])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="ForbiddenException")))
    found = findings_of(evaluate(scan(access, ["mq"])), CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(action in f.message for f in found)
