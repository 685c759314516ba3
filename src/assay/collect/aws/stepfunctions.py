"""Step Functions: state machines, their execution roles and logging configuration."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.stepfunctions import StateMachine


@collector(service="stepfunctions", produces=[StateMachine],
           permissions=["states:ListStateMachines", "states:DescribeStateMachine"])
def collect_state_machines(ctx: Ctx) -> Iterator[StateMachine]:
    sfn = ctx.client("stepfunctions")
    for summary in ctx.paginate(sfn, "list_state_machines", "stateMachines"):
        arn = summary["stateMachineArn"]
        got = ctx.call(sfn, "describe_state_machine", resource_arn=arn, stateMachineArn=arn)
        logging = (got or {}).get("loggingConfiguration") or {}
        destinations = tuple(
            d["cloudWatchLogsLogGroup"]["logGroupArn"] for d in logging.get("destinations") or []
            if (d.get("cloudWatchLogsLogGroup") or {}).get("logGroupArn")
        )
        yield StateMachine(
            arn=arn, id=summary.get("name", arn.rsplit(":", 1)[-1]), account_id=ctx.account_id, region=ctx.region,
            name=summary.get("name", ""), machine_type=summary.get("type") or (got or {}).get("type", ""),
            status=(got or {}).get("status", ""),
            role_arn=None if got is None else got.get("roleArn", ""),
            log_level=None if got is None else logging.get("level", "OFF"),
            log_destinations=destinations,
        )
