"""CloudWatch Logs control on disposal: log events expire instead of being kept forever."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Fail, Outcome, Pass
from assay.models.resources.logs import LogGroup


@control(
    id="logs.log_group_events_expire",
    title="CloudWatch Logs log groups delete events after a retention period",
    severity="low",
    needs=["logs:DescribeLogGroups"],
    rationale="Application and access logs collect request payloads, identifiers, IP addresses and personal "
    "data. A group set to never expire keeps all of it indefinitely, whatever the retention schedule says; a "
    "retention setting is how the schedule is applied to logs, and events past it are deleted by the service "
    "(C1.2, P4.2, P4.3). It complements logs.log_group_retention_meets_minimum: a group kept for 400 days passes "
    "both. Set max_days to the longest retention the schedule allows.",
    remediation=Remediation(
        console="CloudWatch console > Logs > Log groups > the group > Actions > Edit retention setting > choose "
        "the period the retention schedule sets (e.g. 1 year) instead of Never expire > Save.",
        cli="aws logs put-retention-policy --log-group-name <group> --retention-in-days 400",
        terraform='resource "aws_cloudwatch_log_group" "app" {\n  name              = "app"\n'
        "  retention_in_days = 400\n}",
    ),
)
def log_group_events_expire(group: LogGroup, *, max_days: int | None = None) -> Outcome:
    """max_days: the longest retention allowed; None accepts any retention that ends."""
    if group.retention_in_days is None:
        return Fail(f"log group {group.display_name} keeps events forever (Never expire)")
    if max_days is not None and group.retention_in_days > max_days:
        return Fail(f"events are kept {group.retention_in_days} days, longer than the {max_days}-day maximum")
    return Pass(f"events are deleted after {group.retention_in_days} days")
