"""WAFv2 collector against moto's server: web ACLs, bulk association listing, pagination, denied reads.

moto 5.2.1 has no ListResourcesForWebACL; the demo estate's shim teaches its in-process server the call.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from assay.collect.aws import wafv2 as collector_module
from assay.collect.registry import load_collectors
from assay.controls.registry import load_controls
from assay.demo.estate.waf import ensure_moto_lists_web_acl_resources
from assay.faults import action_of, deny
from assay.models.resources.wafv2 import WafRule, WebAcl
from tests.helpers import by_name, evaluate, findings_of, scan

REGION = "us-east-1"
VISIBILITY = {"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "m"}
ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1"
STAGE = "arn:aws:apigateway:us-east-1::/restapis/abc123/stages/prod"


@pytest.fixture(autouse=True)
def _moto_lists_associations() -> None:
    ensure_moto_lists_web_acl_resources()


def _acl(seed: Any, name: str) -> str:
    waf = seed("wafv2", REGION)
    return str(waf.create_web_acl(Name=name, Scope="REGIONAL", DefaultAction={"Allow": {}},
                                  VisibilityConfig=VISIBILITY)["Summary"]["ARN"])


def test_collects_web_acls_with_their_associations(access, seed) -> None:  # type: ignore[no-untyped-def]
    edge, api, idle = _acl(seed, "edge"), _acl(seed, "api"), _acl(seed, "idle")
    waf = seed("wafv2", REGION)
    waf.associate_web_acl(WebACLArn=edge, ResourceArn=ALB)
    waf.associate_web_acl(WebACLArn=api, ResourceArn=STAGE)
    inv = scan(access, ["wafv2"])
    acls = {a.name: a for a in inv.of(WebAcl)}
    assert set(acls) == {"edge", "api", "idle"}
    assert (acls["edge"].load_balancer_arns, acls["edge"].api_gateway_stage_arns) == ([ALB], [])
    assert (acls["api"].load_balancer_arns, acls["api"].api_gateway_stage_arns) == ([], [STAGE])
    assert (acls["idle"].load_balancer_arns, acls["idle"].api_gateway_stage_arns) == ([], [])
    assert acls["idle"].arn == idle and acls["idle"].region == REGION
    # bulk: two association lists per web ACL, never one call per load balancer or stage
    assert inv.meta.api_calls.get("wafv2:ListResourcesForWebACL") == 6
    assert inv.complete


def test_follows_next_marker_across_pages(access, seed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("a", "b", "c"):
        _acl(seed, name)
    monkeypatch.setattr(collector_module, "PAGE_LIMIT", 1)
    inv = scan(access, ["wafv2"])
    assert sorted(a.name for a in inv.of(WebAcl)) == ["a", "b", "c"]
    assert inv.meta.api_calls.get("wafv2:ListWebACLs", 0) >= 3


def test_repeating_marker_stops_with_an_error(access, seed) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def same_page_forever(model: Any, **_: Any) -> Any:
        if action_of(model) != "wafv2:ListWebACLs":
            return None
        calls.append(1)
        page = {"WebACLs": [], "NextMarker": "stuck", "ResponseMetadata": {"HTTPStatusCode": 200}}
        return AWSResponse("https://fault.invalid/", 200, {}, None), page

    access.hooks.append(("before-call", same_page_forever))
    inv = scan(access, ["wafv2"])
    assert len(calls) == 2
    errors = [e for e in inv.errors if e.operation == "wafv2:ListWebACLs"]
    assert [(e.kind.value, e.resource_arn) for e in errors] == [("pagination", None)]


def test_denied_association_listing_leaves_lists_unknown(access, seed) -> None:  # type: ignore[no-untyped-def]
    edge = _acl(seed, "edge")
    seed("wafv2", REGION).associate_web_acl(WebACLArn=edge, ResourceArn=ALB)
    access.hooks.append(("before-call", deny({"wafv2:ListResourcesForWebACL"})))
    inv = scan(access, ["wafv2"])
    (acl,) = inv.of(WebAcl)
    assert acl.load_balancer_arns is None and acl.api_gateway_stage_arns is None
    assert {e.resource_arn for e in inv.errors} == {edge}
    assert not inv.complete


def test_denied_web_acl_listing_is_a_region_error(access, seed) -> None:  # type: ignore[no-untyped-def]
    _acl(seed, "edge")
    access.hooks.append(("before-call", deny({"wafv2:ListWebACLs"})))
    inv = scan(access, ["wafv2", "elbv2"])
    assert inv.of(WebAcl) == []
    assert [(e.operation, e.resource_arn) for e in inv.errors] == [("wafv2:ListWebACLs", None)]
    # the ALB control has nothing to judge here, but says the region could not be evaluated
    found = findings_of(evaluate(inv), "elbv2.internet_facing_alb_has_waf")
    assert [f.status.value for f in found] == ["error"]
    assert "wafv2:ListWebACLs" in found[0].message


def test_web_acl_deleted_after_listing_is_not_an_error(access, seed) -> None:  # type: ignore[no-untyped-def]
    _acl(seed, "short-lived")
    access.hooks.append(("before-call", deny({"wafv2:ListResourcesForWebACL"}, code="WAFNonexistentItemException",
                                             status=400)))
    inv = scan(access, ["wafv2"])
    (acl,) = inv.of(WebAcl)
    assert (acl.load_balancer_arns, acl.api_gateway_stage_arns) == ([], [])
    assert inv.complete and not inv.errors


# -- web ACL configuration and logging: the wafv2.* controls -------------------------------------


WAF_CONTROLS = {cid: c for cid, c in load_controls().items() if cid.startswith("wafv2.")}
CONFIG_EXPECTED = {
    "wafv2.web_acl_logging_enabled": {"edge": "pass", "trial": "fail"},
    "wafv2.web_acl_metrics_enabled": {"edge": "pass", "trial": "fail"},
    "wafv2.web_acl_rules_enforced": {"edge": "pass", "trial": "fail"},
}


def _configured(seed: Any) -> None:
    waf = seed("wafv2", REGION)
    on = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "edge"}
    edge = waf.create_web_acl(Name="edge", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=on, Rules=[{
        "Name": "aws-common", "Priority": 0, "OverrideAction": {"None": {}}, "VisibilityConfig": on,
        "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}}}])
    waf.put_logging_configuration(LoggingConfiguration={
        "ResourceArn": edge["Summary"]["ARN"],
        "LogDestinationConfigs": ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-edge"]})
    waf.create_web_acl(Name="trial", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY,
                       Rules=[{"Name": "bots", "Priority": 0, "Action": {"Count": {}}, "VisibilityConfig": VISIBILITY,
                               "Statement": {"ByteMatchStatement": {
                                   "SearchString": "bot", "FieldToMatch": {"UriPath": {}}, "PositionalConstraint":
                                   "CONTAINS", "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}}])


def test_collects_rules_metrics_and_logging(access, seed) -> None:  # type: ignore[no-untyped-def]
    _configured(seed)
    inv = scan(access, ["wafv2"])
    assert inv.complete
    acls = {a.name: a for a in inv.of(WebAcl)}
    edge, trial = acls["edge"], acls["trial"]
    assert (edge.default_action, edge.metrics_enabled) == ("Allow", True)
    assert edge.rules == (WafRule(name="aws-common", action="", rule_group=True, metrics_enabled=True),)
    assert edge.log_destinations == ("arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-edge",)
    assert trial.rules == (WafRule(name="bots", action="Count", rule_group=False, metrics_enabled=False),)
    assert (trial.metrics_enabled, trial.log_destinations) == (False, ())
    assert inv.meta.api_calls.get("wafv2:ListLoggingConfigurations") == 1  # one listing per region, not per ACL
    ev = evaluate(inv)
    assert {cid: by_name(ev, cid) for cid in WAF_CONTROLS} == CONFIG_EXPECTED


@pytest.mark.parametrize("action", load_collectors()["wafv2.collect_web_acls"].permissions)
def test_denied_read_errors_the_controls_that_need_it(access, seed, action: str) -> None:  # type: ignore[no-untyped-def]
    _configured(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["wafv2"]))
    for cid, control in WAF_CONTROLS.items():
        found = findings_of(ev, cid)
        if action in control.needs:
            assert found and {f.status.value for f in found} == {"error"}, (cid, by_name(ev, cid))
            assert all(action in f.message for f in found)
        else:
            assert by_name(ev, cid) == CONFIG_EXPECTED[cid]
