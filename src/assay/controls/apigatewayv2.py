"""API Gateway v2 controls over HTTP and WebSocket APIs: stage access logs, and routes that authorise callers."""

from __future__ import annotations

from assay.controls.messages import names
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.apigatewayv2 import ApiGatewayV2Api, ApiGatewayV2Stage

GET = ["apigateway:GET"]


@control(
    id="apigatewayv2.stage_access_logging_enabled",
    title="HTTP and WebSocket API stages write access logs",
    severity="medium",
    needs=GET,
    rationale="The access log records every request a stage receives: caller, route, status, latency, and for "
    "WebSocket APIs every connection and message. It is the record of what entered the system through the API "
    "(PI1.2) and the trail needed to investigate abuse or an incident (CC7.2, CC7.3).",
    remediation=Remediation(
        console="API Gateway console > APIs > the HTTP or WebSocket API > Monitor > Logging > the stage > Edit > "
        "Access logging: on, destination: a CloudWatch Logs log group ARN, log format: JSON > Save.",
        cli="aws apigatewayv2 update-stage --api-id <api-id> --stage-name <stage> --access-log-settings "
        "DestinationArn=<log-group-arn>,Format='{\"requestId\":\"$context.requestId\",\"ip\":"
        "\"$context.identity.sourceIp\",\"route\":\"$context.routeKey\",\"status\":\"$context.status\"}'",
        terraform='resource "aws_apigatewayv2_stage" "prod" {\n  access_log_settings {\n'
        "    destination_arn = aws_cloudwatch_log_group.api.arn\n"
        '    format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp",\n'
        '                                   route = "$context.routeKey", status = "$context.status" })\n  }\n}',
    ),
)
def stage_access_logging_enabled(stage: ApiGatewayV2Stage) -> Outcome:
    if stage.access_log_destination:
        return Pass(f"access logs go to {stage.access_log_destination.rsplit(':', 1)[-1]}")
    return Fail(f"stage {stage.stage_name} of {stage.protocol} API {stage.api_name} writes no access log")


@control(
    id="apigatewayv2.routes_authorized",
    title="Routes of HTTP and WebSocket APIs require an authorizer or IAM authorization",
    severity="medium",
    needs=GET,
    rationale="A route with authorization NONE invokes its integration for any caller on the internet. JWT, "
    "Lambda or IAM authorization makes every request prove who sends it before the backend runs (CC6.1, "
    "CC6.6). WebSocket APIs authorise once, on $connect, so only that route is judged there; HTTP routes meant "
    "to be public go in public_routes, e.g. \"GET /health\". An API whose default execute-api endpoint is "
    "disabled is still judged, since custom domains reach the same routes.",
    remediation=Remediation(
        console="API Gateway console > APIs > the API > Authorization > the route > Attach authorizer (create a "
        "JWT authorizer for your identity provider, or a Lambda authorizer) > or choose IAM.",
        cli="aws apigatewayv2 create-authorizer --api-id <api-id> --name users --authorizer-type JWT "
        "--identity-source '$request.header.Authorization' "
        "--jwt-configuration Audience=<client-id>,Issuer=<issuer-url>\n"
        "aws apigatewayv2 update-route --api-id <api-id> --route-id <route-id> --authorization-type JWT "
        "--authorizer-id <authorizer-id>",
        terraform='resource "aws_apigatewayv2_route" "orders" {\n  api_id             = aws_apigatewayv2_api.main.id\n'
        '  route_key          = "POST /orders"\n  authorization_type = "JWT"\n'
        "  authorizer_id      = aws_apigatewayv2_authorizer.users.id\n}",
    ),
)
def routes_authorized(api: ApiGatewayV2Api, *, public_routes: list[str] = []) -> Outcome:  # noqa: B006
    """public_routes: route keys ("GET /health") deliberately open to anonymous callers."""
    if api.routes is None:
        return Error("the API's routes could not be read")
    if api.protocol == "WEBSOCKET":
        judged = [r for r in api.routes if r.key == "$connect"]
        if not judged:
            return Skip("the WebSocket API has no $connect route to authorise connections on")
    else:
        judged = [r for r in api.routes if not r.key.upper().startswith("OPTIONS ")]
        if not judged:
            return Skip("the API has no routes")
    allowed = {k.upper() for k in public_routes}
    open_ = [r.key for r in judged if r.authorization_type == "NONE" and r.key.upper() not in allowed]
    if open_:
        return Fail(f"{len(open_)} of {len(judged)} route(s) accept anonymous calls: " + names(open_, sep=", "))
    return Pass(f"all {len(judged)} judged route(s) require authorization")
