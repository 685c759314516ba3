"""EC2 networking: security groups, network ACLs, VPCs with their internet gateways and flow logs, subnets,
Elastic IPs, transit gateways and Client VPN endpoints. Instances, images and EBS are in ec2_compute.py.

Everything is read with the region-wide Describe* calls (one listing each, paginated), never per
resource, so a region with thousands of groups costs a handful of requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.ec2 import (
    ClientVpnEndpoint,
    ElasticIp,
    InternetGateway,
    NaclEntry,
    NetworkAcl,
    SecurityGroup,
    SgRule,
    Subnet,
    TransitGateway,
    Vpc,
)

# Page sizes: the AWS maxima for each call (DescribeNetworkAcls allows at most 100).
PAGE = 1000
NACL_PAGE = 100
ATTACHED = frozenset({"attaching", "attached", "available"})  # AWS reports an attached IGW as "available"


def _rule(perm: dict[str, Any], owner: str) -> SgRule:
    groups = []
    for pair in perm.get("UserIdGroupPairs") or []:
        gid = pair.get("GroupId") or pair.get("GroupName") or ""
        account = pair.get("UserId")
        groups.append(f"{account}/{gid}" if account and account != owner else gid)
    return SgRule(
        protocol=str(perm.get("IpProtocol", "-1")),
        from_port=perm.get("FromPort"),
        to_port=perm.get("ToPort"),
        ipv4_ranges=tuple(r["CidrIp"] for r in perm.get("IpRanges") or [] if r.get("CidrIp")),
        ipv6_ranges=tuple(r["CidrIpv6"] for r in perm.get("Ipv6Ranges") or [] if r.get("CidrIpv6")),
        prefix_list_ids=tuple(p["PrefixListId"] for p in perm.get("PrefixListIds") or [] if p.get("PrefixListId")),
        group_refs=tuple(groups),
    )


def _rules(perms: list[dict[str, Any]] | None, owner: str) -> tuple[SgRule, ...]:
    return tuple(_rule(p, owner) for p in perms or [])


def _interfaces_by_group(ctx: Ctx, ec2: Any) -> dict[str, list[str]] | None:
    """Security group id -> ids of the network interfaces using it; None when the listing failed."""
    out: dict[str, list[str]] = {}
    for eni in ctx.paginate(ec2, "describe_network_interfaces", "NetworkInterfaces", MaxResults=PAGE):
        for group in eni.get("Groups") or []:
            if group.get("GroupId"):
                out.setdefault(group["GroupId"], []).append(eni.get("NetworkInterfaceId", ""))
    return None if ctx.failed("ec2:DescribeNetworkInterfaces") else out


@collector(service="ec2", produces=[SecurityGroup],
           permissions=["ec2:DescribeSecurityGroups", "ec2:DescribeNetworkInterfaces"])
def collect_security_groups(ctx: Ctx) -> Iterator[SecurityGroup]:
    ec2 = ctx.client("ec2")
    groups = list(ctx.paginate(ec2, "describe_security_groups", "SecurityGroups", MaxResults=PAGE))
    interfaces = _interfaces_by_group(ctx, ec2) if groups else {}
    for g in groups:
        gid = g["GroupId"]
        owner = g.get("OwnerId") or ctx.account_id
        tags = tags_from(g.get("Tags"))
        yield SecurityGroup(
            arn=g.get("SecurityGroupArn") or ctx.arn("ec2", f"security-group/{gid}"),
            id=gid, account_id=ctx.account_id, region=ctx.region,
            name=tags.get("Name") or g.get("GroupName", ""), tags=tags,
            group_name=g.get("GroupName", ""), description=g.get("Description", ""),
            vpc_id=g.get("VpcId"), owner_id=owner,
            ingress=_rules(g.get("IpPermissions"), owner),
            egress=_rules(g.get("IpPermissionsEgress"), owner),
            network_interface_ids=None if interfaces is None else tuple(interfaces.get(gid, ())),
        )


def _entry(e: dict[str, Any]) -> NaclEntry:
    ports = e.get("PortRange") or {}
    return NaclEntry(
        rule_number=int(e.get("RuleNumber", 0)), egress=bool(e.get("Egress", False)),
        action=str(e.get("RuleAction", "")).lower(), protocol=str(e.get("Protocol", "-1")),
        cidr=e.get("CidrBlock"), ipv6_cidr=e.get("Ipv6CidrBlock"),
        from_port=ports.get("From"), to_port=ports.get("To"),
    )


@collector(service="ec2", produces=[NetworkAcl], permissions=["ec2:DescribeNetworkAcls"])
def collect_network_acls(ctx: Ctx) -> Iterator[NetworkAcl]:
    ec2 = ctx.client("ec2")
    for acl in ctx.paginate(ec2, "describe_network_acls", "NetworkAcls", MaxResults=NACL_PAGE):
        acl_id = acl["NetworkAclId"]
        tags = tags_from(acl.get("Tags"))
        yield NetworkAcl(
            arn=ctx.arn("ec2", f"network-acl/{acl_id}"), id=acl_id, account_id=ctx.account_id,
            region=ctx.region, name=tags.get("Name", ""), tags=tags, vpc_id=acl.get("VpcId", ""),
            is_default=bool(acl.get("IsDefault", False)), owner_id=acl.get("OwnerId") or ctx.account_id,
            subnet_ids=tuple(a["SubnetId"] for a in acl.get("Associations") or [] if a.get("SubnetId")),
            entries=tuple(_entry(e) for e in acl.get("Entries") or []),
        )


def _attached_vpcs(igw: dict[str, Any]) -> list[str]:
    return [a["VpcId"] for a in igw.get("Attachments") or []
            if a.get("VpcId") and str(a.get("State", "")).lower() in ATTACHED]


def _by_vpc(gateways: list[dict[str, Any]] | None) -> dict[str, list[str]] | None:
    """VPC id -> attached internet gateway ids; None when the listing failed."""
    if gateways is None:
        return None
    out: dict[str, list[str]] = {}
    for igw in gateways:
        for vpc in _attached_vpcs(igw):
            out.setdefault(vpc, []).append(igw["InternetGatewayId"])
    return out


def _internet_gateway(ctx: Ctx, igw: dict[str, Any]) -> InternetGateway:
    gid = igw["InternetGatewayId"]
    tags = tags_from(igw.get("Tags"))
    return InternetGateway(
        arn=ctx.arn("ec2", f"internet-gateway/{gid}"), id=gid, account_id=ctx.account_id, region=ctx.region,
        name=tags.get("Name", ""), tags=tags, owner_id=igw.get("OwnerId") or ctx.account_id,
        attached_vpc_ids=tuple(_attached_vpcs(igw)),
    )


def _active_flow_logs(ctx: Ctx, ec2: Any) -> dict[str, list[str]] | None:
    """Resource id -> ids of its ACTIVE flow logs; None when the listing failed."""
    out: dict[str, list[str]] = {}
    for fl in ctx.paginate(ec2, "describe_flow_logs", "FlowLogs", MaxResults=PAGE):
        if fl.get("ResourceId") and fl.get("FlowLogStatus") == "ACTIVE":
            out.setdefault(fl["ResourceId"], []).append(fl.get("FlowLogId", ""))
    return None if ctx.failed("ec2:DescribeFlowLogs") else out


@collector(
    service="ec2", produces=[Vpc, InternetGateway],
    permissions=["ec2:DescribeVpcs", "ec2:DescribeInternetGateways", "ec2:DescribeFlowLogs"],
)
def collect_vpcs(ctx: Ctx) -> Iterator[Vpc | InternetGateway]:
    ec2 = ctx.client("ec2")
    igws: list[dict[str, Any]] | None = list(
        ctx.paginate(ec2, "describe_internet_gateways", "InternetGateways", MaxResults=PAGE))
    if ctx.failed("ec2:DescribeInternetGateways"):
        igws = None
    for igw in igws or []:
        yield _internet_gateway(ctx, igw)
    vpcs = list(ctx.paginate(ec2, "describe_vpcs", "Vpcs", MaxResults=PAGE))
    if not vpcs:
        return  # no flow logs to attach
    gateways = _by_vpc(igws)
    flow_logs = _active_flow_logs(ctx, ec2)
    for v in vpcs:
        vpc_id = v["VpcId"]
        tags = tags_from(v.get("Tags"))
        attached = None if gateways is None else gateways.get(vpc_id, [])
        logs = None if flow_logs is None else flow_logs.get(vpc_id, [])
        yield Vpc(
            arn=ctx.arn("ec2", f"vpc/{vpc_id}"), id=vpc_id, account_id=ctx.account_id, region=ctx.region,
            name=tags.get("Name", ""), tags=tags, cidr_block=v.get("CidrBlock", ""),
            is_default=bool(v.get("IsDefault", False)), state=v.get("State", ""),
            owner_id=v.get("OwnerId") or ctx.account_id,
            has_internet_gateway=None if attached is None else bool(attached),
            internet_gateway_ids=tuple(attached or ()),
            flow_logs_active=None if logs is None else bool(logs),
            flow_log_ids=tuple(logs or ()),
        )


def _internet_routes(ctx: Ctx, ec2: Any) -> tuple[dict[str, bool], dict[str, bool]] | None:
    """(subnet id -> its table routes to an IGW, VPC id -> its main table does); None when the listing failed."""
    by_subnet: dict[str, bool] = {}
    by_vpc_main: dict[str, bool] = {}
    for table in ctx.paginate(ec2, "describe_route_tables", "RouteTables", MaxResults=100):
        public = any(
            str(r.get("GatewayId", "")).startswith("igw-") and r.get("State", "active") == "active"
            and (r.get("DestinationCidrBlock") == "0.0.0.0/0" or r.get("DestinationIpv6CidrBlock") == "::/0")
            for r in table.get("Routes") or [])
        for assoc in table.get("Associations") or []:
            if assoc.get("SubnetId"):
                by_subnet[assoc["SubnetId"]] = public
            elif assoc.get("Main") and table.get("VpcId"):
                by_vpc_main[table["VpcId"]] = public
    return None if ctx.failed("ec2:DescribeRouteTables") else (by_subnet, by_vpc_main)


@collector(service="ec2", produces=[Subnet], permissions=["ec2:DescribeSubnets", "ec2:DescribeRouteTables"])
def collect_subnets(ctx: Ctx) -> Iterator[Subnet]:
    ec2 = ctx.client("ec2")
    subnets = list(ctx.paginate(ec2, "describe_subnets", "Subnets", MaxResults=PAGE))
    routes = _internet_routes(ctx, ec2) if subnets else ({}, {})
    for sn in subnets:
        sid = sn["SubnetId"]
        internet = None if routes is None else routes[0].get(sid, routes[1].get(sn.get("VpcId", ""), False))
        tags = tags_from(sn.get("Tags"))
        yield Subnet(
            arn=sn.get("SubnetArn") or ctx.arn("ec2", f"subnet/{sid}"), id=sid, account_id=ctx.account_id,
            region=ctx.region, name=tags.get("Name", ""), tags=tags, vpc_id=sn.get("VpcId", ""),
            cidr_block=sn.get("CidrBlock", ""), availability_zone=sn.get("AvailabilityZone", ""),
            owner_id=sn.get("OwnerId") or ctx.account_id, default_for_az=bool(sn.get("DefaultForAz", False)),
            map_public_ip_on_launch=bool(sn.get("MapPublicIpOnLaunch", False)), internet_route=internet,
        )


@collector(service="ec2", produces=[ElasticIp], permissions=["ec2:DescribeAddresses"])
def collect_addresses(ctx: Ctx) -> Iterator[ElasticIp]:
    ec2 = ctx.client("ec2")
    response = ctx.call(ec2, "describe_addresses")  # not paginated: every address in one answer
    for a in (response or {}).get("Addresses", []):
        key = a.get("AllocationId") or a.get("PublicIp", "")
        tags = tags_from(a.get("Tags"))
        yield ElasticIp(
            arn=ctx.arn("ec2", f"elastic-ip/{key}"), id=key, account_id=ctx.account_id, region=ctx.region,
            name=tags.get("Name") or a.get("PublicIp", ""), tags=tags, public_ip=a.get("PublicIp", ""),
            domain=a.get("Domain", "vpc"), association_id=a.get("AssociationId") or None,
            instance_id=a.get("InstanceId") or None, network_interface_id=a.get("NetworkInterfaceId") or None,
        )


@collector(service="ec2", produces=[TransitGateway], permissions=["ec2:DescribeTransitGateways"])
def collect_transit_gateways(ctx: Ctx) -> Iterator[TransitGateway]:
    ec2 = ctx.client("ec2")
    for tgw in ctx.paginate(ec2, "describe_transit_gateways", "TransitGateways", MaxResults=PAGE):
        if tgw.get("State") in ("deleted", "deleting"):
            continue
        tid = tgw["TransitGatewayId"]
        tags = tags_from(tgw.get("Tags"))
        yield TransitGateway(
            arn=tgw.get("TransitGatewayArn") or ctx.arn("ec2", f"transit-gateway/{tid}"), id=tid,
            account_id=ctx.account_id, region=ctx.region, name=tags.get("Name", ""), tags=tags,
            state=tgw.get("State", ""), owner_id=tgw.get("OwnerId") or ctx.account_id,
            auto_accept_shared_attachments=(tgw.get("Options") or {}).get("AutoAcceptSharedAttachments", ""),
        )


@collector(service="ec2", produces=[ClientVpnEndpoint], permissions=["ec2:DescribeClientVpnEndpoints"])
def collect_client_vpn_endpoints(ctx: Ctx) -> Iterator[ClientVpnEndpoint]:
    ec2 = ctx.client("ec2")
    for ep in ctx.paginate(ec2, "describe_client_vpn_endpoints", "ClientVpnEndpoints", MaxResults=PAGE):
        status = (ep.get("Status") or {}).get("Code", "")
        if status in ("deleting", "deleted"):
            continue
        eid = ep["ClientVpnEndpointId"]
        tags = tags_from(ep.get("Tags"))
        logs = ep.get("ConnectionLogOptions") or {}
        yield ClientVpnEndpoint(
            arn=ctx.arn("ec2", f"client-vpn-endpoint/{eid}"), id=eid, account_id=ctx.account_id, region=ctx.region,
            name=tags.get("Name") or ep.get("Description", ""), tags=tags, status=status,
            description=ep.get("Description", ""), connection_logging=bool(logs.get("Enabled")),
            log_group=logs.get("CloudwatchLogGroup") or None,
        )
