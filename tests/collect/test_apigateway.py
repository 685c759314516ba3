"""API Gateway collector against moto's server, and the stage-behind-WAF control over apigateway + wafv2.

moto 5.2.1 has no wafv2 ListResourcesForWebACL; the demo estate's shim teaches its in-process server the call.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from assay.collect.aws.apigateway import GET
from assay.collect.registry import load_collectors
from assay.controls.apigateway import decode_rest_api_policy
from assay.demo.estate.waf import ensure_moto_lists_web_acl_resources
from assay.faults import deny, error_response
from assay.models.resources.apigateway import ApiGatewayRestApi, ApiGatewayStage, RequestValidator
from tests.helpers import by_name, evaluate, findings_of, scan

REGION = "us-east-1"
CONTROL = "apigateway.stage_has_waf"
COLLECTORS = load_collectors()
PERMISSIONS = (*COLLECTORS["apigateway.collect_rest_apis"].permissions,
               *COLLECTORS["wafv2.collect_web_acls"].permissions)
VISIBILITY = {"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "m"}


@pytest.fixture(autouse=True)
def _moto_lists_associations() -> None:
    ensure_moto_lists_web_acl_resources()


def _api(apigw: Any, name: str, stages: list[str], endpoint: str = "REGIONAL") -> str:
    api = apigw.create_rest_api(name=name, endpointConfiguration={"types": [endpoint]})["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    for stage in stages:
        apigw.create_deployment(restApiId=api, stageName=stage)
    return str(api)


def _estate(seed: Any) -> dict[str, str]:
    apigw = seed("apigateway", REGION)
    ids = {"orders": _api(apigw, "orders", ["prod", "beta"]), "internal": _api(apigw, "internal", ["prod"], "PRIVATE")}
    waf = seed("wafv2", REGION)
    acl = waf.create_web_acl(Name="api-acl", Scope="REGIONAL", DefaultAction={"Allow": {}},
                             VisibilityConfig=VISIBILITY)["Summary"]["ARN"]
    stage = f"arn:aws:apigateway:{REGION}::/restapis/{ids['orders']}/stages/prod"
    waf.associate_web_acl(WebACLArn=acl, ResourceArn=stage)
    return {**ids, "acl": acl}


def test_collects_stage_settings(access, seed) -> None:  # type: ignore[no-untyped-def]
    ids = _estate(seed)
    seed("apigateway", REGION).update_stage(restApiId=ids["orders"], stageName="prod", patchOperations=[
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"},
        {"op": "replace", "path": "/tracingEnabled", "value": "true"},
        {"op": "replace", "path": "/cacheClusterEnabled", "value": "true"},
        {"op": "replace", "path": "/*/*/caching/enabled", "value": "true"},
        {"op": "replace", "path": "/*/*/caching/dataEncrypted", "value": "false"},
        {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": LOGS},
        {"op": "replace", "path": "/accessLogSettings/format", "value": "$context.requestId"}])
    stages = {s.name: s for s in scan(access, ["apigateway"]).of(ApiGatewayStage)}
    prod, beta = stages["orders/prod"], stages["orders/beta"]
    assert (prod.tracing_enabled, prod.cache_cluster_enabled, prod.access_log_destination) == (True, True, LOGS)
    assert prod.method_settings is not None
    assert (prod.method_settings["*/*"].logging_level, prod.method_settings["*/*"].caching_enabled,
            prod.method_settings["*/*"].cache_data_encrypted) == ("INFO", True, False)
    assert (beta.method_settings, beta.access_log_destination, beta.tracing_enabled) == ({}, "", False)
    ev = evaluate(scan(access, ["apigateway"]))
    expected = {"apigateway.stage_execution_logging_enabled": "pass", "apigateway.stage_access_logging_enabled": "pass",
                "apigateway.stage_cache_encrypted": "fail", "apigateway.stage_tracing_enabled": "pass"}
    assert {cid: by_name(ev, cid)["orders/prod"] for cid in expected} == expected
    assert by_name(ev, "apigateway.stage_cache_encrypted")["orders/beta"] == "skip"
    assert by_name(ev, "apigateway.stage_execution_logging_enabled")["orders/beta"] == "fail"
    # the only read is apigateway:GET: denied, every stage control reports the region as ERROR
    access.hooks.append(("before-call", deny({GET}, code="AccessDeniedException")))
    denied = evaluate(scan(access, ["apigateway"]))
    for cid in expected:
        assert by_name(denied, cid) == {SCOPE: "error"}, cid


LOGS = f"arn:aws:logs:{REGION}:123456789012:log-group:api-access"


def test_collects_stages(access, seed) -> None:  # type: ignore[no-untyped-def]
    ids = _estate(seed)
    stages = {s.name: s for s in scan(access, ["apigateway"]).of(ApiGatewayStage)}
    assert set(stages) == {"orders/prod", "orders/beta", "internal/prod"}
    prod = stages["orders/prod"]
    assert prod.arn == f"arn:aws:apigateway:{REGION}::/restapis/{ids['orders']}/stages/prod"
    assert (prod.rest_api_id, prod.stage_name, prod.endpoint_types) == (ids["orders"], "prod", ["REGIONAL"])
    assert prod.web_acl_arn == ids["acl"]  # the stage's own webAclArn
    assert stages["orders/beta"].web_acl_arn is None
    assert stages["internal/prod"].private


def test_stage_verdicts(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    ev = evaluate(scan(access, ["apigateway", "wafv2"]))
    assert by_name(ev, CONTROL) == {"orders/prod": "pass", "orders/beta": "fail", "internal/prod": "skip"}
    messages = {f.resource_name: f.message for f in findings_of(ev, CONTROL)}
    assert messages["orders/prod"] == "stage is associated with web ACL api-acl"
    assert messages["orders/beta"] == "stage beta of API orders has no AWS WAF web ACL"


def test_without_the_waf_inventory_nothing_fails(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    found = findings_of(evaluate(scan(access, ["apigateway"])), CONTROL)
    assert [f.status.value for f in found] == ["error"]
    assert "wafv2" in found[0].message


SCOPE = "AWS::ApiGateway::Stage in us-east-1"  # the engine's finding for a listing that failed
EXPECTED_WHEN_DENIED = {
    GET: {SCOPE: "error"},
    "wafv2:ListWebACLs": {SCOPE: "error", "orders/prod": "error", "orders/beta": "error", "internal/prod": "error"},
    # orders/prod still passes on its own webAclArn, read by GetStages; orders/beta can't be cleared
    "wafv2:ListResourcesForWebACL": {"orders/prod": "pass", "orders/beta": "error", "internal/prod": "skip"},
    # the web ACL's rules and logging play no part in whether a stage is associated with one
    "wafv2:GetWebACL": {"orders/prod": "pass", "orders/beta": "fail", "internal/prod": "skip"},
    "wafv2:ListLoggingConfigurations": {"orders/prod": "pass", "orders/beta": "fail", "internal/prod": "skip"},
}


def test_expectations_cover_every_declared_permission() -> None:
    assert set(EXPECTED_WHEN_DENIED) == set(PERMISSIONS)


@pytest.mark.parametrize("action", PERMISSIONS)
def test_every_denied_read_errors_and_never_fails(access, seed, action: str) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    access.hooks.append(("before-call", deny({action})))
    found = findings_of(evaluate(scan(access, ["apigateway", "wafv2"])), CONTROL)
    assert {f.resource_name: f.status.value for f in found} == EXPECTED_WHEN_DENIED[action]
    assert all(action in f.message for f in found if f.status.value == "error")


def test_api_deleted_between_calls_is_not_an_error(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    def stages_gone(model: Any, **_: Any) -> Any:  # only GetStages: the API list itself still answers
        return error_response("NotFoundException", "Invalid API identifier", 404) if model.name == "GetStages" else None

    access.hooks.append(("before-call", stages_gone))
    inv = scan(access, ["apigateway"])
    assert inv.meta.api_calls[GET] >= 2
    assert inv.of(ApiGatewayStage) == [] and not inv.errors and inv.complete


# -- REST APIs and their methods ----------------------------------------------------------------------

METHOD_CONTROLS = ("apigateway.rest_api_methods_authorized", "apigateway.rest_api_requests_validated")


def test_collects_rest_api_methods_and_validators(access, seed) -> None:  # type: ignore[no-untyped-def]
    from assay.demo.estate.waf import _rest_api

    apigw = seed("apigateway", REGION)
    _rest_api(apigw, "checked", auth="AWS_IAM", orders="validated")
    _rest_api(apigw, "open", orders="unchecked")
    _rest_api(apigw, "internal", endpoint="PRIVATE")
    inv = scan(access, ["apigateway"])
    apis = {a.name: a for a in inv.of(ApiGatewayRestApi)}
    checked = apis["checked"]
    assert checked.arn == f"arn:aws:apigateway:{REGION}::/restapis/{checked.id}"
    assert checked.methods is not None and checked.validators is not None
    post = next(m for m in checked.methods if m.label == "POST /orders")
    assert (post.authorization_type, post.request_models) == ("AWS_IAM", ("Order",))
    assert checked.validators[str(post.request_validator_id)] == RequestValidator(name="body-and-params", body=True,
                                                                                  parameters=True)
    ev = evaluate(inv)
    assert {cid: by_name(ev, cid) for cid in METHOD_CONTROLS} == {
        "apigateway.rest_api_methods_authorized": {"checked": "pass", "open": "fail", "internal": "skip"},
        "apigateway.rest_api_requests_validated": {"checked": "pass", "open": "fail", "internal": "skip"},
    }


def test_one_api_unreadable_is_error_for_that_api_only(access, seed) -> None:  # type: ignore[no-untyped-def]
    from assay.demo.estate.waf import _rest_api

    apigw = seed("apigateway", REGION)
    _rest_api(apigw, "checked", auth="AWS_IAM", orders="validated")
    _rest_api(apigw, "open", orders="unchecked")
    broken = next(a["id"] for a in apigw.get_rest_apis()["items"] if a["name"] == "open")

    def resources_denied(model: Any, params: dict[str, Any], **_: Any) -> Any:
        if model.name == "GetResources" and f"/restapis/{broken}/" in params.get("url_path", ""):
            return error_response("AccessDeniedException", "User is not authorized to perform: apigateway:GET")
        return None

    access.hooks.append(("before-call", resources_denied))
    ev = evaluate(scan(access, ["apigateway"]))
    for cid in METHOD_CONTROLS:
        assert by_name(ev, cid) == {"checked": "pass", "open": "error"}, cid
    assert by_name(ev, "apigateway.stage_tracing_enabled") == {"checked/prod": "fail", "open/prod": "fail"}


# -- who can reach a REST API -------------------------------------------------------------------------

REACH = "apigateway.rest_api_private_or_restricted"
OFFICE_ONLY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
    {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
     "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}]}


def _reach_estate(seed: Any) -> None:
    apigw = seed("apigateway", REGION)
    apigw.create_rest_api(name="office", policy=json.dumps(OFFICE_ONLY), endpointConfiguration={"types": ["REGIONAL"]})
    apigw.create_rest_api(name="open", endpointConfiguration={"types": ["EDGE"]})
    apigw.create_rest_api(name="internal", endpointConfiguration={"types": ["PRIVATE"]})


def test_rest_api_resource_policies(access, seed) -> None:  # type: ignore[no-untyped-def]
    _reach_estate(seed)
    inv = scan(access, ["apigateway"])
    apis = {a.name: a for a in inv.of(ApiGatewayRestApi)}
    assert decode_rest_api_policy(str(apis["office"].resource_policy)) == OFFICE_ONLY
    assert (apis["open"].resource_policy, apis["internal"].resource_policy) == ("", "")
    ev = evaluate(inv)
    assert by_name(ev, REACH) == {"office": "pass", "open": "fail", "internal": "pass"}
    assert by_name(evaluate(inv, params={REACH: {"allowed_public_apis": ["open"]}}), REACH)["open"] == "pass"


def test_rest_api_policy_escaped_as_aws_returns_it(access, seed) -> None:  # type: ignore[no-untyped-def]
    """AWS returns the policy escaped like the inside of a JSON string, '/' as '\\/'; moto returns it plain."""
    _reach_estate(seed)

    def escape(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        if model.name == "GetRestApis":
            for api in parsed.get("items") or []:
                if api.get("policy"):
                    api["policy"] = json.dumps(api["policy"])[1:-1].replace("/", "\\/")

    access.hooks.append(("after-call", escape))
    inv = scan(access, ["apigateway"])
    office = next(a for a in inv.of(ApiGatewayRestApi) if a.name == "office")
    assert '\\"' in str(office.resource_policy)
    assert by_name(evaluate(inv), REACH) == {"office": "pass", "open": "fail", "internal": "pass"}


def test_denied_api_listing_is_error_for_reach(access, seed) -> None:  # type: ignore[no-untyped-def]
    _reach_estate(seed)
    access.hooks.append(("before-call", deny({GET})))
    found = findings_of(evaluate(scan(access, ["apigateway"])), REACH)
    assert {f.resource_name: f.status.value for f in found} == {"AWS::ApiGateway::RestApi in us-east-1": "error"}
    assert all(GET in f.message for f in found)
