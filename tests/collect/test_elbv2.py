"""Load balancer collectors (elbv2 and Classic, both in the "elbv2" shard) against moto's server: the
ALB-behind-WAF control over elbv2 + wafv2 inventories, listeners, attributes and SSL policies, and ERROR
(never PASS or FAIL) when a read is denied.

moto 5.2.1 has no wafv2 ListResourcesForWebACL; the demo estate's shim teaches its in-process server the call.
moto checks that an ALB listener's certificate exists, so the fixtures request one from ACM.
"""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.registry import load_collectors
from assay.controls.registry import load_controls
from assay.demo.estate.waf import ensure_moto_lists_web_acl_resources
from assay.faults import deny
from assay.models.resources.elb import ClassicLoadBalancer
from assay.models.resources.elbv2 import LoadBalancer
from tests.helpers import by_name, evaluate, findings_of, scan

REGION = "us-east-1"
CONTROL = "elbv2.internet_facing_alb_has_waf"
COLLECTORS = load_collectors()
PERMISSIONS = tuple(sorted({*COLLECTORS["elbv2.collect_load_balancers"].permissions,
                            *COLLECTORS["elbv2.collect_classic_load_balancers"].permissions,
                            *COLLECTORS["wafv2.collect_web_acls"].permissions}))
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
UNAFFECTED = {"pass-alb": "pass", "fail-alb": "fail", "skip-internal": "skip", "skip-nlb": "skip"}
EXPECTED_WHEN_DENIED = {
    "elasticloadbalancing:DescribeLoadBalancers": {SCOPE: "error"},
    "elasticloadbalancing:DescribeLoadBalancerAttributes": UNAFFECTED,
    "elasticloadbalancing:DescribeListeners": UNAFFECTED,
    "elasticloadbalancing:DescribeLoadBalancerPolicies": UNAFFECTED,
    "wafv2:GetWebACL": UNAFFECTED,  # web ACL details and logging are for the wafv2 controls
    "wafv2:ListLoggingConfigurations": UNAFFECTED,
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


# -- listeners, attributes and Classic Load Balancers --------------------------------------------

IAM_CERT = "arn:aws:iam::123456789012:server-certificate/old"


def _lb_estate(seed: Any) -> dict[str, str]:
    ec2 = seed("ec2", REGION)
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.8.{i}.0/24", AvailabilityZone=f"{REGION}{az}")
               ["Subnet"]["SubnetId"] for i, az in ((1, "a"), (2, "b"))]
    cert = seed("acm", REGION).request_certificate(DomainName="app.example.com")["CertificateArn"]
    elb = seed("elbv2", REGION)
    arns = {}
    for name, good in (("good-alb", True), ("bad-alb", False)):
        arn = elb.create_load_balancer(Name=name, Subnets=subnets, Scheme="internal")["LoadBalancers"][0][
            "LoadBalancerArn"]
        tg = elb.create_target_group(Name=f"{name}-tg", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0][
            "TargetGroupArn"]
        forward = [{"Type": "forward", "TargetGroupArn": tg}]
        redirect = [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443",
                                                              "StatusCode": "HTTP_301"}}]
        elb.create_listener(LoadBalancerArn=arn, Protocol="HTTP", Port=80, DefaultActions=redirect if good else forward)
        elb.create_listener(LoadBalancerArn=arn, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": cert}],
                            SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06" if good else "ELBSecurityPolicy-2016-08",
                            DefaultActions=forward)
        if good:
            elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[
                {"Key": k, "Value": "true"} for k in ("access_logs.s3.enabled", "deletion_protection.enabled",
                                                      "routing.http.drop_invalid_header_fields.enabled")])
        arns[name] = arn
    classic = seed("elb", REGION)
    for name, good in (("good-clb", True), ("bad-clb", False)):
        https = {"Protocol": "HTTPS", "LoadBalancerPort": 443, "InstanceProtocol": "HTTP", "InstancePort": 80,
                 "SSLCertificateId": cert if good else IAM_CERT}
        plain = {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 80}
        classic.create_load_balancer(LoadBalancerName=name, Listeners=[https] if good else [https, plain],
                                     Subnets=subnets, Scheme="internal")
        reference = "ELBSecurityPolicy-TLS-1-2-2017-01" if good else "ELBSecurityPolicy-2016-08"
        classic.create_load_balancer_policy(LoadBalancerName=name, PolicyName="tls",
                                            PolicyTypeName="SSLNegotiationPolicyType", PolicyAttributes=[
                                                {"AttributeName": "Reference-Security-Policy",
                                                 "AttributeValue": reference}])
        classic.set_load_balancer_policies_of_listener(LoadBalancerName=name, LoadBalancerPort=443,
                                                       PolicyNames=["tls"])
        if good:
            classic.modify_load_balancer_attributes(LoadBalancerName=name, LoadBalancerAttributes={
                "AccessLog": {"Enabled": True, "S3BucketName": "logs", "EmitInterval": 60},
                "CrossZoneLoadBalancing": {"Enabled": True}, "ConnectionDraining": {"Enabled": True}})
    return arns


def test_collects_listeners_attributes_and_classic_load_balancers(access: Any, seed: Any) -> None:
    arns = _lb_estate(seed)
    inv = scan(access, ["elbv2"])
    assert inv.complete
    albs = {lb.name: lb for lb in inv.of(LoadBalancer)}
    good = albs["good-alb"]
    assert good.arn == arns["good-alb"] and good.attributes is not None
    assert good.attribute("deletion_protection.enabled") == "true"
    assert [(li.protocol, li.port, li.default_actions, li.redirect_protocol) for li in good.listeners or ()] == [
        ("HTTP", 80, ("redirect",), "HTTPS"), ("HTTPS", 443, ("forward",), None)]
    assert [li.ssl_policy for li in albs["bad-alb"].listeners or () if li.protocol == "HTTPS"] == [
        "ELBSecurityPolicy-2016-08"]
    classics = {lb.name: lb for lb in inv.of(ClassicLoadBalancer)}
    assert set(classics) == {"good-clb", "bad-clb"}
    bad = classics["bad-clb"]
    assert [(li.protocol, li.port, li.certificate_id) for li in bad.listeners] == [
        ("HTTPS", 443, IAM_CERT), ("HTTP", 80, None)]
    assert bad.ssl_policies == {"tls": {"Reference-Security-Policy": "ELBSecurityPolicy-2016-08"}}
    assert (bad.access_log_enabled, bad.cross_zone_enabled, bad.connection_draining_enabled) == (False, False, False)
    assert classics["good-clb"].arn == "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/good-clb"


LB_CONTROLS = {
    "elbv2.alb_http_redirects_to_https": ("good-alb", "bad-alb"),
    "elbv2.tls_listener_policy_modern": ("good-alb", "bad-alb"),
    "elbv2.access_logging_enabled": ("good-alb", "bad-alb"),
    "elbv2.alb_drops_invalid_headers": ("good-alb", "bad-alb"),
    "elbv2.deletion_protection_enabled": ("good-alb", "bad-alb"),
    "elb.listeners_use_tls": ("good-clb", "bad-clb"),
    "elb.tls_certificate_from_acm": ("good-clb", "bad-clb"),
    "elb.tls_policy_modern": ("good-clb", "bad-clb"),
    "elb.access_logging_enabled": ("good-clb", "bad-clb"),
    "elb.cross_zone_enabled": ("good-clb", "bad-clb"),
    "elb.connection_draining_enabled": ("good-clb", "bad-clb"),
}


def test_load_balancer_verdicts(access: Any, seed: Any) -> None:
    _lb_estate(seed)
    ev = evaluate(scan(access, ["elbv2"]))
    for cid, (good, bad) in LB_CONTROLS.items():
        assert by_name(ev, cid) == {good: "pass", bad: "fail"}, cid
    messages = {f.resource_name: f.message for f in findings_of(ev, "elb.tls_policy_modern")}
    assert messages["bad-clb"] == ("TLS below 1.2 can be negotiated: HTTPS:443: tls (ELBSecurityPolicy-2016-08) "
                                   "accepts TLS 1.0")


LB_ACTIONS = sorted({a for cid in LB_CONTROLS for a in load_controls()[cid].needs})


@pytest.mark.parametrize("action", LB_ACTIONS)
def test_denied_load_balancer_read_is_error(access: Any, seed: Any, action: str) -> None:
    _lb_estate(seed)
    access.hooks.append(("before-call", deny({action})))
    ev = evaluate(scan(access, ["elbv2"]))
    for cid in LB_CONTROLS:
        found = {f.resource_name: f.status.value for f in findings_of(ev, cid)}
        if action in load_controls()[cid].needs:
            assert found and set(found.values()) == {"error"}, (cid, found)
        else:
            assert "error" not in found.values(), (cid, found)
