"""EC2 networking controls: pure functions over SecurityGroup, NetworkAcl and Vpc."""

from __future__ import annotations

from typing import Any

import pytest

from assay.controls import ec2
from assay.models.findings import Status
from assay.models.resources.ec2 import NaclEntry, NetworkAcl, SecurityGroup, SgRule, Vpc

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
    out = ec2.sg_no_public_admin_ports(sg(rule(ports=(5400, 5500))))
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
