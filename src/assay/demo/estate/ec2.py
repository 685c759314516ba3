"""Northwind's networks: a production VPC done right, a neglected staging VPC, an internal analytics VPC and
the default VPC AWS creates (moto creates it too, with a default security group and network ACL); and the
instances, launch templates, AMIs, Elastic IPs and transit gateways that live in them.

Names carry the verdict of the control each resource is there to show: VPCs for flow logs and Network
Firewall inspection, *-sg for the security group controls (default groups for ec2.default_sg_blocks_all),
*-acl for the network ACL controls, *-subnet for automatic public addresses. Everything is tagged at
creation, and the Network Firewalls live here too, because the control that looks for one is evaluated
on the VPC.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from assay.demo.estate import ClientFactory
from assay.demo.estate.backup import back_up
from assay.demo.estate.ebs import ensure_moto_ec2_reads

ANYWHERE_V4 = [{"CidrIp": "0.0.0.0/0"}]
ANYWHERE_V6 = [{"CidrIpv6": "::/0"}]
FLOW_LOG_ROLE = "arn:aws:iam::123456789012:role/northwind-vpc-flow-logs"
# moto has no CreateFirewallPolicy; CreateFirewall takes any policy ARN.
FIREWALL_POLICY = "arn:aws:network-firewall:{region}:123456789012:firewall-policy/northwind-egress"


def _tags(kind: str, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}, {"Key": "owner", "Value": "platform"}]}]


def _name(ec2: Any, resource_id: str, name: str) -> None:
    ec2.create_tags(Resources=[resource_id], Tags=[{"Key": "Name", "Value": name}])


def _tcp(port: int, last: int | None = None, v4: bool = True, v6: bool = False, **peers: Any) -> dict[str, Any]:
    perm: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": last or port}
    if v4:
        perm["IpRanges"] = ANYWHERE_V4
    if v6:
        perm["Ipv6Ranges"] = ANYWHERE_V6
    return {**perm, **peers}


def _group(ec2: Any, vpc: str, name: str, description: str, *perms: dict[str, Any]) -> str:
    gid: str = ec2.create_security_group(GroupName=name, Description=description, VpcId=vpc,
                                         TagSpecifications=_tags("security-group", name))["GroupId"]
    if perms:
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=list(perms))
    return gid


def _vpc(ec2: Any, name: str, cidr: str) -> str:
    vpc: str = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=_tags("vpc", name))["Vpc"]["VpcId"]
    return vpc


def _attach_igw(ec2: Any, vpc: str, name: str) -> str:
    # Named without a verdict: no VPC is authorised for internet access until Northwind lists them.
    label = name.split("-", 1)[1] if name.startswith(("pass-", "fail-", "skip-")) else name
    gw = ec2.create_internet_gateway(TagSpecifications=_tags("internet-gateway", f"{label}-igw"))
    gid: str = gw["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gid, VpcId=vpc)
    return gid


def _internet_route(ec2: Any, vpc: str, igw: str, subnet: str | None = None) -> None:
    """0.0.0.0/0 to the internet gateway: in the VPC's main route table, or in a new table for `subnet`."""
    if subnet is None:
        table = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                   {"Name": "association.main", "Values": ["true"]}])
        table_id = table["RouteTables"][0]["RouteTableId"]
    else:
        table_id = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet)
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)


def _defaults(ec2: Any, vpc: str) -> tuple[str, str]:
    """The default security group and default network ACL AWS (and moto) create with every VPC."""
    sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                               {"Name": "group-name", "Values": ["default"]}])
    acl = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                             {"Name": "default", "Values": ["true"]}])
    return sg["SecurityGroups"][0]["GroupId"], acl["NetworkAcls"][0]["NetworkAclId"]


def _close_default_group(ec2: Any, sg: str, name: str) -> None:
    ec2.revoke_security_group_egress(GroupId=sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": ANYWHERE_V4}])
    _name(ec2, sg, name)


def _flow_log(ec2: Any, vpc: str) -> None:
    ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL",
                         LogGroupName="/northwind/vpc-flow-logs", DeliverLogsPermissionArn=FLOW_LOG_ROLE)


def _acl(ec2: Any, vpc: str, name: str, subnets: list[str], entries: list[dict[str, Any]]) -> None:
    """A custom network ACL that takes over `subnets` from the VPC's default ACL."""
    acl = ec2.create_network_acl(VpcId=vpc, TagSpecifications=_tags("network-acl", name))["NetworkAcl"]["NetworkAclId"]
    for e in entries:
        ec2.create_network_acl_entry(NetworkAclId=acl, Egress=False, **e)
    ec2.create_network_acl_entry(NetworkAclId=acl, Egress=True, RuleNumber=100, Protocol="-1", RuleAction="allow",
                                 CidrBlock="0.0.0.0/0")
    current = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": subnets}])
    for assoc in (a for n in current["NetworkAcls"] for a in n["Associations"]):
        if assoc["SubnetId"] in subnets:
            ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"], NetworkAclId=acl)


def _deny(n: int, port: int, v6: bool = False) -> dict[str, Any]:
    source = {"Ipv6CidrBlock": "::/0"} if v6 else {"CidrBlock": "0.0.0.0/0"}
    return {"RuleNumber": n, "Protocol": "6", "RuleAction": "deny", "PortRange": {"From": port, "To": port}, **source}


def _allow(n: int, protocol: str = "-1", ports: tuple[int, int] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"RuleNumber": n, "Protocol": protocol, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}
    if ports:
        entry["PortRange"] = {"From": ports[0], "To": ports[1]}
    return entry


def default_vpc(ec2: Any) -> None:
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    _name(ec2, vpc, "fail-default-vpc")  # never cleaned up: no flow log, internet-facing, no firewall
    for sn in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]:
        _name(ec2, sn["SubnetId"], f"fail-default-subnet-{sn['AvailabilityZone'][-1]}")  # public IPs on launch
    # AWS gives every default VPC an internet gateway and a main route to it; moto does neither.
    _internet_route(ec2, vpc, _attach_igw(ec2, vpc, "default"))  # so every default subnet is public
    sg, acl = _defaults(ec2, vpc)
    _name(ec2, sg, "fail-default-vpc-sg")  # still allows all outbound traffic
    _name(ec2, acl, "fail-default-vpc-acl")  # allows everything in, and serves the default subnets


def _prod(ec2: Any, client: ClientFactory, region: str) -> None:
    vpc = _vpc(ec2, "pass-prod-vpc", "10.10.0.0/16")
    igw = _attach_igw(ec2, vpc, "pass-prod-vpc")
    _flow_log(ec2, vpc)
    sg, acl = _defaults(ec2, vpc)
    _close_default_group(ec2, sg, "pass-prod-default-sg")
    _name(ec2, acl, "skip-prod-default-acl")  # every subnet uses pass-prod-public-acl instead
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.10.0.0/24",
                               TagSpecifications=_tags("subnet", "pass-prod-public-subnet"))
    inspect = ec2.create_subnet(VpcId=vpc, CidrBlock="10.10.255.0/28",
                                TagSpecifications=_tags("subnet", "pass-prod-firewall-subnet"))
    subnets = [public["Subnet"]["SubnetId"], inspect["Subnet"]["SubnetId"]]
    _internet_route(ec2, vpc, igw, subnets[0])  # only the public tier routes to the internet
    _acl(ec2, vpc, "pass-prod-public-acl", subnets, [
        _deny(10, 22), _deny(11, 22, v6=True), _deny(20, 3389), _deny(21, 3389, v6=True),
        _allow(100, "6", (443, 443)), _allow(110, "6", (1024, 65535)),  # HTTPS and return traffic
    ])
    web = _group(ec2, vpc, "pass-web-sg", "Public HTTPS load balancer",
                 _tcp(443, v6=True), _tcp(80, v6=True))
    office = ec2.create_managed_prefix_list(PrefixListName="northwind-offices", MaxEntries=5, AddressFamily="IPv4",
                                            Entries=[{"Cidr": "203.0.113.0/24", "Description": "Lisbon office"}])
    app = _group(ec2, vpc, "pass-app-sg", "Application servers behind the load balancer",
           _tcp(8080, v4=False, UserIdGroupPairs=[{"GroupId": web}]),
           _tcp(22, v4=False, PrefixListIds=[{"PrefixListId": office["PrefixList"]["PrefixListId"]}]),
           _tcp(22, v4=False, IpRanges=[{"CidrIp": "10.0.0.0/8"}]))
    _group(ec2, vpc, "fail-bastion-ssh-sg", "Bastion host", _tcp(22))
    _group(ec2, vpc, "fail-support-rdp-sg", "Windows support desktop", _tcp(3389, v6=True))
    _group(ec2, vpc, "fail-reporting-db-sg", "Reporting database and cache",
           _tcp(5432), _tcp(6379, v4=False, v6=True), _tcp(9200))
    # A partner feed opened to the whole of a cloud provider's /16 instead of the partner's addresses.
    _group(ec2, vpc, "fail-partner-feed-sg", "Partner data feed", _tcp(443, v4=False,
                                                                    IpRanges=[{"CidrIp": "52.94.0.0/16"}]))
    wizard = ec2.create_security_group(GroupName="launch-wizard-1", VpcId=vpc,
                                       Description="launch-wizard-1 created 2024-03-02T10:11:12.000Z")["GroupId"]
    _name(ec2, wizard, "fail-launch-wizard-sg")
    nfw = client("network-firewall", region)
    fw = nfw.create_firewall(FirewallName="pass-prod-egress-fw", VpcId=vpc,
                             FirewallPolicyArn=FIREWALL_POLICY.format(region=region),
                             SubnetMappings=[{"SubnetId": subnets[1]}],
                             Tags=[{"Key": "owner", "Value": "platform"}])
    nfw.update_logging_configuration(FirewallArn=fw["Firewall"]["FirewallArn"], LoggingConfiguration={
        "LogDestinationConfigs": [{"LogType": "ALERT", "LogDestinationType": "CloudWatchLogs",
                                   "LogDestination": {"logGroup": "/northwind/network-firewall/alert"}}]})
    server = _compute(ec2, subnets[0], app)
    back_up(client, region, f"arn:aws:ec2:{region}:123456789012:instance/{server}")  # AWS Backup, besides snapshots
    _client_vpn(ec2)


def _client_vpn(ec2: Any) -> None:
    """Staff remote access is logged; the contractors' endpoint, set up in a hurry, is not."""
    cert = "arn:aws:acm:us-east-1:123456789012:certificate/northwind-vpn"
    auth = [{"Type": "certificate-authentication", "MutualAuthentication": {"ClientRootCertificateChainArn": cert}}]
    ec2.create_client_vpn_endpoint(
        ClientCidrBlock="10.200.0.0/22", ServerCertificateArn=cert, AuthenticationOptions=auth,
        Description="Staff remote access", TagSpecifications=_tags("client-vpn-endpoint", "pass-staff-vpn"),
        ConnectionLogOptions={"Enabled": True, "CloudwatchLogGroup": "/northwind/client-vpn"})
    ec2.create_client_vpn_endpoint(
        ClientCidrBlock="10.204.0.0/22", ServerCertificateArn=cert, AuthenticationOptions=auth,
        Description="Contractor access", TagSpecifications=_tags("client-vpn-endpoint", "fail-contractor-vpn"),
        ConnectionLogOptions={"Enabled": False})


def _staging(ec2: Any) -> None:
    vpc = _vpc(ec2, "fail-staging-vpc", "10.20.0.0/16")  # no flow log, no firewall
    _internet_route(ec2, vpc, _attach_igw(ec2, vpc, "fail-staging-vpc"))  # one flat, public subnet
    sg, acl = _defaults(ec2, vpc)
    _name(ec2, sg, "fail-staging-default-sg")
    _name(ec2, acl, "skip-staging-default-acl")
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.0.0/24",
                               TagSpecifications=_tags("subnet", "fail-staging-subnet"))
    ec2.modify_subnet_attribute(SubnetId=subnet["Subnet"]["SubnetId"], MapPublicIpOnLaunch={"Value": True})
    # The SSH deny was added after the allow-all and numbered behind it, so it never applies.
    _acl(ec2, vpc, "fail-staging-acl", [subnet["Subnet"]["SubnetId"]], [_allow(100), _deny(200, 22)])
    legacy = _group(ec2, vpc, "fail-legacy-open-sg", "Temporary: debugging staging",
                    {"IpProtocol": "-1", "IpRanges": ANYWHERE_V4})
    _legacy_compute(ec2, subnet["Subnet"]["SubnetId"], legacy)


def _analytics(ec2: Any, client: ClientFactory, region: str) -> None:
    vpc = _vpc(ec2, "skip-analytics-vpc", "10.30.0.0/16")  # private: no internet gateway, flow logs on
    _flow_log(ec2, vpc)
    sg, acl = _defaults(ec2, vpc)
    _close_default_group(ec2, sg, "pass-analytics-default-sg")
    _name(ec2, acl, "skip-analytics-default-acl")
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.0.0/28",
                               TagSpecifications=_tags("subnet", "pass-analytics-inspection-subnet"))
    # Internal traffic only, so the VPC's default ACL keeps serving no subnet.
    _acl(ec2, vpc, "pass-analytics-acl", [subnet["Subnet"]["SubnetId"]],
         [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "10.0.0.0/8"}])
    # An inspection firewall trialled here and never given a log destination.
    client("network-firewall", region).create_firewall(
        FirewallName="fail-analytics-unlogged-fw", FirewallPolicyArn=FIREWALL_POLICY.format(region=region),
        VpcId=vpc, SubnetMappings=[{"SubnetId": subnet["Subnet"]["SubnetId"]}])
    # The hub for the analytics network: attachments need approval. A second one, set up for a
    # partner, accepts whatever the partner attaches.
    ec2.create_transit_gateway(Description="Analytics hub", Options={"AutoAcceptSharedAttachments": "disable"},
                               TagSpecifications=_tags("transit-gateway", "pass-analytics-hub-tgw"))
    ec2.create_transit_gateway(Description="Partner exchange", Options={"AutoAcceptSharedAttachments": "enable"},
                               TagSpecifications=_tags("transit-gateway", "fail-partner-exchange-tgw"))


AMI = "ami-12c6146b"  # one of the images moto knows


def _volumes(ec2: Any, instance_id: str) -> list[str]:
    found = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [instance_id]}])
    return [v["VolumeId"] for v in found["Volumes"]]


def _compute(ec2: Any, subnet: str, sg: str) -> str:
    """The production app server, built the way the platform team's template says, and its backups; its id."""
    template = ec2.create_launch_template(
        LaunchTemplateName="pass-app-template", TagSpecifications=_tags("launch-template", "pass-app-template"),
        LaunchTemplateData={"InstanceType": "m5.large", "ImageId": AMI, "MetadataOptions": {"HttpTokens": "required"},
                            "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": False}]},
    )["LaunchTemplate"]
    app = ec2.run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="m5.large", SubnetId=subnet, SecurityGroupIds=[sg],
        Monitoring={"Enabled": True}, MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"]},
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 30, "Encrypted": True}}],
        TagSpecifications=_tags("instance", "pass-app-server") + _tags("volume", "pass-app-server-volume"),
    )["Instances"][0]["InstanceId"]
    for volume in _volumes(ec2, app):
        ec2.create_snapshot(VolumeId=volume, Description="nightly",
                            TagSpecifications=_tags("snapshot", "pass-app-server-nightly-snapshot"))
    ec2.allocate_address(Domain="vpc", TagSpecifications=_tags("elastic-ip", "fail-unused-eip"))
    return str(app)


def _name_image_snapshots(ec2: Any, image_id: str, name: str) -> None:
    """moto (like AWS) snapshots the instance's volumes for a new AMI; name them too."""
    for mapping in ec2.describe_images(ImageIds=[image_id])["Images"][0].get("BlockDeviceMappings", []):
        if mapping.get("Ebs", {}).get("SnapshotId"):
            _name(ec2, mapping["Ebs"]["SnapshotId"], name)


def _legacy_compute(ec2: Any, subnet: str, sg: str) -> None:
    """A reporting box from before the platform standards, and a stopped ETL host nobody remembers."""
    ec2.create_launch_template(
        LaunchTemplateName="fail-reporting-template",
        TagSpecifications=_tags("launch-template", "fail-reporting-template"),
        LaunchTemplateData={"InstanceType": "m3.xlarge", "ImageId": AMI,
                            "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": True}]},
    )
    legacy = ec2.run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="m3.xlarge", SubnetId=subnet, SecurityGroupIds=[sg],
        MetadataOptions={"HttpTokens": "optional"}, EbsOptimized=False,
        TagSpecifications=_tags("instance", "fail-legacy-reporting") + _tags("volume", "fail-legacy-reporting-volume"),
    )["Instances"][0]["InstanceId"]
    image = ec2.create_image(InstanceId=legacy, Name="reporting-golden",
                             TagSpecifications=_tags("image", "fail-public-reporting-ami"))
    ec2.modify_image_attribute(ImageId=image["ImageId"], LaunchPermission={"Add": [{"Group": "all"}]})
    _name_image_snapshots(ec2, image["ImageId"], "fail-reporting-ami-snapshot")
    eip = ec2.allocate_address(Domain="vpc", TagSpecifications=_tags("elastic-ip", "pass-reporting-eip"))
    ec2.associate_address(AllocationId=eip["AllocationId"], InstanceId=legacy)
    etl = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="t2.micro", SubnetId=subnet,
                            TagSpecifications=_tags("instance", "fail-forgotten-etl")
                            + _tags("volume", "fail-forgotten-etl-volume"))["Instances"][0]["InstanceId"]
    ec2.stop_instances(InstanceIds=[etl])
    _backdate_stop(ec2, etl, days=120)
    # Its image was kept private; the snapshot behind it inherits the volume's lack of encryption.
    image = ec2.create_image(InstanceId=etl, Name="etl-archive", TagSpecifications=_tags("image", "pass-etl-ami"))
    _name_image_snapshots(ec2, image["ImageId"], "fail-etl-ami-snapshot")


def _backdate_stop(ec2: Any, instance_id: str, days: int) -> None:
    """moto records a stop as happening now and has no API to age it: set the reason in its backend."""
    from moto.core.utils import utcnow
    from moto.ec2.models import ec2_backends

    backend = ec2_backends["123456789012"][ec2.meta.region_name]
    when = utcnow() - timedelta(days=days)
    backend.get_instance(instance_id)._reason = f"User initiated ({when:%Y-%m-%d %H:%M:%S} UTC)"


def seed(client: ClientFactory, regions: list[str]) -> None:
    ensure_moto_ec2_reads()  # Client VPN endpoints and snapshot reads moto lacks
    for region in regions:
        ec2 = client("ec2", region)
        default_vpc(ec2)
        _prod(ec2, client, region)
        _staging(ec2)
        _analytics(ec2, client, region)
