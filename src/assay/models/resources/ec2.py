"""EC2 networking resources: VPCs, security groups and network ACLs."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class SgRule(BaseModel):
    """One IpPermission of a security group: a protocol and port range, and who it admits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    protocol: str  # as AWS reports it: "-1" (all), "tcp", "udp", "icmp", or an IP protocol number
    from_port: int | None = None  # None for protocol -1 (every port)
    to_port: int | None = None
    ipv4_ranges: tuple[str, ...] = ()
    ipv6_ranges: tuple[str, ...] = ()
    prefix_list_ids: tuple[str, ...] = ()
    # Referenced groups: "sg-..." in this account, "<account>/sg-..." in another one.
    group_refs: tuple[str, ...] = ()


class SecurityGroup(Resource):
    type: ClassVar[str] = "AWS::EC2::SecurityGroup"
    group_name: str
    description: str = ""
    vpc_id: str | None = None
    owner_id: str = ""
    ingress: tuple[SgRule, ...] = ()
    egress: tuple[SgRule, ...] = ()

    @property
    def is_default(self) -> bool:
        """Every VPC has exactly one group named "default", which cannot be renamed or deleted."""
        return self.group_name == "default"


class NaclEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_number: int
    egress: bool
    action: str  # "allow" or "deny"
    protocol: str  # an IP protocol number as a string ("6" TCP, "17" UDP) or "-1" (all)
    cidr: str | None = None  # IPv4 source/destination
    ipv6_cidr: str | None = None
    from_port: int | None = None  # None: the entry applies to every port
    to_port: int | None = None


class NetworkAcl(Resource):
    type: ClassVar[str] = "AWS::EC2::NetworkAcl"
    vpc_id: str
    is_default: bool = False
    owner_id: str = ""
    subnet_ids: tuple[str, ...] = ()  # subnets whose traffic the ACL filters
    entries: tuple[NaclEntry, ...] = ()


class Vpc(Resource):
    type: ClassVar[str] = "AWS::EC2::VPC"
    cidr_block: str = ""
    is_default: bool = False
    state: str = ""
    owner_id: str = ""  # differs from account_id for a VPC shared with this account
    # From DescribeInternetGateways; None: not read.
    has_internet_gateway: bool | None = None
    internet_gateway_ids: tuple[str, ...] = ()
    # From DescribeFlowLogs: whether a flow log with status ACTIVE covers the VPC; None: not read.
    flow_logs_active: bool | None = None
    flow_log_ids: tuple[str, ...] = ()  # the active ones
