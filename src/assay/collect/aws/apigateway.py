"""API Gateway (REST APIs): every deployed stage, with the web ACL the stage reports."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.apigateway import ApiGatewayStage

# IAM authorises every API Gateway read as "apigateway:GET" on the resource path.
GET = "apigateway:GET"
PAGE_SIZE = 500  # the API's maximum: fewer calls, and never the service's implicit default


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
            )
