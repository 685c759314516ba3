"""Elastic Load Balancing v2 resources (Application, Network and Gateway Load Balancers)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class Listener(BaseModel):
    """One listener from DescribeListeners, with what its default action does."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    arn: str = ""
    port: int = 0
    protocol: str = ""  # HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE
    ssl_policy: str | None = None  # HTTPS and TLS listeners only
    default_actions: tuple[str, ...] = ()  # action types in order: forward, redirect, fixed-response ...
    redirect_protocol: str | None = None  # the protocol of a redirect default action ("HTTPS", "#{protocol}")


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
    # From DescribeLoadBalancerAttributes ("access_logs.s3.enabled" -> "true" ...); None: not read.
    attributes: dict[str, str] | None = None
    # From DescribeListeners; None: not read.
    listeners: tuple[Listener, ...] | None = None

    @property
    def internet_facing(self) -> bool:
        return self.scheme == "internet-facing"

    def attribute(self, key: str) -> str | None:
        """An attribute's value; None when attributes were not read or AWS did not report this one."""
        return None if self.attributes is None else self.attributes.get(key)
