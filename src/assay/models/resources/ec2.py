"""EC2 resources: networking (VPCs, subnets, security groups, network ACLs, gateways), instances and EBS."""

from __future__ import annotations

from datetime import datetime
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
    # From DescribeNetworkInterfaces: interfaces using the group; None: not read.
    network_interface_ids: tuple[str, ...] | None = None

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


class Subnet(Resource):
    type: ClassVar[str] = "AWS::EC2::Subnet"
    vpc_id: str = ""
    cidr_block: str = ""
    availability_zone: str = ""
    owner_id: str = ""
    default_for_az: bool = False
    map_public_ip_on_launch: bool = False  # instances launched here get a public IPv4 address
    # From DescribeRouteTables: whether the subnet's route table (its own or the VPC's main one) sends
    # 0.0.0.0/0 or ::/0 to an internet gateway, i.e. a public subnet; None: not read.
    internet_route: bool | None = None


class InternetGateway(Resource):
    type: ClassVar[str] = "AWS::EC2::InternetGateway"
    owner_id: str = ""
    attached_vpc_ids: tuple[str, ...] = ()


class ElasticIp(Resource):
    type: ClassVar[str] = "AWS::EC2::EIP"
    public_ip: str = ""
    domain: str = "vpc"
    association_id: str | None = None  # None: not associated with an instance or network interface
    instance_id: str | None = None
    network_interface_id: str | None = None


class TransitGateway(Resource):
    type: ClassVar[str] = "AWS::EC2::TransitGateway"
    state: str = ""
    owner_id: str = ""
    auto_accept_shared_attachments: str = ""  # "enable" or "disable"


class Instance(Resource):
    """An EC2 instance from DescribeInstances (terminated ones are not kept)."""

    type: ClassVar[str] = "AWS::EC2::Instance"
    state: str  # pending, running, shutting-down, stopping, stopped
    instance_type: str = ""
    image_id: str = ""
    vpc_id: str | None = None  # None: EC2-Classic (no VPC)
    subnet_id: str | None = None
    public_ip: str | None = None
    security_group_ids: tuple[str, ...] = ()
    volume_ids: tuple[str, ...] = ()
    metadata_http_tokens: str = ""  # "required" (IMDSv2 only) or "optional"
    metadata_http_endpoint: str = ""  # "enabled" or "disabled"
    monitoring: str = ""  # "enabled" (detailed, 1-minute) or "disabled" (basic)
    ebs_optimized: bool = False
    # From DescribeInstanceTypes: "default", "supported" or "unsupported"; None: not read.
    ebs_optimized_support: str | None = None
    enclave_enabled: bool = False
    stopped_since: datetime | None = None  # parsed from StateTransitionReason when stopped by a user


class LaunchTemplateVersion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int
    is_default: bool = False
    is_latest: bool = False
    # Network interfaces in the launch data that request a public IPv4 address (device indexes).
    public_ip_interfaces: tuple[int, ...] = ()


class LaunchTemplate(Resource):
    type: ClassVar[str] = "AWS::EC2::LaunchTemplate"
    versions: tuple[LaunchTemplateVersion, ...] = ()  # the default and latest versions


class Image(Resource):
    """An AMI this account owns."""

    type: ClassVar[str] = "AWS::EC2::Image"
    public: bool = False  # launch permission granted to group "all"
    state: str = ""
    creation_date: str = ""


class Volume(Resource):
    type: ClassVar[str] = "AWS::EC2::Volume"
    state: str = ""  # creating, available, in-use, deleting, error
    size_gib: int = 0
    volume_type: str = ""
    encrypted: bool = False
    kms_key_id: str | None = None
    attached_instance_ids: tuple[str, ...] = ()
    created_at: datetime | None = None
    # From DescribeSnapshots(OwnerIds=self): completed snapshots taken from this volume; None: not read.
    snapshot_count: int | None = None
    latest_snapshot_at: datetime | None = None


class Snapshot(Resource):
    """An EBS snapshot this account owns."""

    type: ClassVar[str] = "AWS::EC2::Snapshot"
    volume_id: str = ""
    state: str = ""
    encrypted: bool = False
    kms_key_id: str | None = None
    started_at: datetime | None = None
    # Restorable by everyone (createVolumePermission group "all"); None: not read.
    public: bool | None = None


class EbsSettings(Resource):
    """The region's account-level EBS settings: one record per scanned region."""

    type: ClassVar[str] = "AWS::EC2::EBSRegionSettings"
    # From GetEbsEncryptionByDefault; None: not read.
    encryption_by_default: bool | None = None
    # From GetSnapshotBlockPublicAccessState: block-all-sharing, block-new-sharing or unblocked; None: not read.
    snapshot_block_public_access: str | None = None


class ClientVpnEndpoint(Resource):
    type: ClassVar[str] = "AWS::EC2::ClientVpnEndpoint"
    status: str = ""  # pending-associate, available, deleting, deleted
    description: str = ""
    connection_logging: bool = False
    log_group: str | None = None
