"""ECS controls: container logging in task definitions."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.ecs import EcsTaskDefinition


@control(
    id="ecs.task_definition_logging",
    title="Every container of an ECS task definition has a log driver",
    severity="medium",
    needs=["ecs:ListTaskDefinitionFamilies", "ecs:DescribeTaskDefinition"],
    rationale="A container without a log configuration writes its output nowhere that outlives the task: when "
    "the task stops, the application's errors and security-relevant events are gone. A log driver (awslogs, "
    "FireLens, splunk...) keeps them for monitoring and investigation (A1.2, CC7.2).",
    remediation=Remediation(
        console="ECS console > Task definitions > the family > Create new revision > each container > Logging: "
        "check 'Use log collection' (Amazon CloudWatch) > Create; then update services to the new revision.",
        cli="# add to every container definition, then register a new revision:\n"
        '#   "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/<family>",\n'
        '#     "awslogs-region": "<region>", "awslogs-stream-prefix": "<container>"}}\n'
        "aws ecs register-task-definition --cli-input-json file://task-definition.json",
        terraform='resource "aws_ecs_task_definition" "api" {\n  container_definitions = jsonencode([{\n'
        '    name = "api"\n    logConfiguration = {\n      logDriver = "awslogs"\n'
        '      options   = { awslogs-group = "/ecs/api", awslogs-region = "eu-west-1", '
        'awslogs-stream-prefix = "api" }\n    }\n  }])\n}',
    ),
)
def task_definition_logging(td: EcsTaskDefinition) -> Outcome:
    if td.containers is None:
        return Error("task definition was not read")
    silent = [c.name for c in td.containers if not c.log_driver]
    if silent:
        return Fail(f"containers without a log driver: {', '.join(silent)}")
    drivers = sorted({c.log_driver for c in td.containers})
    return Pass(f"all {len(td.containers)} containers log ({', '.join(drivers)})")
