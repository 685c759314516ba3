"""API Gateway resources (REST APIs, v1)."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class ApiGatewayStage(Resource):
    """A deployed stage of a REST API; its ARN is arn:<partition>:apigateway:<region>::/restapis/<id>/stages/<name>."""

    type: ClassVar[str] = "AWS::ApiGateway::Stage"
    rest_api_id: str
    rest_api_name: str = ""
    stage_name: str
    endpoint_types: list[str] = []  # of the API: EDGE, REGIONAL or PRIVATE
    deployment_id: str = ""
    web_acl_arn: str | None = None  # the stage's own webAclArn; None: AWS reports no association

    @property
    def private(self) -> bool:
        return "PRIVATE" in self.endpoint_types
