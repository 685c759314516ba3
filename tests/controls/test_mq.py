"""Amazon MQ controls: pure functions over MqBroker."""

from __future__ import annotations

from typing import Any

from assay.controls import mq
from assay.models.findings import Status
from assay.models.resources.mq import MqBroker


def broker(**over: Any) -> MqBroker:
    base: dict[str, Any] = dict(arn="arn:aws:mq:us-east-1:123456789012:broker:b:b-1", id="b-1",
                                account_id="123456789012", region="us-east-1", engine="ACTIVEMQ",
                                general_logs=True, audit_logs=True)
    return MqBroker(**{**base, **over})


def test_broker_logging_enabled() -> None:
    assert mq.broker_logging_enabled(broker()).status is Status.PASS
    assert mq.broker_logging_enabled(broker(engine="RABBITMQ", audit_logs=None)).status is Status.PASS
    out = mq.broker_logging_enabled(broker(audit_logs=False))
    assert out.status is Status.FAIL and out.message == "ACTIVEMQ does not publish audit logs"
    out = mq.broker_logging_enabled(broker(engine="RABBITMQ", general_logs=False, audit_logs=None))
    assert out.status is Status.FAIL and "general" in out.message
    assert mq.broker_logging_enabled(broker(general_logs=None)).status is Status.ERROR
    # no not-applicable case: every broker engine can publish general logs
