"""API Gateway controls: pure functions over ApiGatewayStage, with web ACLs from a hand-built Inventory."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from assay.controls import apigateway, apigateway_methods
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, CollectionError, ErrorKind, Inventory, ScanMeta
from assay.models.resources.apigateway import (
    ApiGatewayRestApi,
    ApiGatewayStage,
    MethodSetting,
    RequestValidator,
    RestMethod,
)
from assay.models.resources.wafv2 import WebAcl

ACCOUNT = "123456789012"
STAGE_ARN = "arn:aws:apigateway:us-east-1::/restapis/a1/stages/prod"
ACL_ARN = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/api-acl/1"


def inventory(resources: list[Resource], errors: list[CollectionError] | None = None) -> Inventory:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], resources, errors or [])


def stage(**over: Any) -> ApiGatewayStage:
    base: dict[str, Any] = dict(arn=STAGE_ARN, id="a1/prod", account_id=ACCOUNT, region="us-east-1",
                                name="orders/prod", rest_api_id="a1", rest_api_name="orders", stage_name="prod",
                                endpoint_types=["REGIONAL"])
    return ApiGatewayStage(**{**base, **over})


def acl(**over: Any) -> WebAcl:
    base: dict[str, Any] = dict(arn=ACL_ARN, id="1", account_id=ACCOUNT, region="us-east-1", name="api-acl",
                                load_balancer_arns=[], api_gateway_stage_arns=[])
    return WebAcl(**{**base, **over})


def verdict(s: ApiGatewayStage, *resources: Resource, errors: list[CollectionError] | None = None) -> Any:
    return apigateway.stage_has_waf(s, inventory([s, *resources], errors))


def test_stage_reporting_its_web_acl_passes() -> None:
    outcome = verdict(stage(web_acl_arn=ACL_ARN), acl())
    assert outcome.status is Status.PASS
    assert outcome.message == "stage is associated with web ACL api-acl"
    # named by ARN when the web ACL itself was not collected (e.g. a WAF Classic ACL)
    assert ACL_ARN in verdict(stage(web_acl_arn=ACL_ARN)).message


def test_stage_listed_by_a_web_acl_passes() -> None:
    outcome = verdict(stage(), acl(api_gateway_stage_arns=[STAGE_ARN]))
    assert outcome.status is Status.PASS
    assert "api-acl" in outcome.message


def test_stage_without_web_acl_fails() -> None:
    outcome = verdict(stage(), acl(load_balancer_arns=[STAGE_ARN]))
    assert outcome.status is Status.FAIL
    assert outcome.message == "stage prod of API orders has no AWS WAF web ACL"
    assert verdict(stage()).status is Status.FAIL
    assert verdict(stage(endpoint_types=["EDGE"]), acl(region="eu-west-1", api_gateway_stage_arns=[STAGE_ARN])) \
        .status is Status.FAIL


def test_private_api_stage_skips() -> None:
    outcome = verdict(stage(endpoint_types=["PRIVATE"]))
    assert outcome.status is Status.SKIP
    assert "private" in outcome.message


def test_unlisted_associations_are_error_not_fail() -> None:
    denied = CollectionError(account_id=ACCOUNT, region="us-east-1", service="wafv2",
                             operation="wafv2:ListResourcesForWebACL", code="AccessDenied", kind=ErrorKind.DENIED,
                             message="no", resource_arn=ACL_ARN)
    outcome = verdict(stage(), acl(api_gateway_stage_arns=None), errors=[denied])
    assert outcome.status is Status.ERROR
    assert "grant wafv2:ListResourcesForWebACL" in outcome.message


# -- logging, tracing and cache encryption of a stage ---------------------------------------------


def configured(**over: Any) -> ApiGatewayStage:
    """A stage with every setting read: nothing logged, traced or cached, unless overridden."""
    base: dict[str, Any] = dict(method_settings={}, access_log_destination="", cache_cluster_enabled=False,
                                tracing_enabled=False)
    return stage(**{**base, **over})


def test_execution_logging() -> None:
    on = configured(method_settings={"*/*": MethodSetting(logging_level="INFO")})
    assert apigateway.stage_execution_logging_enabled(on) == (Status.PASS, "execution logging level is INFO")
    assert apigateway.stage_execution_logging_enabled(configured()) == (
        Status.FAIL, "execution logging is OFF for the stage's methods")
    override = configured(method_settings={"*/*": MethodSetting(logging_level="ERROR"),
                                           "/health/GET": MethodSetting(logging_level="OFF")})
    assert apigateway.stage_execution_logging_enabled(override) == (
        Status.FAIL, "execution logging is ERROR for the stage but OFF for /health/GET")
    assert apigateway.stage_execution_logging_enabled(stage()).status is Status.ERROR


def test_access_logging() -> None:
    group = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:api-access"
    assert apigateway.stage_access_logging_enabled(configured(access_log_destination=group)) == (
        Status.PASS, f"access logs go to {group}")
    assert apigateway.stage_access_logging_enabled(configured()) == (Status.FAIL, "access logging is off")
    assert apigateway.stage_access_logging_enabled(stage()).status is Status.ERROR


def test_cache_encryption() -> None:
    encrypted = MethodSetting(caching_enabled=True, cache_data_encrypted=True)
    plain = MethodSetting(caching_enabled=True)
    ok = configured(cache_cluster_enabled=True, method_settings={"*/*": encrypted})
    assert apigateway.stage_cache_encrypted(ok) == (Status.PASS, "cached responses are encrypted for */*")
    bad = configured(cache_cluster_enabled=True, method_settings={"*/*": encrypted, "/users/GET": plain})
    assert apigateway.stage_cache_encrypted(bad) == (
        Status.FAIL, "cached responses are stored unencrypted for /users/GET")
    assert apigateway.stage_cache_encrypted(configured()) == (Status.SKIP, "the stage has no cache cluster")
    idle = configured(cache_cluster_enabled=True, method_settings={"*/*": MethodSetting()})
    assert apigateway.stage_cache_encrypted(idle).status is Status.SKIP
    assert apigateway.stage_cache_encrypted(stage()).status is Status.ERROR


def test_tracing() -> None:
    assert apigateway.stage_tracing_enabled(configured(tracing_enabled=True)).status is Status.PASS
    assert apigateway.stage_tracing_enabled(configured()) == (Status.FAIL, "X-Ray tracing is disabled")
    assert apigateway.stage_tracing_enabled(stage()).status is Status.ERROR


# -- REST API methods (assay.controls.apigateway_methods) --------------------------------------------

def method(verb: str, path: str = "/orders", **over: Any) -> RestMethod:
    return RestMethod(path=path, http_method=verb, **over)


def rest_api(*methods: RestMethod, validators: dict[str, RequestValidator] | None = None,
             types: tuple[str, ...] = ("REGIONAL",)) -> ApiGatewayRestApi:
    return ApiGatewayRestApi(arn="arn:aws:apigateway:us-east-1::/restapis/a1", id="a1", name="orders",
                             account_id="123456789012", region="us-east-1", endpoint_types=list(types),
                             methods=methods, validators={} if validators is None else validators)


def test_rest_api_methods_authorized() -> None:
    f = apigateway_methods.rest_api_methods_authorized
    secured = rest_api(method("GET", authorization_type="AWS_IAM"), method("POST", authorization_type="CUSTOM"),
                       method("OPTIONS"))  # CORS preflight stays anonymous
    assert f(secured) == (Status.PASS, "all 2 method(s) require authorization")
    open_api = rest_api(method("GET", authorization_type="COGNITO_USER_POOLS"), method("GET", "/health"),
                        method("DELETE", api_key_required=True))
    assert f(open_api) == (Status.FAIL, "2 of 3 method(s) accept anonymous calls: GET /health, DELETE /orders")
    assert f(open_api, public_methods=["GET /health", "delete /orders"]).status is Status.PASS
    assert f(rest_api(method("GET"), types=("PRIVATE",))).status is Status.SKIP
    assert f(rest_api(method("OPTIONS"))).status is Status.SKIP
    assert f(rest_api().model_copy(update={"methods": None})).status is Status.ERROR


BOTH = {"v1": RequestValidator(name="all", body=True, parameters=True)}


def test_rest_api_requests_validated() -> None:
    f = apigateway_methods.rest_api_requests_validated
    good = rest_api(method("POST", request_models=("Order",), request_validator_id="v1"),
                    method("GET", "/orders/{id}", required_parameters=("method.request.path.id",),
                           request_validator_id="v1"),
                    method("GET", "/"), validators=BOTH)
    assert f(good) == (Status.PASS, "all 2 method(s) taking input validate requests against their declaration")
    params_only = {"v2": RequestValidator(name="params", parameters=True)}
    bad = rest_api(method("POST", request_validator_id="v2", request_models=("Order",)),
                   method("PUT", request_validator_id="v1"),
                   method("PATCH", request_models=("Order",)),
                   method("GET", required_parameters=("method.request.querystring.page",), request_validator_id="v9"),
                   validators={**BOTH, **params_only})
    out = f(bad)
    assert out.status is Status.FAIL and out.message.startswith("4 of 4 method(s) taking input are not validated")
    for why in ("POST /orders: validator params does not check the body", "PUT /orders: no request model",
                "PATCH /orders: no request validator", "GET /orders: no request validator"):
        assert why in out.message
    assert f(rest_api(method("GET"), method("OPTIONS"))).status is Status.SKIP
    assert f(good.model_copy(update={"validators": None})).status is Status.ERROR


# -- who can reach a REST API (assay.controls.apigateway) --------------------------------------------

INVOKE = {"Action": "execute-api:Invoke", "Resource": "execute-api:/*"}
ALLOW_ALL = {"Sid": "Everyone", "Effect": "Allow", "Principal": "*", **INVOKE}


def with_policy(*statements: dict[str, Any], types: tuple[str, ...] = ("REGIONAL",), escaped: bool = False,
                raw: str | None = None) -> ApiGatewayRestApi:
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)}) if statements else ""
    if escaped:  # how AWS returns it: the document escaped as the inside of a JSON string
        text = json.dumps(text)[1:-1].replace("/", "\\/")
    return rest_api(types=types).model_copy(update={"resource_policy": text if raw is None else raw})


def deny_unless(operator: str, key: str, value: Any, **over: Any) -> dict[str, Any]:
    return {"Sid": "OnlyFromOffice", "Effect": "Deny", "Principal": "*", **INVOKE,
            "Condition": {operator: {key: value}}, **over}


def test_rest_api_private_or_restricted() -> None:
    f = apigateway.rest_api_private_or_restricted
    assert f(with_policy(types=("PRIVATE",))) == (Status.PASS, "private API: reachable only through interface VPC "
                                                                "endpoints")
    assert f(with_policy()) == (Status.FAIL, "REGIONAL endpoint and no resource policy: API orders accepts calls "
                                             "from any network")
    office = deny_unless("NotIpAddress", "aws:SourceIp", ["203.0.113.0/24"])
    assert f(with_policy(ALLOW_ALL, office)) == (
        Status.PASS, "REGIONAL endpoint; the resource policy denies calls from outside the named networks "
                     "(OnlyFromOffice)")
    assert f(with_policy(ALLOW_ALL, office, escaped=True)).status is Status.PASS  # AWS's escaped form
    open_ = f(with_policy(ALLOW_ALL))
    assert open_ == (Status.FAIL, "REGIONAL endpoint and the resource policy does not limit callers by source IP, "
                                  "VPC or VPC endpoint (Everyone admit any caller)")
    assert f(with_policy(ALLOW_ALL), allowed_public_apis=["ord*"]) == (
        Status.PASS, "REGIONAL endpoint, public by design (allowed_public_apis: ord*)")
    assert f(with_policy(), allowed_public_apis=["a1"]).status is Status.PASS  # by id
    assert f(with_policy().model_copy(update={"resource_policy": None})).status is Status.ERROR
    assert f(with_policy(raw="{not json")).status is Status.ERROR


def test_allow_statements_must_all_name_sources_or_principals() -> None:
    f = apigateway.rest_api_private_or_restricted
    from_vpce = {**ALLOW_ALL, "Sid": "Vpce", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b"}}}
    assert f(with_policy(from_vpce)).message.endswith("allows calls only from named networks or principals")
    partner = {**ALLOW_ALL, "Sid": "Partner", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}}
    assert f(with_policy(partner)).status is Status.PASS  # anonymous callers match no named principal
    assert f(with_policy(from_vpce, ALLOW_ALL)).status is Status.FAIL  # one open Allow opens the API
    # IfExists also admits calls without the key (from the internet); so does an all-addresses range
    if_exists = {**ALLOW_ALL, "Condition": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b"}}}
    assert f(with_policy(if_exists)).status is Status.FAIL
    anywhere = {**ALLOW_ALL, "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "0.0.0.0/0"]}}}
    assert f(with_policy(anywhere)).status is Status.FAIL
    other_key = {**ALLOW_ALL, "Condition": {"Bool": {"aws:SecureTransport": "true"}}}
    assert f(with_policy(other_key)).status is Status.FAIL
    not_principal = {**ALLOW_ALL, "NotPrincipal": {"AWS": "arn:aws:iam::444455556666:root"}}
    del not_principal["Principal"]
    assert f(with_policy(not_principal)).status is Status.FAIL


def test_deny_statements_must_shut_out_every_other_source() -> None:
    f = apigateway.rest_api_private_or_restricted
    assert f(with_policy(ALLOW_ALL, deny_unless("StringNotEquals", "aws:SourceVpc", "vpc-1"))).status is Status.PASS
    assert f(with_policy(ALLOW_ALL, deny_unless("Null", "aws:SourceVpce", "true"))).status is Status.PASS
    # a blocklist denies some addresses and admits the rest of the internet
    assert f(with_policy(ALLOW_ALL, deny_unless("IpAddress", "aws:SourceIp", "198.51.100.7/32"))).status \
        is Status.FAIL
    # a Deny on one path, or one that also needs another condition, leaves other calls open
    one_path = deny_unless("NotIpAddress", "aws:SourceIp", "203.0.113.0/24", Resource="execute-api:/*/GET/admin")
    assert f(with_policy(ALLOW_ALL, one_path)).status is Status.FAIL
    narrower = deny_unless("NotIpAddress", "aws:SourceIp", "203.0.113.0/24")
    narrower["Condition"]["StringEquals"] = {"aws:PrincipalTag/team": "ops"}
    assert f(with_policy(ALLOW_ALL, narrower)).status is Status.FAIL
    arn = deny_unless("NotIpAddress", "aws:SourceIp", "203.0.113.0/24",
                      Resource="arn:aws:execute-api:us-east-1:123456789012:a1/*/*/*")
    assert f(with_policy(ALLOW_ALL, arn)).status is Status.PASS
    other_action = deny_unless("NotIpAddress", "aws:SourceIp", "203.0.113.0/24", Action="execute-api:ManageConnections")
    assert f(with_policy(ALLOW_ALL, other_action)).status is Status.FAIL


def test_decode_rest_api_policy() -> None:
    doc = {"Statement": [{"Resource": "arn:aws:execute-api:us-east-1:1:a1/*"}]}
    plain = json.dumps(doc)
    assert apigateway.decode_rest_api_policy(plain) == doc
    assert apigateway.decode_rest_api_policy(json.dumps(plain)[1:-1].replace("/", "\\/")) == doc
    with pytest.raises(ValueError):
        apigateway.decode_rest_api_policy('["a list"]')
