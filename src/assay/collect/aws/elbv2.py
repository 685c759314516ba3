"""Elastic Load Balancing: Application, Network and Gateway Load Balancers (elbv2) and Classic Load
Balancers (the 2012-06-01 "elb" API).

Both APIs authorise through the same IAM actions (elasticloadbalancing:DescribeLoadBalancers serves
both), so both are collected in the one "elbv2" shard: a scan of the service sees every load balancer,
and a denied action is denied to both readers alike. Attributes, listeners and policies have no bulk
call, so they are read per load balancer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.elb import ClassicListener, ClassicLoadBalancer
from assay.models.resources.elbv2 import Listener, LoadBalancer

PAGE_SIZE = 400  # the API's maximum: fewer calls, and never the service's implicit default
CLASSIC_PAGE_SIZE = 400
ABSENT = {"elasticloadbalancing:DescribeListeners": ["LoadBalancerNotFound"],
          "elasticloadbalancing:DescribeLoadBalancerAttributes": ["LoadBalancerNotFound"]}


def _listener(li: dict[str, Any]) -> Listener:
    actions = sorted(li.get("DefaultActions") or [], key=lambda a: int(a.get("Order", 0) or 0))
    redirect = next((a.get("RedirectConfig") or {} for a in actions if a.get("Type") == "redirect"), None)
    return Listener(
        arn=li.get("ListenerArn", ""), port=int(li.get("Port", 0) or 0), protocol=li.get("Protocol", ""),
        ssl_policy=li.get("SslPolicy") or None, default_actions=tuple(str(a.get("Type", "")) for a in actions),
        redirect_protocol=None if redirect is None else redirect.get("Protocol", "#{protocol}"),
    )


def _listeners(ctx: Ctx, elb: Any, arn: str) -> tuple[Listener, ...] | None:
    found = [_listener(li) for li in ctx.paginate(elb, "describe_listeners", "Listeners", resource_arn=arn,
                                                   LoadBalancerArn=arn, PageSize=PAGE_SIZE)]
    return None if ctx.failed("elasticloadbalancing:DescribeListeners", arn) else tuple(found)


@collector(
    service="elbv2", produces=[LoadBalancer],
    permissions=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
                 "elasticloadbalancing:DescribeListeners"],
    absent=ABSENT,
)
def collect_load_balancers(ctx: Ctx) -> Iterator[LoadBalancer]:
    elb = ctx.client("elbv2")
    for lb in ctx.paginate(elb, "describe_load_balancers", "LoadBalancers", PageSize=PAGE_SIZE):
        arn = lb["LoadBalancerArn"]
        attrs = ctx.call(elb, "describe_load_balancer_attributes", resource_arn=arn, LoadBalancerArn=arn)
        if attrs == {}:
            continue  # deleted between the listing and this read
        yield LoadBalancer(
            arn=arn, id=arn.split(":loadbalancer/", 1)[-1], account_id=ctx.account_id, region=ctx.region,
            name=lb.get("LoadBalancerName", ""),
            load_balancer_type=lb.get("Type", "application"), scheme=lb.get("Scheme", ""),
            dns_name=lb.get("DNSName", ""), vpc_id=lb.get("VpcId"),
            state=(lb.get("State") or {}).get("Code", ""), ip_address_type=lb.get("IpAddressType", ""),
            security_groups=list(lb.get("SecurityGroups") or []),
            availability_zones=[z["ZoneName"] for z in lb.get("AvailabilityZones") or [] if z.get("ZoneName")],
            attributes=None if attrs is None else {
                str(a["Key"]): str(a.get("Value", "")) for a in attrs.get("Attributes") or [] if a.get("Key")},
            listeners=_listeners(ctx, elb, arn),
        )


def _classic_listener(desc: dict[str, Any]) -> ClassicListener:
    li = desc.get("Listener") or {}
    return ClassicListener(
        protocol=str(li.get("Protocol", "")).upper(), port=int(li.get("LoadBalancerPort", 0) or 0),
        instance_protocol=str(li.get("InstanceProtocol", "")).upper(),
        instance_port=int(li.get("InstancePort", 0) or 0), certificate_id=li.get("SSLCertificateId") or None,
        policy_names=tuple(desc.get("PolicyNames") or ()),
    )


def _ssl_policies(ctx: Ctx, elb: Any, name: str, arn: str) -> dict[str, dict[str, str]] | None:
    answer = ctx.call(elb, "describe_load_balancer_policies", resource_arn=arn, LoadBalancerName=name)
    if answer is None:
        return None
    return {
        str(p.get("PolicyName")): {str(a.get("AttributeName")): str(a.get("AttributeValue", ""))
                                   for a in p.get("PolicyAttributeDescriptions") or []}
        for p in answer.get("PolicyDescriptions") or [] if p.get("PolicyTypeName") == "SSLNegotiationPolicyType"
    }


def _enabled(attrs: dict[str, Any], key: str) -> bool:
    return bool((attrs.get(key) or {}).get("Enabled"))


@collector(
    service="elbv2", produces=[ClassicLoadBalancer],
    permissions=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
                 "elasticloadbalancing:DescribeLoadBalancerPolicies"],
    absent={"elasticloadbalancing:DescribeLoadBalancerPolicies": ["LoadBalancerNotFound"]},
)
def collect_classic_load_balancers(ctx: Ctx) -> Iterator[ClassicLoadBalancer]:
    elb = ctx.client("elb")
    for lb in ctx.paginate(elb, "describe_load_balancers", "LoadBalancerDescriptions", PageSize=CLASSIC_PAGE_SIZE):
        name = lb["LoadBalancerName"]
        arn = ctx.arn("elasticloadbalancing", f"loadbalancer/{name}")
        got = ctx.call(elb, "describe_load_balancer_attributes", resource_arn=arn, LoadBalancerName=name)
        if got == {}:
            continue  # deleted between the listing and this read
        attrs = (got or {}).get("LoadBalancerAttributes") or {}
        yield ClassicLoadBalancer(
            arn=arn, id=name, account_id=ctx.account_id, region=ctx.region, name=name,
            scheme=lb.get("Scheme", ""), dns_name=lb.get("DNSName", ""), vpc_id=lb.get("VPCId") or None,
            listeners=tuple(_classic_listener(d) for d in lb.get("ListenerDescriptions") or []),
            ssl_policies=_ssl_policies(ctx, elb, name, arn),
            access_log_enabled=None if got is None else _enabled(attrs, "AccessLog"),
            cross_zone_enabled=None if got is None else _enabled(attrs, "CrossZoneLoadBalancing"),
            connection_draining_enabled=None if got is None else _enabled(attrs, "ConnectionDraining"),
        )
