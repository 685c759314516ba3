"""API Gateway v2 (HTTP and WebSocket APIs): every API with its routes, and every stage.

IAM authorises API Gateway reads of both generations as "apigateway:GET" on the resource path, so both are
one service to Assay: collected in the same shard, and denied or granted together.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import Resource
from assay.models.resources.apigatewayv2 import ApiGatewayV2Api, ApiGatewayV2Stage, Route

GET = "apigateway:GET"
PAGE_SIZE = "500"  # v2 list calls take MaxResults as a string


@collector(service="apigateway", produces=[ApiGatewayV2Api, ApiGatewayV2Stage], permissions=[GET],
           absent={GET: ["NotFoundException"]},  # the API was deleted between the calls
           action_names={("apigatewayv2", op): GET for op in ("GetApis", "GetRoutes", "GetStages")})
def collect_apis(ctx: Ctx) -> Iterator[Resource]:
    client = ctx.client("apigatewayv2")
    for api in ctx.paginate(client, "get_apis", "Items", MaxResults=PAGE_SIZE):
        api_id, name = str(api["ApiId"]), str(api.get("Name") or api["ApiId"])
        protocol = str(api.get("ProtocolType") or "HTTP")
        arn = ctx.arn("apigateway", f"/apis/{api_id}", account=False)
        routes = list(ctx.paginate(client, "get_routes", "Items", resource_arn=arn, ApiId=api_id,
                                   MaxResults=PAGE_SIZE))
        yield ApiGatewayV2Api(
            arn=arn, id=api_id, account_id=ctx.account_id, region=ctx.region, name=name, tags=_tags(api),
            protocol=protocol, execute_api_endpoint_disabled=bool(api.get("DisableExecuteApiEndpoint")),
            routes=None if ctx.failed(GET, arn) else tuple(
                Route(key=str(r.get("RouteKey", "")), authorization_type=str(r.get("AuthorizationType") or "NONE"),
                      api_key_required=bool(r.get("ApiKeyRequired"))) for r in routes),
        )
        # A failed GetStages hides this API's stages: recorded like a failed listing, so the region's stage
        # controls report ERROR rather than judging the stages that were read.
        for stage in ctx.paginate(client, "get_stages", "Items", ApiId=api_id, MaxResults=PAGE_SIZE):
            stage_name = str(stage["StageName"])
            yield ApiGatewayV2Stage(
                arn=ctx.arn("apigateway", f"/apis/{api_id}/stages/{stage_name}", account=False),
                id=f"{api_id}/{stage_name}", account_id=ctx.account_id, region=ctx.region,
                name=f"{name}/{stage_name}", tags=_tags(stage), api_id=api_id, api_name=name, protocol=protocol,
                stage_name=stage_name,
                access_log_destination=str((stage.get("AccessLogSettings") or {}).get("DestinationArn") or ""),
                auto_deploy=bool(stage.get("AutoDeploy")),
            )


def _tags(item: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in (item.get("Tags") or {}).items()}
