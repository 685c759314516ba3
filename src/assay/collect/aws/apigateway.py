"""API Gateway (REST APIs): every deployed stage, with the web ACL the stage reports, and every API with its
methods and request validators (one listing of the APIs serves both)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.apigateway import (
    ApiGatewayRestApi,
    ApiGatewayStage,
    MethodSetting,
    RequestValidator,
    RestMethod,
)

# IAM authorises every API Gateway read as "apigateway:GET" on the resource path.
GET = "apigateway:GET"
PAGE_SIZE = 500  # the API's maximum: fewer calls, and never the service's implicit default


def _method_settings(stage: dict[str, Any]) -> dict[str, MethodSetting]:
    return {str(path): MethodSetting(
        logging_level=str(m.get("loggingLevel") or "OFF"), caching_enabled=bool(m.get("cachingEnabled", False)),
        cache_data_encrypted=bool(m.get("cacheDataEncrypted", False)),
    ) for path, m in (stage.get("methodSettings") or {}).items()}


def _methods(resources: list[dict[str, Any]]) -> tuple[RestMethod, ...]:
    return tuple(RestMethod(
        path=str(r.get("path", "")), http_method=str(verb),
        authorization_type=str(m.get("authorizationType") or "NONE"),
        api_key_required=bool(m.get("apiKeyRequired", False)), request_validator_id=m.get("requestValidatorId"),
        request_models=tuple(sorted(str(v) for v in (m.get("requestModels") or {}).values())),
        required_parameters=tuple(sorted(str(k) for k, required in (m.get("requestParameters") or {}).items()
                                         if required)),
    ) for r in resources for verb, m in sorted((r.get("resourceMethods") or {}).items()))


def _rest_api(ctx: Ctx, apigw: Any, api: dict[str, Any], types: list[str]) -> ApiGatewayRestApi:
    """The API with its methods and validators: one GetResources listing and one GetRequestValidators per API."""
    api_id = str(api["id"])
    arn = ctx.arn("apigateway", f"/restapis/{api_id}", account=False)
    resources = list(ctx.paginate(apigw, "get_resources", "items", resource_arn=arn, restApiId=api_id,
                                  embed=["methods"], limit=PAGE_SIZE))
    validators = list(ctx.paginate(apigw, "get_request_validators", "items", resource_arn=arn, restApiId=api_id,
                                   limit=PAGE_SIZE))
    return ApiGatewayRestApi(
        arn=arn, id=api_id, account_id=ctx.account_id, region=ctx.region, name=str(api.get("name") or api_id),
        tags={str(k): str(v) for k, v in (api.get("tags") or {}).items()}, endpoint_types=types,
        resource_policy=str(api.get("policy") or ""),
        methods=None if ctx.failed(GET, arn) else _methods(resources),
        validators=None if ctx.failed(GET, arn) else {
            str(v["id"]): RequestValidator(name=str(v.get("name", "")), body=bool(v.get("validateRequestBody")),
                                           parameters=bool(v.get("validateRequestParameters")))
            for v in validators if v.get("id")},
    )


@collector(service="apigateway", produces=[ApiGatewayStage, ApiGatewayRestApi],
           permissions=[GET],
           absent={GET: ["NotFoundException"]},  # the API was deleted between the calls
           action_names={("apigateway", "GetResources"): GET, ("apigateway", "GetRequestValidators"): GET})
def collect_rest_apis(ctx: Ctx) -> Iterator[ApiGatewayStage | ApiGatewayRestApi]:
    apigw = ctx.client("apigateway")
    for api in ctx.paginate(apigw, "get_rest_apis", "items", limit=PAGE_SIZE):
        api_id, api_name = api["id"], api.get("name", "")
        types = [str(t) for t in (api.get("endpointConfiguration") or {}).get("types") or []]
        yield _rest_api(ctx, apigw, api, types)
        # A failed GetStages hides this API's stages, so it is recorded like a failed listing
        # (no resource ARN): the engine then reports the region's stage controls as ERROR.
        got = ctx.call(apigw, "get_stages", restApiId=api_id)
        if got is None:
            continue
        for stage in got.get("item", []):
            name = stage["stageName"]
            yield ApiGatewayStage(
                arn=ctx.arn("apigateway", f"/restapis/{api_id}/stages/{name}", account=False),
                id=f"{api_id}/{name}", account_id=ctx.account_id, region=ctx.region,
                name=f"{api_name}/{name}", tags={str(k): str(v) for k, v in (stage.get("tags") or {}).items()},
                rest_api_id=api_id, rest_api_name=api_name, stage_name=name, endpoint_types=types,
                deployment_id=stage.get("deploymentId", ""), web_acl_arn=stage.get("webAclArn") or None,
                method_settings=_method_settings(stage),
                access_log_destination=(stage.get("accessLogSettings") or {}).get("destinationArn") or "",
                cache_cluster_enabled=bool(stage.get("cacheClusterEnabled", False)),
                tracing_enabled=bool(stage.get("tracingEnabled", False)),
            )
