"""API Gateway v2 controls: pure functions over HTTP and WebSocket APIs and their stages."""

from __future__ import annotations

from typing import Any

from assay.controls import apigatewayv2
from assay.models.findings import Status
from assay.models.resources.apigatewayv2 import ApiGatewayV2Api, ApiGatewayV2Stage, Route

P, F, S, E = Status.PASS, Status.FAIL, Status.SKIP, Status.ERROR
LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:api-access"


def stage(**over: Any) -> ApiGatewayV2Stage:
    base: dict[str, Any] = dict(arn="arn:aws:apigateway:us-east-1::/apis/a1/stages/prod", id="a1/prod",
                                name="orders/prod", account_id="123456789012", region="us-east-1", api_id="a1",
                                api_name="orders", stage_name="prod", access_log_destination=LOGS)
    return ApiGatewayV2Stage(**{**base, **over})


def api(*routes: Route | None, protocol: str = "HTTP") -> ApiGatewayV2Api:
    return ApiGatewayV2Api(arn="arn:aws:apigateway:us-east-1::/apis/a1", id="a1", name="orders",
                           account_id="123456789012", region="us-east-1", protocol=protocol,
                           routes=None if routes == (None,) else tuple(r for r in routes if r is not None))


def test_stage_access_logging_enabled() -> None:
    assert apigatewayv2.stage_access_logging_enabled(stage()) == (P, "access logs go to api-access")
    assert apigatewayv2.stage_access_logging_enabled(stage(access_log_destination="")) == \
        (F, "stage prod of HTTP API orders writes no access log")


def test_routes_authorized() -> None:
    f = apigatewayv2.routes_authorized
    secured = api(Route(key="GET /orders", authorization_type="JWT"), Route(key="POST /orders",
                                                                             authorization_type="AWS_IAM"),
                  Route(key="OPTIONS /orders"))
    assert f(secured) == (P, "all 2 judged route(s) require authorization")
    mixed = api(Route(key="GET /orders", authorization_type="CUSTOM"), Route(key="GET /health"),
                Route(key="$default", api_key_required=True))
    assert f(mixed) == (F, "2 of 3 route(s) accept anonymous calls: GET /health, $default")
    assert f(mixed, public_routes=["get /health", "$default"]).status is P
    assert f(api()).status is S
    assert f(api(None)).status is E


def test_websocket_apis_authorise_on_connect() -> None:
    f = apigatewayv2.routes_authorized
    guarded = api(Route(key="$connect", authorization_type="CUSTOM"), Route(key="sendMessage"),
                  protocol="WEBSOCKET")
    assert f(guarded).status is P  # messages ride on an authorised connection
    assert f(api(Route(key="$connect"), Route(key="$default"), protocol="WEBSOCKET")) == \
        (F, "1 of 1 route(s) accept anonymous calls: $connect")
    assert f(api(Route(key="sendMessage"), protocol="WEBSOCKET")).status is S
