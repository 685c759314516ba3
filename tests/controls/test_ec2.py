"""EC2 controls: pure functions over security groups, network ACLs, VPCs, subnets, Elastic IPs, transit
gateways, instances, launch templates and AMIs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from assay.controls import ec2, ec2_backup, ec2_instances, ec2_network
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.ec2 import (
    ClientVpnEndpoint,
    ElasticIp,
    Image,
    Instance,
    InternetGateway,
    LaunchTemplate,
    LaunchTemplateVersion,
    NaclEntry,
    NetworkAcl,
    SecurityGroup,
    SgRule,
    Subnet,
    TransitGateway,
    Vpc,
)
from tests.controls.backup_cover import covered

ACCOUNT = "123456789012"


def sg(*ingress: SgRule, egress: tuple[SgRule, ...] = (), name: str = "web") -> SecurityGroup:
    return SecurityGroup(
        arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/sg-1", id="sg-1", account_id=ACCOUNT,
        region="us-east-1", group_name=name, vpc_id="vpc-1", owner_id=ACCOUNT, ingress=ingress, egress=egress,
    )


def rule(protocol: str = "tcp", ports: tuple[int, int] | None = (22, 22), v4: tuple[str, ...] = ("0.0.0.0/0",),
         v6: tuple[str, ...] = (), **over: Any) -> SgRule:
    first, last = ports if ports else (None, None)
    return SgRule(protocol=protocol, from_port=first, to_port=last, ipv4_ranges=v4, ipv6_ranges=v6, **over)


# -- SSH / RDP ---------------------------------------------------------------------------------

def test_ssh_open_to_ipv4_or_ipv6_internet_fails() -> None:
    out = ec2.sg_no_public_ssh(sg(rule()))
    assert out.status is Status.FAIL
    assert out.message == "SSH (TCP 22) is open to the internet: rule 'tcp 22' from 0.0.0.0/0"
    out = ec2.sg_no_public_ssh(sg(rule(v4=(), v6=("::/0",))))
    assert out.status is Status.FAIL and "from ::/0" in out.message


def test_ssh_covered_by_range_or_all_protocols_fails() -> None:
    assert ec2.sg_no_public_ssh(sg(rule(ports=(0, 1024)))).status is Status.FAIL
    out = ec2.sg_no_public_ssh(sg(rule("-1", None)))
    assert out.status is Status.FAIL and "rule 'all traffic'" in out.message
    assert ec2.sg_no_public_ssh(sg(rule("6", (22, 22)))).status is Status.FAIL  # protocol by number


def test_ssh_passes_when_narrow_source_other_port_or_udp() -> None:
    assert ec2.sg_no_public_ssh(sg(rule(v4=("10.0.0.0/8",)))).status is Status.PASS
    assert ec2.sg_no_public_ssh(sg(rule(ports=(443, 443)))).status is Status.PASS
    assert ec2.sg_no_public_ssh(sg(rule("udp", (22, 22)))).status is Status.PASS
    assert ec2.sg_no_public_ssh(sg(rule(v4=(), prefix_list_ids=("pl-1",)))).status is Status.PASS
    assert ec2.sg_no_public_ssh(sg(rule(v4=(), group_refs=("sg-2",)))).status is Status.PASS
    assert ec2.sg_no_public_ssh(sg()).status is Status.PASS


def test_rdp_tcp_and_udp() -> None:
    assert ec2.sg_no_public_rdp(sg(rule(ports=(3389, 3389)))).status is Status.FAIL
    out = ec2.sg_no_public_rdp(sg(rule("udp", (3389, 3389), v4=(), v6=("::/0",))))
    assert out.status is Status.FAIL and "rule 'udp 3389' from ::/0" in out.message
    assert ec2.sg_no_public_rdp(sg(rule("-1", None))).status is Status.FAIL
    assert ec2.sg_no_public_rdp(sg(rule(ports=(22, 22)))).status is Status.PASS
    assert ec2.sg_no_public_rdp(sg(rule(ports=(3389, 3389), v4=("192.0.2.0/24",)))).status is Status.PASS


# -- administration / database ports ----------------------------------------------------------

def test_admin_ports_message_names_every_exposed_service() -> None:
    group = sg(rule(ports=(3306, 3306)), rule(ports=(6379, 6379), v4=(), v6=("::/0",)),
               rule("udp", (11211, 11211)))
    out = ec2.sg_no_public_admin_ports(group)
    assert out.status is Status.FAIL
    assert out.message == ("open to the internet: MySQL 3306/tcp from 0.0.0.0/0; Redis 6379/tcp from ::/0; "
                           "Memcached 11211/udp from 0.0.0.0/0")


def test_admin_ports_range_overlap_and_all_traffic() -> None:
    out = ec2.sg_no_public_admin_ports(sg(rule(ports=(5400, 5450))))
    assert out.status is Status.FAIL and out.message.endswith("PostgreSQL 5432/tcp from 0.0.0.0/0")
    out = ec2.sg_no_public_admin_ports(sg(rule("-1", None, v6=("::/0",))))
    assert out.status is Status.FAIL
    for service in ("FTP 20-21/tcp", "Telnet 23/tcp", "SMB 445/tcp", "MongoDB 27017-27018/tcp", "WinRM 5985-5986/tcp",
                    "Kubernetes API server 6443/tcp", "etcd 2379-2380/tcp", "VNC 5900/tcp"):
        assert f"{service} from 0.0.0.0/0, ::/0" in out.message


def test_admin_ports_pass_for_web_ports_ssh_and_private_sources() -> None:
    group = sg(rule(ports=(443, 443)), rule(ports=(80, 80)), rule(ports=(22, 22)),
               rule(ports=(5432, 5432), v4=("10.0.0.0/16",)))
    out = ec2.sg_no_public_admin_ports(group)
    assert out.status is Status.PASS
    assert out.message == f"none of the {len(ec2.ADMIN_PORTS)} listed service ports is open to 0.0.0.0/0 or ::/0"


def test_admin_ports_parameter_replaces_the_list() -> None:
    group = sg(rule(ports=(8080, 8080)), rule("udp", (5353, 5353)))
    out = ec2.sg_no_public_admin_ports(group, ports={8080: "Jenkins", "5353/udp": "mDNS"})
    assert out.status is Status.FAIL
    assert out.message == "open to the internet: mDNS 5353/udp from 0.0.0.0/0; Jenkins 8080/tcp from 0.0.0.0/0"
    assert ec2.sg_no_public_admin_ports(group, ports={"3306": "MySQL"}).status is Status.PASS


@pytest.mark.parametrize("bad", ["ssh", "22/icmp", "70000", "30-20"])
def test_admin_ports_rejects_malformed_keys(bad: str) -> None:
    with pytest.raises(ValueError, match="PORT"):
        ec2.parse_ports({bad: "x"})


# -- all traffic ------------------------------------------------------------------------------

def test_all_traffic() -> None:
    out = ec2.sg_no_public_all_traffic(sg(rule("-1", None)))
    assert out.status is Status.FAIL
    assert out.message == "every port is open to the internet: rule 'all traffic' from 0.0.0.0/0"
    assert ec2.sg_no_public_all_traffic(sg(rule(ports=(0, 65535), v4=(), v6=("::/0",)))).status is Status.FAIL
    assert ec2.sg_no_public_all_traffic(sg(rule("udp", (1, 65535)))).status is Status.FAIL
    assert ec2.sg_no_public_all_traffic(sg(rule(ports=(1024, 65535)))).status is Status.PASS
    assert ec2.sg_no_public_all_traffic(sg(rule("-1", None, v4=("10.0.0.0/8",)))).status is Status.PASS
    assert ec2.sg_no_public_all_traffic(sg(rule("icmp", (-1, -1)))).status is Status.PASS


# -- default security group -------------------------------------------------------------------

def test_default_group_pass_fail_skip() -> None:
    assert ec2.default_sg_blocks_all(sg(name="default")).status is Status.PASS
    out = ec2.default_sg_blocks_all(sg(egress=(rule("-1", None),), name="default"))
    assert out.status is Status.FAIL
    assert out.message == ("default group of vpc-1 has 0 inbound and 1 outbound rule(s): "
                           "outbound all traffic with 0.0.0.0/0")
    self_ref = rule("-1", None, v4=(), group_refs=("sg-1",))
    out = ec2.default_sg_blocks_all(sg(self_ref, name="default"))
    assert out.status is Status.FAIL and "inbound all traffic with sg-1" in out.message
    out = ec2.default_sg_blocks_all(sg(rule(), name="web"))
    assert out.status is Status.SKIP and "'web'" in out.message


# -- network ACLs -----------------------------------------------------------------------------

def entry(n: int, action: str = "allow", protocol: str = "-1", ports: tuple[int, int] | None = None,
          cidr: str | None = "0.0.0.0/0", ipv6: str | None = None, egress: bool = False) -> NaclEntry:
    first, last = ports if ports else (None, None)
    return NaclEntry(rule_number=n, egress=egress, action=action, protocol=protocol, cidr=cidr, ipv6_cidr=ipv6,
                     from_port=first, to_port=last)


def acl(*entries: NaclEntry, subnets: tuple[str, ...] = ("subnet-1",)) -> NetworkAcl:
    default_deny = (entry(32767, "deny"), entry(32767, "deny", egress=True))
    return NetworkAcl(arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:network-acl/acl-1", id="acl-1", account_id=ACCOUNT,
                      region="us-east-1", vpc_id="vpc-1", subnet_ids=subnets, entries=(*entries, *default_deny))


def test_nacl_allow_all_fails_both() -> None:
    a = acl(entry(100))
    out = ec2.nacl_no_public_ssh(a)
    assert out.status is Status.FAIL
    assert out.message == "SSH (TCP 22) is allowed in from the internet: rule 100 allows all traffic from 0.0.0.0/0"
    assert ec2.nacl_no_public_rdp(a).status is Status.FAIL


def test_nacl_ephemeral_range_exposes_rdp_not_ssh() -> None:
    a = acl(entry(100, protocol="6", ports=(443, 443)), entry(110, protocol="6", ports=(1024, 65535)))
    assert ec2.nacl_no_public_ssh(a).status is Status.PASS
    out = ec2.nacl_no_public_rdp(a)
    assert out.status is Status.FAIL and "rule 110 allows tcp 1024-65535 from 0.0.0.0/0" in out.message


def test_nacl_earlier_deny_wins_later_deny_does_not() -> None:
    guarded = acl(entry(50, "deny", "6", (22, 22)), entry(100))
    out = ec2.nacl_no_public_ssh(guarded)
    assert out.status is Status.PASS
    assert out.message == "no inbound entry allows TCP 22 from 0.0.0.0/0 or ::/0 ahead of a deny"
    assert ec2.nacl_no_public_rdp(guarded).status is Status.FAIL  # the deny covers 22 only
    too_late = acl(entry(100), entry(200, "deny", "6", (22, 22)))
    assert ec2.nacl_no_public_ssh(too_late).status is Status.FAIL
    # a deny for part of the internet leaves the rest in
    partial = acl(entry(50, "deny", "6", (22, 22), cidr="198.51.100.0/24"), entry(100))
    assert ec2.nacl_no_public_ssh(partial).status is Status.FAIL


def test_nacl_ipv6_is_evaluated_separately() -> None:
    a = acl(entry(50, "deny", "-1"), entry(100, cidr=None, ipv6="::/0"))
    out = ec2.nacl_no_public_ssh(a)
    assert out.status is Status.FAIL
    assert out.message.endswith("rule 100 allows all traffic from ::/0")
    both = acl(entry(50, "deny", "-1"), entry(51, "deny", "-1", cidr=None, ipv6="::/0"), entry(100),
               entry(101, cidr=None, ipv6="::/0"))
    assert ec2.nacl_no_public_ssh(both).status is Status.PASS


def test_nacl_ignores_egress_udp_and_narrow_sources() -> None:
    a = acl(entry(100, egress=True), entry(110, protocol="17", ports=(0, 65535)),
            entry(120, protocol="6", ports=(22, 22), cidr="10.0.0.0/8"))
    assert ec2.nacl_no_public_ssh(a).status is Status.PASS
    assert ec2.nacl_no_public_rdp(a).status is Status.PASS


def test_nacl_without_subnets_is_skipped() -> None:
    out = ec2.nacl_no_public_ssh(acl(entry(100), subnets=()))
    assert out.status is Status.SKIP and "not associated with any subnet" in out.message
    assert ec2.nacl_no_public_rdp(acl(entry(100), subnets=())).status is Status.SKIP


# -- flow logs --------------------------------------------------------------------------------

def vpc(**over: Any) -> Vpc:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc/vpc-1", id="vpc-1", account_id=ACCOUNT, region="us-east-1",
        owner_id=ACCOUNT, has_internet_gateway=True, internet_gateway_ids=("igw-1",), flow_logs_active=True,
        flow_log_ids=("fl-1",),
    )
    return Vpc(**{**base, **over})


def test_flow_logs_pass_fail_skip_error() -> None:
    out = ec2.vpc_flow_logs_enabled(vpc())
    assert out.status is Status.PASS and out.message == "active flow log: fl-1"
    out = ec2.vpc_flow_logs_enabled(vpc(flow_logs_active=False, flow_log_ids=()))
    assert out.status is Status.FAIL and out.message == "no active flow log records this VPC's traffic"
    assert ec2.vpc_flow_logs_enabled(vpc(owner_id="210987654321", flow_logs_active=False)).status is Status.SKIP
    assert ec2.vpc_flow_logs_enabled(vpc(flow_logs_active=None)).status is Status.ERROR


def test_admin_ports_default_map_covers_every_port_the_benchmarks_name() -> None:
    """Ports named by the public SOC 2 mappings (common, high-risk and per-service lists) are in the map."""
    named = {("tcp", p) for p in (20, 21, 23, 25, 88, 110, 135, 139, 143, 389, 445, 464, 636, 749, 750, 1433, 1434,
                                  1521, 2483, 2484, 3000, 3306, 4333, 5000, 5432, 5500, 5601, 6379, 7000, 7001, 7199,
                                  8080, 8088, 8888, 9042, 9092, 9160, 9200, 9300, 11211, 27017, 27018)}
    covered = {(proto, p) for (proto, lo, hi), _ in ec2.parse_ports(ec2.ADMIN_PORTS) for p in range(lo, hi + 1)}
    assert named - covered == set()
    out = ec2.sg_no_public_admin_ports(sg(rule(ports=(8888, 8888)), rule(ports=(25, 25))))
    assert out.message == ("open to the internet: SMTP 25/tcp from 0.0.0.0/0; "
                           "Cassandra OpsCenter / Jupyter 8888/tcp from 0.0.0.0/0")


# -- authorised ports, broad ranges, attachment, description -------------------------------------

def test_public_ingress_only_on_authorised_ports() -> None:
    web = sg(rule(ports=(443, 443)), rule(ports=(80, 80), v4=(), v6=("::/0",)), rule("icmp", (-1, -1)))
    out = ec2_network.sg_public_ingress_only_authorized_ports(web)
    assert out.status is Status.PASS and out.message == "internet ingress only on authorised ports (80, 443), if any"
    out = ec2_network.sg_public_ingress_only_authorized_ports(sg(rule(ports=(3000, 3000)), rule("-1", None)))
    assert out.status is Status.FAIL
    assert out.message == ("open to the internet outside the authorised ports (80, 443): 'tcp 3000' from 0.0.0.0/0; "
                           "'all traffic' from 0.0.0.0/0")
    # a range partly outside the list fails; a narrow source is not the internet
    assert ec2_network.sg_public_ingress_only_authorized_ports(sg(rule(ports=(80, 443)))).status is Status.FAIL
    assert ec2_network.sg_public_ingress_only_authorized_ports(
        sg(rule(ports=(22, 22), v4=("10.0.0.0/8",)))).status is Status.PASS


def test_authorised_ports_parameter_accepts_ranges_and_udp() -> None:
    group = sg(rule(ports=(8000, 8010)), rule("udp", (53, 53)))
    allowed = ["8000-8005", "8006-8010", "53/udp"]
    assert ec2_network.sg_public_ingress_only_authorized_ports(group, authorized_ports=allowed).status is Status.PASS
    out = ec2_network.sg_public_ingress_only_authorized_ports(group, authorized_ports=["8000-8010"])
    assert out.status is Status.FAIL and "'udp 53'" in out.message


def test_broad_public_cidr() -> None:
    wide = sg(rule(ports=(443, 443), v4=("52.94.0.0/16",)), egress=(rule("-1", None, v4=("8.0.0.0/7",)),))
    out = ec2_network.sg_no_broad_public_cidr(wide)
    assert out.status is Status.FAIL
    assert out.message == ("public ranges broader than /24: inbound 'tcp 443' with 52.94.0.0/16; "
                           "outbound 'all traffic' with 8.0.0.0/7")
    fine = sg(rule(v4=("198.51.100.0/24", "10.0.0.0/8", "0.0.0.0/0", "100.64.0.0/10")),
              egress=(rule("-1", None, v4=("0.0.0.0/0",)),))
    assert ec2_network.sg_no_broad_public_cidr(fine).status is Status.PASS
    assert ec2_network.sg_no_broad_public_cidr(wide, min_prefix_length=7).status is Status.PASS
    # a /1 reaching into private space is still mostly public
    assert ec2_network.sg_no_broad_public_cidr(sg(rule(v4=("0.0.0.0/1",)))).status is Status.FAIL


def test_sg_attached_to_interface() -> None:
    used = sg().model_copy(update={"network_interface_ids": ("eni-1", "eni-2")})
    out = ec2_network.sg_attached_to_interface(used)
    assert out.status is Status.PASS and out.message == "used by 2 network interface(s)"
    out = ec2_network.sg_attached_to_interface(sg().model_copy(update={"network_interface_ids": ()}))
    assert out.status is Status.FAIL and out.message == "no network interface uses this security group"
    assert ec2_network.sg_attached_to_interface(sg(name="default")).status is Status.SKIP
    assert ec2_network.sg_attached_to_interface(sg()).status is Status.ERROR  # interfaces not read


def test_sg_has_description() -> None:
    def described(text: str, name: str = "web") -> SecurityGroup:
        return sg(name=name).model_copy(update={"description": text})
    assert ec2_network.sg_has_description(described("Public HTTPS load balancer")).status is Status.PASS
    assert ec2_network.sg_has_description(described("  ")).message == "the description is empty"
    assert ec2_network.sg_has_description(described("WEB")).message == "the description only repeats the name 'web'"
    out = ec2_network.sg_has_description(described("launch-wizard-3 created 2024-01-01T00:00:00Z"))
    assert out.status is Status.FAIL and "launch wizard's placeholder" in out.message
    assert ec2_network.sg_has_description(described("default VPC security group", "default")).status is Status.SKIP


def test_nacl_all_traffic() -> None:
    out = ec2_network.nacl_no_public_all_traffic(acl(entry(100)))
    assert out.status is Status.FAIL
    assert out.message == "all inbound traffic from the internet is allowed: rule 100 allows all traffic from 0.0.0.0/0"
    # specific ports are not "all traffic"; an earlier all-traffic deny shadows the allow
    assert ec2_network.nacl_no_public_all_traffic(acl(entry(100, protocol="6", ports=(443, 443)))).status is Status.PASS
    assert ec2_network.nacl_no_public_all_traffic(acl(entry(50, "deny"), entry(100))).status is Status.PASS
    assert ec2_network.nacl_no_public_all_traffic(acl(entry(100, egress=True))).status is Status.PASS
    v6 = ec2_network.nacl_no_public_all_traffic(acl(entry(100, cidr=None, ipv6="::/0")))
    assert v6.status is Status.FAIL and v6.message.endswith("from ::/0")
    assert ec2_network.nacl_no_public_all_traffic(acl(entry(100), subnets=())).status is Status.SKIP


# -- subnets, Elastic IPs, transit gateways ----------------------------------------------------

def subnet(**over: Any) -> Subnet:
    base: dict[str, Any] = dict(arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:subnet/subnet-1", id="subnet-1",
                                account_id=ACCOUNT, region="us-east-1", vpc_id="vpc-1", cidr_block="10.0.1.0/24",
                                owner_id=ACCOUNT)
    return Subnet(**{**base, **over})


def test_subnet_no_auto_public_ip() -> None:
    assert ec2_network.subnet_no_auto_public_ip(subnet()).status is Status.PASS
    out = ec2_network.subnet_no_auto_public_ip(subnet(map_public_ip_on_launch=True, default_for_az=True))
    assert out.status is Status.FAIL
    assert out.message == "instances launched in 10.0.1.0/24 get a public IPv4 address (a default subnet)"
    shared = subnet(map_public_ip_on_launch=True, owner_id="210987654321")
    assert ec2_network.subnet_no_auto_public_ip(shared).status is Status.SKIP


def test_eip_attached() -> None:
    base: dict[str, Any] = dict(arn="arn:aws:ec2:us-east-1:123456789012:elastic-ip/eipalloc-1", id="eipalloc-1",
                                account_id=ACCOUNT, region="us-east-1", public_ip="198.51.100.7")
    out = ec2_network.eip_attached(ElasticIp(**base, association_id="eipassoc-1", instance_id="i-1"))
    assert out.status is Status.PASS and out.message == "associated with i-1"
    out = ec2_network.eip_attached(ElasticIp(**base))
    assert out.status is Status.FAIL and out.message == "Elastic IP 198.51.100.7 is not associated with anything"


def test_transit_gateway_auto_accept() -> None:
    base: dict[str, Any] = dict(arn="arn:aws:ec2:us-east-1:123456789012:transit-gateway/tgw-1", id="tgw-1",
                                account_id=ACCOUNT, region="us-east-1", owner_id=ACCOUNT, state="available")
    tgw = ec2_network.transit_gateway_auto_accept_disabled
    assert tgw(TransitGateway(**base, auto_accept_shared_attachments="disable")).status is Status.PASS
    out = tgw(TransitGateway(**base, auto_accept_shared_attachments="enable"))
    assert out.status is Status.FAIL and "accepted automatically" in out.message
    shared = TransitGateway(**{**base, "owner_id": "210987654321"}, auto_accept_shared_attachments="enable")
    assert tgw(shared).status is Status.SKIP


# -- instances ---------------------------------------------------------------------------------

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def instance(**over: Any) -> Instance:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-1", id="i-1", account_id=ACCOUNT, region="us-east-1",
        state="running", instance_type="m5.large", vpc_id="vpc-1", subnet_id="subnet-1",
        metadata_http_tokens="required", metadata_http_endpoint="enabled", monitoring="enabled",
        ebs_optimized=True, ebs_optimized_support="default",
    )
    return Instance(**{**base, **over})


def test_imdsv2_required() -> None:
    assert ec2_instances.instance_imdsv2_required(instance()).status is Status.PASS
    off = instance(metadata_http_tokens="optional", metadata_http_endpoint="disabled")
    assert ec2_instances.instance_imdsv2_required(off).message == "instance metadata service is turned off"
    out = ec2_instances.instance_imdsv2_required(instance(metadata_http_tokens="optional", enclave_enabled=True))
    assert out.status is Status.FAIL
    assert out.message == "IMDSv1 is allowed (http tokens 'optional') (Nitro Enclave parent)"
    assert ec2_instances.instance_imdsv2_required(instance(metadata_http_tokens="")).status is Status.ERROR


def test_no_public_ip_and_in_vpc() -> None:
    assert ec2_instances.instance_no_public_ip(instance()).status is Status.PASS
    out = ec2_instances.instance_no_public_ip(instance(public_ip="203.0.113.9"))
    assert out.status is Status.FAIL and out.message == "has public IPv4 address 203.0.113.9"
    assert ec2_instances.instance_in_vpc(instance()).message == "runs in vpc-1"
    assert ec2_instances.instance_in_vpc(instance(vpc_id=None)).status is Status.FAIL


def test_detailed_monitoring() -> None:
    assert ec2_instances.instance_detailed_monitoring(instance()).status is Status.PASS
    out = ec2_instances.instance_detailed_monitoring(instance(monitoring="disabled"))
    assert out.status is Status.FAIL and out.message == "only basic 5-minute monitoring (disabled)"
    assert ec2_instances.instance_detailed_monitoring(instance(state="stopped")).status is Status.SKIP


def test_ebs_optimized() -> None:
    out = ec2_instances.instance_ebs_optimized(instance(ebs_optimized=False))
    assert out.status is Status.PASS and out.message == "m5.large is EBS-optimised by default"
    legacy = instance(instance_type="m3.xlarge", ebs_optimized_support="supported")
    assert ec2_instances.instance_ebs_optimized(legacy).status is Status.PASS
    out = ec2_instances.instance_ebs_optimized(legacy.model_copy(update={"ebs_optimized": False}))
    assert out.status is Status.FAIL and out.message == "m3.xlarge supports EBS optimisation but it is not enabled"
    tiny = instance(instance_type="t2.micro", ebs_optimized_support="unsupported")
    assert ec2_instances.instance_ebs_optimized(tiny).status is Status.SKIP
    assert ec2_instances.instance_ebs_optimized(instance(ebs_optimized_support=None)).status is Status.ERROR


def test_not_stopped_long() -> None:
    check = ec2_instances.instance_not_stopped_long
    assert check(instance(), NOW).message == "instance is running"
    old = instance(state="stopped", stopped_since=NOW - timedelta(days=45))
    out = check(old, NOW)
    assert out.status is Status.FAIL and out.message == "stopped for 45 days since 2025-04-17 (limit 30)"
    assert check(old, NOW, max_stopped_days=60).status is Status.PASS
    assert check(instance(state="stopped"), NOW).status is Status.SKIP  # stop time unknown


def template(*versions: LaunchTemplateVersion) -> LaunchTemplate:
    return LaunchTemplate(arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:launch-template/lt-1", id="lt-1", account_id=ACCOUNT,
                          region="us-east-1", name="app", versions=versions)


def test_launch_template_no_public_ip() -> None:
    fine = template(LaunchTemplateVersion(number=3, is_default=True, is_latest=True))
    assert ec2_instances.launch_template_no_public_ip(fine).message == "versions 3 assign no public IP address"
    mixed = template(LaunchTemplateVersion(number=2, is_default=True),
                     LaunchTemplateVersion(number=5, is_latest=True, public_ip_interfaces=(0,)))
    out = ec2_instances.launch_template_no_public_ip(mixed)
    assert out.status is Status.FAIL
    assert out.message == "assigns a public IP address: version 5 (latest) on device index 0"
    assert ec2_instances.launch_template_no_public_ip(template()).status is Status.SKIP


def test_ami_not_public() -> None:
    base: dict[str, Any] = dict(arn="arn:aws:ec2:us-east-1::image/ami-1", id="ami-1", account_id=ACCOUNT,
                                region="us-east-1")
    assert ec2_instances.ami_not_public(Image(**base)).status is Status.PASS
    out = ec2_instances.ami_not_public(Image(**base, public=True))
    assert out.status is Status.FAIL and "any AWS account can launch it" in out.message



def inventory(*resources: Resource) -> Inventory:
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], list(resources), [])


# -- internet gateways and tiers ---------------------------------------------------------------

def test_igw_attached_to_authorized_vpc() -> None:
    igw = InternetGateway(arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:internet-gateway/igw-1", id="igw-1",
                          account_id=ACCOUNT, region="us-east-1", attached_vpc_ids=("vpc-1",))
    out = ec2_network.igw_attached_to_authorized_vpc(igw, authorized_vpc_ids=["vpc-1", "vpc-9"])
    assert out.status is Status.PASS and out.message == "attached to authorised VPC vpc-1"
    out = ec2_network.igw_attached_to_authorized_vpc(igw, authorized_vpc_ids=["vpc-9"])
    assert out.status is Status.FAIL and out.message == "attached to vpc-1, which is not in the authorised list"
    out = ec2_network.igw_attached_to_authorized_vpc(igw)
    assert out.status is Status.FAIL and "set authorized_vpc_ids" in out.message
    detached = igw.model_copy(update={"attached_vpc_ids": ()})
    assert ec2_network.igw_attached_to_authorized_vpc(detached).status is Status.SKIP


def test_vpc_has_public_and_private_subnets() -> None:
    def tier(name: str, public: bool | None, vpc_id: str = "vpc-1") -> Subnet:
        return subnet(id=name, name=name, arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:subnet/{name}", vpc_id=vpc_id,
                      internet_route=public)
    check = ec2_network.vpc_has_public_and_private_subnets
    both = inventory(tier("web", True), tier("app", False), tier("other", True, "vpc-2"))
    assert check(vpc(), both).message == "1 public and 1 private subnet(s)"
    out = check(vpc(), inventory(tier("web", True), tier("app-in-wrong-tier", True)))
    assert out.status is Status.FAIL
    assert out.message == "every subnet routes to the internet gateway (app-in-wrong-tier, web): no private tier"
    out = check(vpc(), inventory(tier("app", False)))
    assert out.status is Status.FAIL and out.message.endswith("no public tier")
    assert check(vpc(has_internet_gateway=False), both).status is Status.SKIP
    assert check(vpc(), inventory()).status is Status.SKIP  # no subnets
    assert check(vpc(owner_id="210987654321"), both).status is Status.SKIP
    assert check(vpc(), inventory(tier("web", None))).status is Status.ERROR
    assert check(vpc(has_internet_gateway=None), both).status is Status.ERROR


# -- service ports per instance, enclave parents ---------------------------------------------------

def test_instance_service_ports_not_public() -> None:
    check = ec2_instances.instance_service_ports_not_public
    vm = instance(security_group_ids=("sg-1",), public_ip="203.0.113.5")
    out = check(vm, inventory(sg(rule(), rule(ports=(5432, 5432)), rule(ports=(443, 443)), name="db")))
    assert out.status is Status.FAIL
    assert out.message == ("open to the internet (reachable now at 203.0.113.5): SSH 22/tcp via sg-1; "
                           "PostgreSQL 5432/tcp via sg-1")
    out = check(vm.model_copy(update={"public_ip": None}), inventory(sg(rule(ports=(3389, 3389)))))
    assert out.status is Status.FAIL and "(no public IP yet, exposed once one is assigned): RDP 3389/tcp" in out.message
    assert check(vm, inventory(sg(rule(ports=(443, 443))))).status is Status.PASS
    assert check(vm, inventory(sg(rule(ports=(8443, 8443)))), ports={"8443": "admin UI"}).status is Status.FAIL
    assert check(instance(security_group_ids=()), inventory()).status is Status.SKIP
    out = check(vm, inventory())
    assert out.status is Status.ERROR and "sg-1" in out.message


def test_enclave_host_not_internet_exposed() -> None:
    check = ec2_instances.enclave_host_not_internet_exposed
    parent = instance(enclave_enabled=True, security_group_ids=("sg-1",))
    assert check(parent, inventory(sg(rule(v4=("10.0.0.0/8",))))).status is Status.PASS
    out = check(parent.model_copy(update={"public_ip": "203.0.113.5"}), inventory(sg(rule(ports=(443, 443)))))
    assert out.status is Status.FAIL
    assert out.message == ("enclave parent reachable from the internet: public IP 203.0.113.5; "
                           "sg-1 admits 'tcp 443' from 0.0.0.0/0")
    assert check(instance(), inventory()).status is Status.SKIP
    assert check(parent, inventory()).status is Status.ERROR


def test_enclave_host_running() -> None:
    assert ec2_instances.enclave_host_running(instance(enclave_enabled=True)).status is Status.PASS
    out = ec2_instances.enclave_host_running(instance(enclave_enabled=True, state="stopped"))
    assert out.status is Status.FAIL and out.message == "enclave parent is stopped: its enclave cannot serve"
    assert ec2_instances.enclave_host_running(instance(state="stopped")).status is Status.SKIP



def test_client_vpn_connection_logging() -> None:
    base: dict[str, Any] = dict(arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:client-vpn-endpoint/cvpn-endpoint-1",
                                id="cvpn-endpoint-1", account_id=ACCOUNT, region="us-east-1", status="available")
    out = ec2_network.client_vpn_connection_logging_enabled(
        ClientVpnEndpoint(**base, connection_logging=True, log_group="/vpn"))
    assert out.status is Status.PASS and out.message == "connections are logged to /vpn"
    out = ec2_network.client_vpn_connection_logging_enabled(ClientVpnEndpoint(**base))
    assert out.status is Status.FAIL and out.message.startswith("connection logging is off")


# -- AWS Backup coverage (assay.controls.ec2_backup) ------------------------------------------------

def test_instance_recently_backed_up() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    running = instance(state="running")
    fresh = covered(running, now, last_backup=now - timedelta(hours=6))
    assert ec2_backup.instance_recently_backed_up(running, fresh, now).status is Status.PASS
    stale = covered(running, now, last_backup=now - timedelta(days=30))
    out = ec2_backup.instance_recently_backed_up(running, stale, now)
    assert out.status is Status.FAIL and "30 days old" in out.message
    stopped = instance(state="stopped")
    assert ec2_backup.instance_recently_backed_up(stopped, covered(stopped, now), now).status is Status.SKIP
