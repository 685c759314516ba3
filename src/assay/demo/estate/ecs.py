"""ECS: the reporting API logs through awslogs; a batch job's sidecar was added without logging."""

from __future__ import annotations

from typing import Any

from assay.demo.estate import ClientFactory


def _container(name: str, logged: bool, region: str) -> dict[str, Any]:
    c: dict[str, Any] = {"name": name, "image": f"public.ecr.aws/northwind/{name}:1.4", "memory": 512}
    if logged:
        c["logConfiguration"] = {"logDriver": "awslogs", "options": {
            "awslogs-group": f"/ecs/{name}", "awslogs-region": region, "awslogs-stream-prefix": name}}
    return c


def seed(client: ClientFactory, regions: list[str]) -> None:
    region = regions[-1]
    ecs = client("ecs", region)
    ecs.register_task_definition(family="pass-reporting-api", containerDefinitions=[
        _container("api", True, region), _container("envoy", True, region)])
    ecs.register_task_definition(family="fail-nightly-batch", containerDefinitions=[
        _container("batch", True, region), _container("metrics-sidecar", False, region)])
