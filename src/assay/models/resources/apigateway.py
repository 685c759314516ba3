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


class RestMethod(BaseModel):
    """One method of a REST API resource, as GetResources (embed=methods) describes it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str  # the resource path, e.g. /orders/{id}
    http_method: str  # GET, POST, ..., ANY
    authorization_type: str = "NONE"  # NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS
    api_key_required: bool = False
    request_validator_id: str | None = None
    request_models: tuple[str, ...] = ()  # model names, one per content type
    required_parameters: tuple[str, ...] = ()  # e.g. method.request.querystring.page

    @property
    def label(self) -> str:
        return f"{self.http_method} {self.path}"


class RequestValidator(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    body: bool = False  # validateRequestBody
    parameters: bool = False  # validateRequestParameters


class ApiGatewayRestApi(Resource):
    """A REST API with its methods; its ARN is arn:<partition>:apigateway:<region>::/restapis/<id>."""

    type: ClassVar[str] = "AWS::ApiGateway::RestApi"
    endpoint_types: list[str] = []  # EDGE, REGIONAL or PRIVATE
    methods: tuple[RestMethod, ...] | None = None  # None: the resources could not be read
    validators: dict[str, RequestValidator] | None = None  # by id; None: not read
    # The resource policy as GetRestApis returns it (AWS escapes its quotes and slashes); "" when the API has
    # none; None only in snapshots older than this field.
    resource_policy: str | None = None

    @property
    def private(self) -> bool:
        return "PRIVATE" in self.endpoint_types
