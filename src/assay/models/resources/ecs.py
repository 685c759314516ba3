"""ECS resources."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class ContainerLogging(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    log_driver: str = ""  # logConfiguration.logDriver ("" when the container has no log configuration)


class EcsTaskDefinition(Resource):
    """The latest ACTIVE revision of a task definition family."""

    type: ClassVar[str] = "AWS::ECS::TaskDefinition"
    family: str = ""
    revision: int = 0
    containers: tuple[ContainerLogging, ...] | None = None  # None: not read
