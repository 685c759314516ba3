"""ELBv2 collector against moto's server, and the ALB-behind-WAF control over elbv2 + wafv2 inventories.

moto 5.2.1 has no wafv2 ListResourcesForWebACL; the demo estate's shim teaches its in-process server the call.
"""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.registry import load_collectors
from assay.demo.estate.waf import ensure_moto_lists_web_acl_resources
from assay.faults import deny
from assay.models.resources.elbv2 import LoadBalancer
from tests.helpers import by_name, evaluate, findings_of, scan

REGION = "us-east-1"
CONTROL = "elbv2.internet_facing_alb_has_waf"
COLLECTORS = load_collectors()
PERMISSIONS = (*COLLECTORS["elbv2.collect_load_balancers"].permissions,
               *COLLECTORS["wafv2.collect_web_acls"].permissions)
VISIBILITY = {"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "m"}


@pytest.fixture(autouse=True)
def _moto_lists_associations() -> None:
    ensure_moto_lists_web_acl_resources()


def _estate(seed: Any) -> dict[str, str]:
    ec2 = seed("ec2", REGION)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"{REGION}{az}")
               ["Subnet"]["SubnetId"] for i, az in ((1, "a"), (2, "b"))]
    elb = seed("elbv2", REGION)
    arns = {}
    for name, scheme, kind in (("pass-alb", "internet-facing", "application"),
                               ("fail-alb", "internet-facing", "application"),
                               ("skip-internal", "internal", "application"),
                               ("skip-nlb", "internet-facing", "network")):
        lb = elb.create_load_balancer(Name=name, Subnets=subnets, Scheme=scheme, Type=kind)["LoadBalancers"][0]
        arns[name] = lb["LoadBalancerArn"]
    waf = seed("wafv2", REGION)
    acl = waf.create_web_acl(Name="edge", Scope="REGIONAL", DefaultAction={"Allow": {}},
                             VisibilityConfig=VISIBILITY)["Summary"]["ARN"]
    waf.associate_web_acl(WebACLArn=acl, ResourceArn=arns["pass-alb"])
    return arns


def test_collects_load_balancers(access, seed) -> None:  # type: ignore[no-untyped-def]
    arns = _estate(seed)
    lbs = {lb.name: lb for lb in scan(access, ["elbv2"]).of(LoadBalancer)}
    assert set(lbs) == set(arns)
    alb = lbs["pass-alb"]
    assert (alb.arn, alb.load_balancer_type, alb.scheme) == (arns["pass-alb"], "application", "internet-facing")
    assert alb.dns_name and alb.vpc_id and alb.state == "active"
    assert sorted(alb.availability_zones) == ["us-east-1a", "us-east-1b"]
    assert (lbs["skip-internal"].scheme, lbs["skip-nlb"].load_balancer_type) == ("internal", "network")


def test_alb_verdicts(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    ev = evaluate(scan(access, ["elbv2", "wafv2"]))
    assert by_name(ev, CONTROL) == {"pass-alb": "pass", "fail-alb": "fail", "skip-internal": "skip",
                                    "skip-nlb": "skip"}
    messages = {f.resource_name: f.message for f in findings_of(ev, CONTROL)}
    assert messages["pass-alb"] == "associated with web ACL edge"
    assert messages["fail-alb"] == "internet-facing Application Load Balancer has no AWS WAF web ACL"


def test_without_the_waf_inventory_nothing_fails(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    found = findings_of(evaluate(scan(access, ["elbv2"])), CONTROL)
    assert [f.status.value for f in found] == ["error"]
    assert "wafv2" in found[0].message


SCOPE = "AWS::ElasticLoadBalancingV2::LoadBalancer in us-east-1"  # the engine's finding for a failed listing
EXPECTED_WHEN_DENIED = {
    "elasticloadbalancing:DescribeLoadBalancers": {SCOPE: "error"},
    "wafv2:ListWebACLs": {SCOPE: "error", "pass-alb": "error", "fail-alb": "error", "skip-internal": "error",
                          "skip-nlb": "error"},
    "wafv2:ListResourcesForWebACL": {"pass-alb": "error", "fail-alb": "error", "skip-internal": "skip",
                                     "skip-nlb": "skip"},
}


def test_expectations_cover_every_declared_permission() -> None:
    assert set(EXPECTED_WHEN_DENIED) == set(PERMISSIONS)


@pytest.mark.parametrize("action", PERMISSIONS)
def test_every_denied_read_errors_and_never_passes_or_fails(access, seed, action: str) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    access.hooks.append(("before-call", deny({action})))
    found = findings_of(evaluate(scan(access, ["elbv2", "wafv2"])), CONTROL)
    assert {f.resource_name: f.status.value for f in found} == EXPECTED_WHEN_DENIED[action]
    assert all(action in f.message for f in found if f.status.value == "error")
