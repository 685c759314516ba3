"""ECS collector against moto's server, and ERROR when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.ecs import ContainerLogging, EcsTaskDefinition
from tests.helpers import by_name, evaluate, findings_of, scan

CONTROL = "ecs.task_definition_logging"
LOGGED = {"logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/x"}}}


def _estate(seed: Any) -> None:
    ecs = seed("ecs")
    ecs.register_task_definition(family="good", containerDefinitions=[
        {"name": "api", "image": "api:1", "memory": 256, **LOGGED}])
    # an old revision without logging, superseded by a logged one: only the latest is judged
    ecs.register_task_definition(family="good", containerDefinitions=[
        {"name": "api", "image": "api:2", "memory": 256, **LOGGED,
         "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}]}])
    ecs.register_task_definition(family="bad", containerDefinitions=[
        {"name": "api", "image": "api:1", "memory": 256, **LOGGED},
        {"name": "sidecar", "image": "side:1", "memory": 64}])


def test_collects_latest_revisions_and_evaluates(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["ecs"])
    assert inv.complete
    tds = {t.family: t for t in inv.of(EcsTaskDefinition)}
    assert (tds["good"].revision, tds["good"].name) == (2, "good:2")
    assert tds["bad"].containers == (ContainerLogging(name="api", log_driver="awslogs"),
                                     ContainerLogging(name="sidecar", log_driver=""))
    assert "hunter2" not in inv.of(EcsTaskDefinition)[0].model_dump_json() + tds["good"].model_dump_json()
    assert by_name(evaluate(inv), CONTROL) == {"good:2": "pass", "bad:1": "fail"}


@pytest.mark.parametrize("action", ["ecs:ListTaskDefinitionFamilies", "ecs:DescribeTaskDefinition"])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    found = findings_of(evaluate(scan(access, ["ecs"])), CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(action in f.message for f in found)
