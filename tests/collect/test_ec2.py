"""EC2 collectors against moto's server, and ERROR (never PASS or FAIL) when a read is denied.

moto creates a default VPC (with a default security group, default network ACL and default subnets) in
every region; the fixtures name it so that it can be asserted on like everything else. moto lacks the
snapshot filters and block-public-access read that the EBS collector uses: the demo's shim provides them.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.aws.ec2 import collect_security_groups, collect_vpcs
from assay.collect.calls import Ctx
from assay.collect.registry import collectors_by_service
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate.ebs import ensure_moto_ec2_reads
from assay.faults import deny
from assay.models.resources.ec2 import (
    ElasticIp,
    Image,
    Instance,
    InternetGateway,
    LaunchTemplate,
    NetworkAcl,
    SecurityGroup,
    Subnet,
    TransitGateway,
    Vpc,
)
from tests.helpers import by_name, evaluate, findings_of, scan

EC2_CONTROLS = [c for c in load_controls() if c.startswith("ec2.")]
AMI = "ami-12c6146b"


@pytest.fixture(autouse=True)
def _moto_reads_snapshots_like_aws() -> None:
    ensure_moto_ec2_reads()


def _name(ec2: Any, resource_id: str, name: str) -> None:
    ec2.create_tags(Resources=[resource_id], Tags=[{"Key": "Name", "Value": name}])


def _group(ec2: Any, vpc_id: str, name: str, *perms: dict[str, Any]) -> str:
    gid: str = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc_id)["GroupId"]
    if perms:
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=list(perms))
    return gid


def _default_group(ec2: Any, vpc_id: str) -> str:
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                                   {"Name": "group-name", "Values": ["default"]}])
    return str(groups["SecurityGroups"][0]["GroupId"])


def _default_acl(ec2: Any, vpc_id: str) -> str:
    acls = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                              {"Name": "default", "Values": ["true"]}])
    return str(acls["NetworkAcls"][0]["NetworkAclId"])


def tcp(port: int, cidr: str = "0.0.0.0/0", last: int | None = None) -> dict[str, Any]:
    ranges = {"Ipv6Ranges": [{"CidrIpv6": cidr}]} if ":" in cidr else {"IpRanges": [{"CidrIp": cidr}]}
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": last or port, **ranges}


def _estate(seed: Any) -> dict[str, str]:
    ec2 = seed("ec2")
    ids: dict[str, str] = {}
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    _name(ec2, default_vpc, "default-vpc")
    _name(ec2, _default_group(ec2, default_vpc), "default-vpc-default-sg")  # moto: all egress allowed
    _name(ec2, _default_acl(ec2, default_vpc), "default-vpc-acl")  # allows everything, used by 3 subnets

    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ids["vpc"] = vpc
    _name(ec2, vpc, "prod-vpc")
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ids["igw"] = igw
    spare = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    _name(ec2, spare, "spare-igw")  # never attached
    flow = ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogGroupName="flows",
                                DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flow-logs")
    ids["flow"] = flow["FlowLogIds"][0]
    closed = _default_group(ec2, vpc)
    ec2.revoke_security_group_egress(GroupId=closed, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    _name(ec2, closed, "prod-default-sg")

    _group(ec2, vpc, "web", tcp(443), tcp(443, "::/0"), tcp(80))
    ids["bastion"] = _group(ec2, vpc, "bastion", tcp(22))
    _group(ec2, vpc, "jumpbox", tcp(3389, "::/0"))
    _group(ec2, vpc, "databases", tcp(3306), tcp(6379, "::/0"), tcp(22, "10.0.0.0/8"))
    _group(ec2, vpc, "legacy", {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]})
    _group(ec2, vpc, "wide", tcp(0, last=65535))

    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    guarded = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    _name(ec2, guarded, "guarded-acl")
    for n, port in ((50, 22), (60, 3389)):
        ec2.create_network_acl_entry(NetworkAclId=guarded, RuleNumber=n, Protocol="6", RuleAction="deny",
                                     Egress=False, CidrBlock="0.0.0.0/0", PortRange={"From": port, "To": port})
    ec2.create_network_acl_entry(NetworkAclId=guarded, RuleNumber=100, Protocol="-1", RuleAction="allow",
                                 Egress=False, CidrBlock="0.0.0.0/0")
    assoc = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [subnet]}])
    assoc_id = next(a["NetworkAclAssociationId"] for a in assoc["NetworkAcls"][0]["Associations"]
                    if a["SubnetId"] == subnet)
    ec2.replace_network_acl_association(AssociationId=assoc_id, NetworkAclId=guarded)
    _name(ec2, _default_acl(ec2, vpc), "prod-default-acl")  # its only subnet moved to guarded-acl

    internal = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    _name(ec2, internal, "internal-vpc")
    _name(ec2, _default_group(ec2, internal), "internal-default-sg")
    _name(ec2, _default_acl(ec2, internal), "internal-default-acl")
    _name(ec2, subnet, "app-subnet")
    web = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    _name(ec2, web, "web-subnet")
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=table, SubnetId=web)
    assoc = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [web]}])
    web_assoc = next(a["NetworkAclAssociationId"] for a in assoc["NetworkAcls"][0]["Associations"]
                     if a["SubnetId"] == web)
    ec2.replace_network_acl_association(AssociationId=web_assoc, NetworkAclId=guarded)
    ids.update(_compute(ec2, subnet, ids["bastion"]))
    return ids


def _tag(name: str, kind: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


def _compute(ec2: Any, subnet: str, sg: str) -> dict[str, str]:
    """An instance of each kind, a public AMI, launch templates, Elastic IPs, transit gateways, a snapshot."""
    good = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="m5.large", SubnetId=subnet,
                             SecurityGroupIds=[sg], Monitoring={"Enabled": True},
                             MetadataOptions={"HttpTokens": "required"}, TagSpecifications=_tag("good-vm", "instance"))
    old = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="m3.xlarge",
                            TagSpecifications=_tag("old-vm", "instance"))
    old_id = old["Instances"][0]["InstanceId"]
    image = ec2.create_image(InstanceId=old_id, Name="golden", TagSpecifications=_tag("public-ami", "image"))
    ec2.modify_image_attribute(ImageId=image["ImageId"], LaunchPermission={"Add": [{"Group": "all"}]})
    ec2.create_launch_template(LaunchTemplateName="private-lt", LaunchTemplateData={"ImageId": AMI})
    ec2.create_launch_template(LaunchTemplateName="public-lt", LaunchTemplateData={
        "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": True}]})
    used = ec2.allocate_address(Domain="vpc", TagSpecifications=_tag("used-eip", "elastic-ip"))
    ec2.associate_address(AllocationId=used["AllocationId"], InstanceId=old_id)
    ec2.allocate_address(Domain="vpc", TagSpecifications=_tag("idle-eip", "elastic-ip"))
    ec2.create_transit_gateway(Options={"AutoAcceptSharedAttachments": "disable"},
                               TagSpecifications=_tag("closed-tgw", "transit-gateway"))
    ec2.create_transit_gateway(Options={"AutoAcceptSharedAttachments": "enable"},
                               TagSpecifications=_tag("open-tgw", "transit-gateway"))
    auth = [{"Type": "certificate-authentication", "MutualAuthentication": {"ClientRootCertificateChainArn": "arn:c"}}]
    for name, logged in (("logged-vpn", True), ("silent-vpn", False)):
        ec2.create_client_vpn_endpoint(ClientCidrBlock="10.100.0.0/22", ServerCertificateArn="arn:s",
                                       AuthenticationOptions=auth, TagSpecifications=_tag(name, "client-vpn-endpoint"),
                                       ConnectionLogOptions={"Enabled": logged, **({"CloudwatchLogGroup": "/vpn"}
                                                                                   if logged else {})})
    volume = ec2.create_volume(Size=5, AvailabilityZone="us-east-1a", TagSpecifications=_tag("spare-vol", "volume"))
    snap = ec2.create_snapshot(VolumeId=volume["VolumeId"], TagSpecifications=_tag("spare-snap", "snapshot"))
    return {"good": good["Instances"][0]["InstanceId"], "old": old_id, "image": image["ImageId"],
            "snapshot": snap["SnapshotId"]}


def test_collects_network_resources(access: Any, seed: Any) -> None:
    ids = _estate(seed)
    inv = scan(access, ["ec2"])
    assert inv.complete
    vpcs = {v.name: v for v in inv.of(Vpc)}
    assert set(vpcs) == {"default-vpc", "prod-vpc", "internal-vpc"}
    prod = vpcs["prod-vpc"]
    assert (prod.is_default, prod.has_internet_gateway, prod.internet_gateway_ids) == (False, True, (ids["igw"],))
    assert (prod.flow_logs_active, prod.flow_log_ids) == (True, (ids["flow"],))
    assert vpcs["default-vpc"].is_default and vpcs["internal-vpc"].flow_logs_active is False
    assert vpcs["internal-vpc"].has_internet_gateway is False
    bastion = next(g for g in inv.of(SecurityGroup) if g.id == ids["bastion"])
    assert bastion.vpc_id == ids["vpc"] and bastion.group_name == "bastion"
    assert [(r.protocol, r.from_port, r.to_port, r.ipv4_ranges) for r in bastion.ingress] == [
        ("tcp", 22, 22, ("0.0.0.0/0",))]
    assert bastion.arn == f"arn:aws:ec2:us-east-1:123456789012:security-group/{ids['bastion']}"
    guarded = next(a for a in inv.of(NetworkAcl) if a.name == "guarded-acl")
    assert len(guarded.subnet_ids) == 2 and not guarded.is_default  # app-subnet and web-subnet
    assert [(e.rule_number, e.action, e.protocol, e.from_port) for e in guarded.entries if not e.egress][:3] == [
        (50, "deny", "6", 22), (60, "deny", "6", 3389), (100, "allow", "-1", None)]
    assert bastion.network_interface_ids is not None and len(bastion.network_interface_ids) == 1  # good-vm


def test_collects_subnets_addresses_gateways(access: Any, seed: Any) -> None:
    ids = _estate(seed)
    inv = scan(access, ["ec2"])
    subnets = {s.name or s.id: s for s in inv.of(Subnet)}
    app = subnets["app-subnet"]
    assert (app.vpc_id, app.cidr_block, app.map_public_ip_on_launch, app.default_for_az) == (
        ids["vpc"], "10.0.1.0/24", False, False)
    assert (app.internet_route, subnets["web-subnet"].internet_route) == (False, True)
    gateways = {g.name or g.id: g.attached_vpc_ids for g in inv.of(InternetGateway)}
    assert gateways == {ids["igw"]: (ids["vpc"],), "spare-igw": ()}
    assert sum(s.default_for_az and s.map_public_ip_on_launch for s in subnets.values()) == 6
    eips = {e.name: e for e in inv.of(ElasticIp)}
    assert eips["used-eip"].instance_id == ids["old"] and eips["used-eip"].association_id
    assert (eips["idle-eip"].association_id, eips["idle-eip"].instance_id) == (None, None)
    tgws = {t.name: t.auto_accept_shared_attachments for t in inv.of(TransitGateway)}
    assert tgws == {"closed-tgw": "disable", "open-tgw": "enable"}


def test_collects_instances_templates_and_images(access: Any, seed: Any) -> None:
    ids = _estate(seed)
    inv = scan(access, ["ec2"])
    assert inv.complete
    vms = {i.name: i for i in inv.of(Instance)}
    good, old = vms["good-vm"], vms["old-vm"]
    assert (good.id, good.state, good.metadata_http_tokens, good.monitoring, good.public_ip) == (
        ids["good"], "running", "required", "enabled", None)
    assert (good.ebs_optimized_support, good.security_group_ids, len(good.volume_ids)) == (
        "default", (ids["bastion"],), 1)
    assert (old.metadata_http_tokens, old.monitoring, old.ebs_optimized_support) == (
        "optional", "disabled", "supported")
    assert old.public_ip  # launched in a default subnet
    templates = {t.name: t for t in inv.of(LaunchTemplate)}
    assert [(v.number, v.is_default, v.is_latest, v.public_ip_interfaces) for v in templates["public-lt"].versions] == [
        (1, True, True, (0,))]
    assert templates["private-lt"].versions[0].public_ip_interfaces == ()
    [image] = inv.of(Image)
    assert (image.id, image.name, image.public) == (ids["image"], "public-ami", True)
    assert image.arn == f"arn:aws:ec2:us-east-1::image/{ids['image']}"


def test_instance_and_network_verdicts(access: Any, seed: Any) -> None:
    ids = _estate(seed)
    ev = evaluate(scan(access, ["ec2"]))
    for control, good, old in (("ec2.instance_imdsv2_required", "pass", "fail"),
                               ("ec2.instance_no_public_ip", "pass", "fail"),
                               ("ec2.instance_detailed_monitoring", "pass", "fail"),
                               ("ec2.instance_ebs_optimized", "pass", "fail"),
                               ("ec2.instance_in_vpc", "pass", "pass"),
                               ("ec2.instance_not_stopped_long", "pass", "pass")):
        assert by_name(ev, control) == {"good-vm": good, "old-vm": old}, control
    assert by_name(ev, "ec2.launch_template_no_public_ip") == {"private-lt": "pass", "public-lt": "fail"}
    assert by_name(ev, "ec2.ami_not_public") == {"public-ami": "fail"}
    assert by_name(ev, "ec2.eip_attached") == {"used-eip": "pass", "idle-eip": "fail"}
    assert by_name(ev, "ec2.transit_gateway_auto_accept_disabled") == {"closed-tgw": "pass", "open-tgw": "fail"}
    subnets = by_name(ev, "ec2.subnet_no_auto_public_ip")
    assert subnets["app-subnet"] == "pass" and list(subnets.values()).count("fail") == 6  # the default subnets
    attached = by_name(ev, "ec2.sg_attached_to_interface")
    assert (attached["bastion"], attached["web"], attached["prod-default-sg"]) == ("pass", "fail", "skip")
    assert by_name(ev, "ec2.sg_public_ingress_only_authorized_ports")["web"] == "pass"
    assert by_name(ev, "ec2.sg_public_ingress_only_authorized_ports")["bastion"] == "fail"
    assert by_name(ev, "ec2.nacl_no_public_all_traffic") == {"default-vpc-acl": "fail", "guarded-acl": "fail",
                                                             "prod-default-acl": "skip", "internal-default-acl": "skip"}
    gateways = by_name(ev, "ec2.igw_attached_to_authorized_vpc")
    assert gateways == {ids["igw"]: "fail", "spare-igw": "skip"}  # no VPC authorised by default
    assert by_name(ev, "ec2.vpc_has_public_and_private_subnets") == {
        "prod-vpc": "pass", "default-vpc": "skip", "internal-vpc": "skip"}
    exposed = {f.resource_name: (f.status.value, f.message)
               for f in findings_of(ev, "ec2.instance_service_ports_not_public")}
    assert exposed["good-vm"] == ("fail", "open to the internet (no public IP yet, exposed once one is assigned): "
                                          "SSH 22/tcp via bastion")
    assert exposed["old-vm"][0] == "skip"  # moto reports no group for an instance launched without one
    assert set(by_name(ev, "ec2.enclave_host_running").values()) == {"skip"}  # moto has no enclave options
    assert by_name(ev, "ec2.client_vpn_connection_logging_enabled") == {"logged-vpn": "pass", "silent-vpn": "fail"}


def test_security_group_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["ec2"]))
    ssh = by_name(ev, "ec2.sg_no_public_ssh")
    assert {k: v for k, v in ssh.items() if v == "fail"} == {"bastion": "fail", "legacy": "fail", "wide": "fail"}
    assert ssh["databases"] == ssh["web"] == ssh["prod-default-sg"] == "pass"
    rdp = by_name(ev, "ec2.sg_no_public_rdp")
    assert {k for k, v in rdp.items() if v == "fail"} == {"jumpbox", "legacy", "wide"}
    admin = by_name(ev, "ec2.sg_no_public_admin_ports")
    assert {k for k, v in admin.items() if v == "fail"} == {"databases", "legacy", "wide"}
    message = next(f.message for f in findings_of(ev, "ec2.sg_no_public_admin_ports") if f.resource_name == "databases")
    assert message == "open to the internet: MySQL 3306/tcp from 0.0.0.0/0; Redis 6379/tcp from ::/0"
    every = by_name(ev, "ec2.sg_no_public_all_traffic")
    assert {k for k, v in every.items() if v == "fail"} == {"legacy", "wide"}
    assert every["bastion"] == "pass"


def test_default_group_acl_and_flow_log_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["ec2"]))
    default_sg = by_name(ev, "ec2.default_sg_blocks_all")
    assert {k: v for k, v in default_sg.items() if v != "skip"} == {
        "default-vpc-default-sg": "fail", "internal-default-sg": "fail", "prod-default-sg": "pass"}
    assert default_sg["bastion"] == "skip"
    for control in ("ec2.nacl_no_public_ssh", "ec2.nacl_no_public_rdp"):
        assert by_name(ev, control) == {"default-vpc-acl": "fail", "guarded-acl": "pass",
                                        "prod-default-acl": "skip", "internal-default-acl": "skip"}
    assert by_name(ev, "ec2.vpc_flow_logs_enabled") == {
        "default-vpc": "fail", "prod-vpc": "pass", "internal-vpc": "fail"}


def _ec2_actions() -> list[str]:
    return sorted({p for spec in collectors_by_service()["ec2"] for p in spec.permissions})


def test_every_read_is_covered_by_a_denial_case() -> None:
    assert _ec2_actions() == [
        "ec2:DescribeAddresses", "ec2:DescribeClientVpnEndpoints", "ec2:DescribeFlowLogs", "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeInstances", "ec2:DescribeInternetGateways", "ec2:DescribeLaunchTemplateVersions",
        "ec2:DescribeNetworkAcls", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSnapshots", "ec2:DescribeSubnets", "ec2:DescribeTransitGateways", "ec2:DescribeVolumes",
        "ec2:DescribeVpcs", "ec2:GetEbsEncryptionByDefault", "ec2:GetSnapshotBlockPublicAccessState"]


@pytest.mark.parametrize("action", _ec2_actions())
def test_denied_read_is_error_never_pass_or_fail(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action})))
    ev = evaluate(scan(access, ["ec2", "network-firewall"]))
    controls = load_controls()
    scanned = {p for svc in ("ec2", "network-firewall") for spec in collectors_by_service()[svc]
               for p in spec.permissions}
    # controls that also read services this test does not collect are "not collected" errors anyway
    affected = [cid for cid, c in controls.items() if action in c.needs and set(c.needs) <= scanned]
    assert affected, f"no control needs {action}"
    for cid in affected:
        found = findings_of(ev, cid)
        assert found, f"{cid} produced no finding with {action} denied"
        assert {f.status.value for f in found} == {"error"}, (cid, by_name(ev, cid))
        assert all(action in f.message for f in found)
    # controls that do not depend on the denied read are still evaluated
    for cid in EC2_CONTROLS:
        if cid not in affected and set(controls[cid].needs) <= scanned:
            assert "error" not in {f.status.value for f in findings_of(ev, cid)}, cid
    assert not ev.inventory.complete


# -- pagination (moto ignores MaxResults for EC2, so botocore's Stubber plays AWS) ---------------

def _stub_ctx() -> tuple[Any, Ctx]:
    access = AwsAccess(endpoint_url="http://127.0.0.1:9", home_region="us-east-1", access_key="x", secret_key="y")
    return access.client("ec2", "us-east-1"), Ctx(access, "123456789012", "us-east-1", "ec2", "aws")


def _group_page(gid: str) -> dict[str, Any]:
    return {"GroupId": gid, "GroupName": gid, "OwnerId": "123456789012", "VpcId": "vpc-1",
            "IpPermissions": [tcp(22)], "IpPermissionsEgress": []}


def test_security_groups_follow_every_page() -> None:
    client, ctx = _stub_ctx()
    with Stubber(client) as stub:
        stub.add_response("describe_security_groups", {"SecurityGroups": [_group_page("sg-1")], "NextToken": "t2"},
                          {"MaxResults": 1000})
        stub.add_response("describe_security_groups", {"SecurityGroups": [_group_page("sg-2")]},
                          {"MaxResults": 1000, "NextToken": "t2"})
        stub.add_response("describe_network_interfaces", {"NetworkInterfaces": [
            {"NetworkInterfaceId": "eni-1", "Groups": [{"GroupId": "sg-2"}]}]}, {"MaxResults": 1000})
        groups = list(collect_security_groups(ctx))
    assert [g.id for g in groups] == ["sg-1", "sg-2"] and not ctx.errors
    assert [g.network_interface_ids for g in groups if isinstance(g, SecurityGroup)] == [(), ("eni-1",)]


def test_flow_log_listing_failing_on_a_later_page_leaves_flow_logs_unknown() -> None:
    client, ctx = _stub_ctx()
    vpc = {"VpcId": "vpc-1", "OwnerId": "123456789012", "CidrBlock": "10.0.0.0/16", "IsDefault": False}
    with Stubber(client) as stub:
        stub.add_response("describe_internet_gateways", {"InternetGateways": []}, {"MaxResults": 1000})
        stub.add_response("describe_vpcs", {"Vpcs": [vpc]}, {"MaxResults": 1000})
        stub.add_response("describe_flow_logs", {"FlowLogs": [], "NextToken": "t2"}, {"MaxResults": 1000})
        stub.add_client_error("describe_flow_logs", service_error_code="UnauthorizedOperation", http_status_code=403)
        [v] = [r for r in collect_vpcs(ctx) if isinstance(r, Vpc)]
    assert isinstance(v, Vpc)
    # the first page said nothing about vpc-1, but the second might have: unknown, never "no flow log"
    assert (v.flow_logs_active, v.has_internet_gateway) == (None, False)
    assert [e.operation for e in ctx.errors] == ["ec2:DescribeFlowLogs"]
