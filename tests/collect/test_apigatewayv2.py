"""API Gateway v2 collector against moto's server (seeded with the demo's APIs), and ERROR, never PASS or
FAIL, when a read is denied: for the region when a listing is, for the one API when its routes are."""

from __future__ import annotations

from typing import Any

from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import apigatewayv2 as estate
from assay.faults import deny, error_response
from assay.models.resources.apigatewayv2 import ApiGatewayV2Api, ApiGatewayV2Stage
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1"]
CONTROLS = sorted(cid for cid in load_controls() if cid.startswith("apigatewayv2."))


def test_reads_apis_routes_and_stages(access: AwsAccess, seed: Any) -> None:
    estate.seed(seed, REGIONS)
    inv = scan(access, ["apigateway"], regions=REGIONS)
    assert inv.complete
    apis = {a.name: a for a in inv.of(ApiGatewayV2Api)}
    store = apis["pass-storefront-api"]
    assert store.arn == f"arn:aws:apigateway:us-east-1::/apis/{store.id}"
    assert store.routes is not None and {(r.key, r.authorization_type) for r in store.routes} == {
        ("GET /cart", "JWT"), ("POST /checkout", "JWT")}
    assert apis["fail-live-chat"].protocol == "WEBSOCKET"
    stages = {s.name: s for s in inv.of(ApiGatewayV2Stage)}
    assert stages["pass-storefront-api/pass-prod"].access_log_destination.endswith(":storefront-api-access")
    assert stages["fail-webhooks-api/fail-default"].access_log_destination == ""
    ev = evaluate(inv)
    assert by_name(ev, "apigatewayv2.routes_authorized") == {
        "pass-storefront-api": "pass", "fail-webhooks-api": "fail", "fail-live-chat": "fail"}
    assert by_name(ev, "apigatewayv2.stage_access_logging_enabled") == {
        "pass-storefront-api/pass-prod": "pass", "fail-webhooks-api/fail-default": "fail"}


def test_denied_listing_is_error(access: AwsAccess, seed: Any) -> None:
    estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({"apigateway:GET"}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["apigateway"], regions=REGIONS))
    for cid in CONTROLS:
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, cid
        assert all("apigateway:GET" in f.message for f in found)


def test_one_api_routes_unreadable_is_error_for_that_api_only(access: AwsAccess, seed: Any) -> None:
    estate.seed(seed, REGIONS)
    hooks = next(a["ApiId"] for a in seed("apigatewayv2").get_apis()["Items"] if a["Name"] == "fail-webhooks-api")

    def routes_denied(model: Any, params: dict[str, Any], **_: Any) -> Any:
        if model.name == "GetRoutes" and f"/apis/{hooks}/" in params.get("url_path", ""):
            return error_response("AccessDeniedException", "User is not authorized to perform: apigateway:GET")
        return None

    access.hooks.append(("before-call", routes_denied))
    ev = evaluate(scan(access, ["apigateway"], regions=REGIONS))
    assert by_name(ev, "apigatewayv2.routes_authorized") == {
        "pass-storefront-api": "pass", "fail-webhooks-api": "error", "fail-live-chat": "fail"}
    assert set(by_name(ev, "apigatewayv2.stage_access_logging_enabled").values()) == {"pass", "fail"}
