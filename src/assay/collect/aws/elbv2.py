"""Elastic Load Balancing v2: Application, Network and Gateway Load Balancers."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.elbv2 import LoadBalancer

PAGE_SIZE = 400  # the API's maximum: fewer calls, and never the service's implicit default


@collector(service="elbv2", produces=[LoadBalancer], permissions=["elasticloadbalancing:DescribeLoadBalancers"])
def collect_load_balancers(ctx: Ctx) -> Iterator[LoadBalancer]:
    elb = ctx.client("elbv2")
    for lb in ctx.paginate(elb, "describe_load_balancers", "LoadBalancers", PageSize=PAGE_SIZE):
        arn = lb["LoadBalancerArn"]
        yield LoadBalancer(
            arn=arn, id=arn.split(":loadbalancer/", 1)[-1], account_id=ctx.account_id, region=ctx.region,
            name=lb.get("LoadBalancerName", ""),
            load_balancer_type=lb.get("Type", "application"), scheme=lb.get("Scheme", ""),
            dns_name=lb.get("DNSName", ""), vpc_id=lb.get("VpcId"),
            state=(lb.get("State") or {}).get("Code", ""), ip_address_type=lb.get("IpAddressType", ""),
            security_groups=list(lb.get("SecurityGroups") or []),
            availability_zones=[z["ZoneName"] for z in lb.get("AvailabilityZones") or [] if z.get("ZoneName")],
        )
