"""Elastic Load Balancing v2 resources (Application, Network and Gateway Load Balancers)."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class LoadBalancer(Resource):
    type: ClassVar[str] = "AWS::ElasticLoadBalancingV2::LoadBalancer"
    load_balancer_type: str  # "application", "network" or "gateway"
    scheme: str  # "internet-facing" or "internal"
    dns_name: str = ""
    vpc_id: str | None = None
    state: str = ""  # active, provisioning, active_impaired, failed
    ip_address_type: str = ""  # ipv4, dualstack, dualstack-without-public-ipv4
    security_groups: list[str] = []
    availability_zones: list[str] = []

    @property
    def internet_facing(self) -> bool:
        return self.scheme == "internet-facing"
