"""ECS controls: pure functions over EcsTaskDefinition."""

from __future__ import annotations

from typing import Any

from assay.controls import ecs
from assay.models.findings import Status
from assay.models.resources.ecs import ContainerLogging, EcsTaskDefinition


def td(**over: Any) -> EcsTaskDefinition:
    base: dict[str, Any] = dict(arn="arn:aws:ecs:us-east-1:123456789012:task-definition/api", id="api",
                                account_id="123456789012", region="us-east-1", family="api", revision=3,
                                containers=(ContainerLogging(name="api", log_driver="awslogs"),
                                            ContainerLogging(name="router", log_driver="awsfirelens")))
    return EcsTaskDefinition(**{**base, **over})


def test_task_definition_logging() -> None:
    out = ecs.task_definition_logging(td())
    assert out.status is Status.PASS and "awsfirelens, awslogs" in out.message
    out = ecs.task_definition_logging(td(containers=(ContainerLogging(name="api", log_driver="awslogs"),
                                                     ContainerLogging(name="sidecar"))))
    assert out.status is Status.FAIL and out.message == "containers without a log driver: sidecar"
    assert ecs.task_definition_logging(td(containers=None)).status is Status.ERROR
    # no not-applicable case: every task definition has at least one container
