"""API Gateway v2 resources: HTTP and WebSocket APIs with their routes, and their stages."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class Route(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str  # "GET /orders", "$default", "$connect", ...
    authorization_type: str = "NONE"  # NONE, AWS_IAM, CUSTOM or JWT
    api_key_required: bool = False


class ApiGatewayV2Api(Resource):
    """An HTTP or WebSocket API; its ARN is arn:<partition>:apigateway:<region>::/apis/<id>."""

    type: ClassVar[str] = "AWS::ApiGatewayV2::Api"
    protocol: str = "HTTP"  # HTTP or WEBSOCKET
    execute_api_endpoint_disabled: bool = False
    routes: tuple[Route, ...] | None = None  # None: the routes could not be read


class ApiGatewayV2Stage(Resource):
    """A stage of an HTTP or WebSocket API; ARN arn:<partition>:apigateway:<region>::/apis/<id>/stages/<name>."""

    type: ClassVar[str] = "AWS::ApiGatewayV2::Stage"
    api_id: str
    api_name: str = ""
    protocol: str = "HTTP"
    stage_name: str
    access_log_destination: str = ""  # "" when access logging is off
    auto_deploy: bool = False
