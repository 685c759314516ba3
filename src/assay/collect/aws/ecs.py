"""ECS: the latest active revision of every task definition family, with each container's log driver.

Older revisions stay ACTIVE until deregistered but are rarely run; describing a family returns its
latest ACTIVE revision, which keeps the reads to one per family. Environment variables and secrets
of container definitions are never copied into the inventory.
"""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.ecs import ContainerLogging, EcsTaskDefinition


@collector(service="ecs", produces=[EcsTaskDefinition],
           permissions=["ecs:ListTaskDefinitionFamilies", "ecs:DescribeTaskDefinition"])
def collect_task_definitions(ctx: Ctx) -> Iterator[EcsTaskDefinition]:
    ecs = ctx.client("ecs")
    for family in ctx.paginate(ecs, "list_task_definition_families", "families", status="ACTIVE"):
        guess = ctx.arn("ecs", f"task-definition/{family}")
        got = ctx.call(ecs, "describe_task_definition", resource_arn=guess, taskDefinition=family)
        if got is None:
            yield EcsTaskDefinition(arn=guess, id=family, account_id=ctx.account_id, region=ctx.region,
                                    name=family, family=family)
            continue
        td = got.get("taskDefinition", {})
        containers = tuple(
            ContainerLogging(name=c.get("name", ""), log_driver=(c.get("logConfiguration") or {}).get("logDriver", ""))
            for c in td.get("containerDefinitions", [])
        )
        revision = int(td.get("revision") or 0)
        yield EcsTaskDefinition(
            arn=guess, id=family, account_id=ctx.account_id, region=ctx.region, name=f"{family}:{revision}",
            family=family, revision=revision, containers=containers,
        )
