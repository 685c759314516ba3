"""Amazon MQ controls: broker logging."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.mq import MqBroker


@control(
    id="mq.broker_logging_enabled",
    title="Amazon MQ brokers send general (and, for ActiveMQ, audit) logs to CloudWatch",
    severity="low",
    needs=["mq:ListBrokers", "mq:DescribeBroker"],
    rationale="Broker logs show connection failures, configuration problems and, for ActiveMQ, the audit trail of "
    "management actions taken through JMX or the web console. Without them message-flow outages and "
    "administrative changes to a broker cannot be investigated (A1.2, CC7.2).",
    remediation=Remediation(
        console="Amazon MQ console > Brokers > the broker > Edit > CloudWatch Logs: check 'General' (and 'Audit' "
        "for ActiveMQ) > Schedule modifications (applied at the next maintenance window or immediately).",
        cli="aws mq update-broker --broker-id <broker-id> --logs General=true,Audit=true\n"
        "aws mq reboot-broker --broker-id <broker-id>  # to apply now",
        terraform='resource "aws_mq_broker" "events" {\n  logs {\n    general = true\n'
        '    audit   = true # ActiveMQ only\n  }\n}',
    ),
)
def broker_logging_enabled(broker: MqBroker) -> Outcome:
    if broker.general_logs is None:
        return Error("broker log settings were not read")
    missing = [] if broker.general_logs else ["general"]
    if broker.engine == "ACTIVEMQ" and not broker.audit_logs:
        missing.append("audit")
    if missing:
        return Fail(f"{broker.engine or 'broker'} does not publish {' and '.join(missing)} logs")
    kinds = "general and audit" if broker.engine == "ACTIVEMQ" else "general"
    return Pass(f"broker publishes {kinds} logs to CloudWatch")
