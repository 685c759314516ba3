"""API Gateway (REST APIs): every deployed stage, with the web ACL the stage reports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.apigateway import ApiGatewayStage, MethodSetting

# IAM authorises every API Gateway read as "apigateway:GET" on the resource path.
GET = "apigateway:GET"
PAGE_SIZE = 500  # the API's maximum: fewer calls, and never the service's implicit default


def _method_settings(stage: dict[str, Any]) -> dict[str, MethodSetting]:
    return {str(path): MethodSetting(
        logging_level=str(m.get("loggingLevel") or "OFF"), caching_enabled=bool(m.get("cachingEnabled", False)),
        cache_data_encrypted=bool(m.get("cacheDataEncrypted", False)),
    ) for path, m in (stage.get("methodSettings") or {}).items()}


@collector(service="apigateway", produces=[ApiGatewayStage],
           permissions=[GET],
           absent={GET: ["NotFoundException"]})  # the API was deleted between the two calls
def collect_stages(ctx: Ctx) -> Iterator[ApiGatewayStage]:
    apigw = ctx.client("apigateway")
    for api in ctx.paginate(apigw, "get_rest_apis", "items", limit=PAGE_SIZE):
        api_id, api_name = api["id"], api.get("name", "")
        # A failed GetStages hides this API's stages, so it is recorded like a failed listing
        # (no resource ARN): the engine then reports the region's stage controls as ERROR.
        got = ctx.call(apigw, "get_stages", restApiId=api_id)
        if got is None:
            continue
        types = [str(t) for t in (api.get("endpointConfiguration") or {}).get("types") or []]
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
