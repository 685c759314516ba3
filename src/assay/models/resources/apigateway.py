"""API Gateway resources (REST APIs, v1)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource

ALL_METHODS = "*/*"  # the methodSettings key of the stage-wide defaults


class MethodSetting(BaseModel):
    """A stage's settings for one method path ("*/*" for every method, or "<resource path>/<VERB>")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    logging_level: str = "OFF"  # OFF, ERROR or INFO
    caching_enabled: bool = False
    cache_data_encrypted: bool = False


class ApiGatewayStage(Resource):
    """A deployed stage of a REST API; its ARN is arn:<partition>:apigateway:<region>::/restapis/<id>/stages/<name>."""

    type: ClassVar[str] = "AWS::ApiGateway::Stage"
    rest_api_id: str
    rest_api_name: str = ""
    stage_name: str
    endpoint_types: list[str] = []  # of the API: EDGE, REGIONAL or PRIVATE
    deployment_id: str = ""
    web_acl_arn: str | None = None  # the stage's own webAclArn; None: AWS reports no association
    # The rest comes with the stage from GetStages; None only in snapshots older than these fields.
    method_settings: dict[str, MethodSetting] | None = None
    access_log_destination: str | None = None  # "" when access logging is off
    cache_cluster_enabled: bool | None = None
    tracing_enabled: bool | None = None

    @property
    def private(self) -> bool:
        return "PRIVATE" in self.endpoint_types
