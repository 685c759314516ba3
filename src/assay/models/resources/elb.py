"""Classic Load Balancers (Elastic Load Balancing, API version 2012-06-01)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class ClassicListener(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    protocol: str  # HTTP, HTTPS, TCP or SSL (front end)
    port: int
    instance_protocol: str = ""
    instance_port: int = 0
    certificate_id: str | None = None  # ACM or IAM server certificate ARN, HTTPS/SSL only
    policy_names: tuple[str, ...] = ()


class ClassicLoadBalancer(Resource):
    type: ClassVar[str] = "AWS::ElasticLoadBalancing::LoadBalancer"
    scheme: str = ""  # "internet-facing" or "internal"
    dns_name: str = ""
    vpc_id: str | None = None
    listeners: tuple[ClassicListener, ...] = ()
    # From DescribeLoadBalancerPolicies: SSL negotiation policies, name -> {attribute: value}; None: not read.
    ssl_policies: dict[str, dict[str, str]] | None = None
    # From DescribeLoadBalancerAttributes; None: not read.
    access_log_enabled: bool | None = None
    cross_zone_enabled: bool | None = None
    connection_draining_enabled: bool | None = None

    @property
    def tls_listeners(self) -> tuple[ClassicListener, ...]:
        return tuple(li for li in self.listeners if li.protocol.upper() in ("HTTPS", "SSL"))
