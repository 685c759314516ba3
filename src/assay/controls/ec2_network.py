"""More EC2 network controls (ids keep the "ec2." prefix): which ports may face the internet, broad public
address ranges, unused and undocumented security groups, network ACLs open to all traffic, subnets that
hand out public addresses, public and private tiers, internet gateways on authorised VPCs only, idle
Elastic IPs, transit gateways that accept any attachment and Client VPN connection logs."""

from __future__ import annotations

import functools
import ipaddress
import re

from assay.controls.ec2 import INTERNET, Port, _entry_text, _protocol, _public_sources, _rule_text, parse_ports
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
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

# Ports a public-facing web tier legitimately serves; everything else from the internet is unauthorised.
AUTHORIZED_PORTS: list[str] = ["80", "443"]
# VPCs allowed an internet gateway: none until the organisation lists them.
AUTHORIZED_VPC_IDS: list[str] = []
# IPv4 space that is not routed on the internet: rules naming it are not "public".
_NOT_PUBLIC = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16"))
_WIZARD = re.compile(r"^launch-wizard(-\d+)? created", re.IGNORECASE)
_NO_PORTS = ("icmp", "icmpv6")  # ping and friends have no ports to authorise


def _covered(port: Port, allowed: list[Port]) -> bool:
    """Whether every port of `port`'s range is inside the union of `allowed` ranges of the same protocol."""
    proto, first, last = port
    current = first
    while current <= last:
        nxt = next((hi for p, lo, hi in allowed if p == proto and lo <= current <= hi), None)
        if nxt is None:
            return False
        current = nxt + 1
    return True


def _unauthorised(rule: SgRule, allowed: list[Port]) -> bool:
    proto = _protocol(rule.protocol)
    if proto in _NO_PORTS:
        return False
    if proto not in ("tcp", "udp"):
        return True  # all protocols, or a protocol without ports such as GRE or ESP
    first = 0 if rule.from_port is None or rule.from_port < 0 else rule.from_port
    last = 65535 if rule.to_port is None or rule.to_port < 0 else rule.to_port
    return not _covered((proto, first, last), allowed)


@control(
    id="ec2.sg_public_ingress_only_authorized_ports",
    title="Security groups admit internet traffic only on authorised ports",
    severity="medium",
    needs=["ec2:DescribeSecurityGroups"],
    rationale="The admin-port, SSH and RDP controls catch known dangerous services; this one is the "
    "allow-list view of the same boundary: anything reachable from 0.0.0.0/0 or ::/0 must be on a port the "
    "organisation has decided to publish (by default HTTP 80 and HTTPS 443). A forgotten development server "
    "on 3000 or a metrics endpoint on 9100 then shows up even though no list of bad ports names it. That is "
    "the deny-by-default boundary of CC6.6 and least functionality under CC6.1. Tune `authorized_ports` "
    "(entries PORT, PORT-PORT, optionally /udp) to the services you publish. ICMP is not assessed.",
    remediation=Remediation(
        console="EC2 console > Security Groups > the group > Inbound rules > Edit inbound rules: remove or "
        "narrow every rule from 0.0.0.0/0 or ::/0 on a port you do not publish; put such services behind a "
        "load balancer, VPN or Session Manager > Save rules.",
        cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
        "'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]'",
        terraform='resource "aws_vpc_security_group_ingress_rule" "https" {\n'
        '  security_group_id = aws_security_group.web.id\n  ip_protocol       = "tcp"\n'
        '  from_port         = 443 # only published ports are open to the internet\n'
        '  to_port           = 443\n  cidr_ipv4         = "0.0.0.0/0"\n}',
    ),
)
def sg_public_ingress_only_authorized_ports(sg: SecurityGroup, *,
                                            authorized_ports: list[str] = AUTHORIZED_PORTS) -> Outcome:
    allowed = [port for port, _ in parse_ports({p: "authorised" for p in authorized_ports})]
    bad = [f"'{_rule_text(r)}' from {', '.join(_public_sources(r))}"
           for r in sg.ingress if _public_sources(r) and _unauthorised(r, allowed)]
    if bad:
        return Fail(f"open to the internet outside the authorised ports ({', '.join(authorized_ports) or 'none'}): "
                    + "; ".join(bad))
    return Pass(f"internet ingress only on authorised ports ({', '.join(authorized_ports) or 'none'}), if any")


@functools.lru_cache(maxsize=4096)  # the same ranges recur across an estate's groups: parsed once each
def _broad_public(cidr: str, min_prefix_length: int) -> bool:
    try:
        net = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
    if net.version != 4 or net.prefixlen == 0 or net.prefixlen >= min_prefix_length:
        return False  # /0 is "the internet", judged by the controls on public ingress
    return not any(net.subnet_of(block) for block in _NOT_PUBLIC)  # type: ignore[arg-type]


@control(
    id="ec2.sg_no_broad_public_cidr",
    title="Security group rules name no broad public IPv4 range",
    severity="low",
    needs=["ec2:DescribeSecurityGroups"],
    rationale="A rule for a public range such as 52.0.0.0/8 or 203.0.0.0/16 admits (or reaches) thousands "
    "to millions of addresses owned by strangers, usually because someone wanted 'the cloud provider' or "
    "'the partner' and took a whole block. It is an internet-facing opening in all but name. Rules for public "
    "addresses should name the specific hosts or small ranges the business relationship covers: boundary "
    "protection (CC6.6). Ranges shorter than `min_prefix_length` (default /24) fail, on inbound and outbound "
    "rules; private (RFC 1918), shared and link-local space and 0.0.0.0/0 itself are not assessed here.",
    remediation=Remediation(
        console="EC2 console > Security Groups > the group > Inbound rules (and Outbound rules) > Edit: replace "
        "the broad range with the partner's or service's specific addresses, or a managed prefix list "
        "maintained for it > Save rules.",
        cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
        "'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=<broad-cidr>}]'\n"
        "aws ec2 authorize-security-group-ingress --group-id <sg-id> --protocol tcp --port <port> "
        "--cidr <specific-cidr>",
        terraform='resource "aws_vpc_security_group_ingress_rule" "partner" {\n'
        '  security_group_id = aws_security_group.api.id\n  ip_protocol       = "tcp"\n'
        '  from_port         = 443\n  to_port           = 443\n'
        '  cidr_ipv4         = "198.51.100.16/28" # the partner\'s published egress range\n}',
    ),
)
def sg_no_broad_public_cidr(sg: SecurityGroup, *, min_prefix_length: int = 24) -> Outcome:
    found = []
    for direction, rules in (("inbound", sg.ingress), ("outbound", sg.egress)):
        for rule in rules:
            for cidr in rule.ipv4_ranges:
                if _broad_public(cidr, min_prefix_length):
                    found.append(f"{direction} '{_rule_text(rule)}' with {cidr}")
    if found:
        return Fail(f"public ranges broader than /{min_prefix_length}: {'; '.join(found)}")
    return Pass(f"no rule names a public IPv4 range broader than /{min_prefix_length}")


@control(
    id="ec2.sg_attached_to_interface",
    title="Every security group is in use by a network interface",
    severity="low",
    needs=["ec2:DescribeSecurityGroups", "ec2:DescribeNetworkInterfaces"],
    rationale="Security groups that nothing uses accumulate rules nobody reviews, and are picked up again "
    "later with permissions no one remembers granting. Removing unused groups keeps the set of access rules "
    "small enough to review (CC6.1) and makes the network boundary easier to reason about (CC6.6). Default "
    "groups cannot be deleted and are skipped. A group referenced only by a launch template or an Auto "
    "Scaling group with no running instance also shows here; keep it if that use is intended.",
    remediation=Remediation(
        console="EC2 console > Security Groups > the group: check it is not referenced by other groups' rules, "
        "launch templates or services about to use it > Actions > Delete security groups.",
        cli="aws ec2 describe-network-interfaces --filters Name=group-id,Values=<sg-id>  # confirm: empty\n"
        "aws ec2 delete-security-group --group-id <sg-id>",
        terraform="# Remove the unused aws_security_group resource from the configuration and apply.",
    ),
)
def sg_attached_to_interface(sg: SecurityGroup) -> Outcome:
    if sg.is_default:
        return Skip("a VPC's default group cannot be deleted")
    if sg.network_interface_ids is None:
        return Error("network interfaces were not read")
    if sg.network_interface_ids:
        return Pass(f"used by {len(sg.network_interface_ids)} network interface(s)")
    return Fail("no network interface uses this security group")


@control(
    id="ec2.sg_has_description",
    title="Security groups have a meaningful description",
    severity="info",
    needs=["ec2:DescribeSecurityGroups"],
    rationale="Reviewing network access (CC6.1, CC6.8) needs to know what each group is for. A group whose "
    "description is empty, repeats its name, or is the launch wizard's automatic 'launch-wizard-N created "
    "...' text gives the reviewer nothing, and such groups are typically created ad hoc from the console. "
    "The description cannot be edited after creation, so the fix is a new group. Default groups are skipped.",
    remediation=Remediation(
        console="EC2 console > Security Groups > Create security group with a description saying what and who "
        "it admits, copy the rules, move the instances to it (Actions > Security > Change security groups), "
        "delete the old group.",
        cli="aws ec2 create-security-group --group-name <name> --vpc-id <vpc-id> "
        "--description 'Reporting database: PostgreSQL from the app tier only'",
        terraform='resource "aws_security_group" "db" {\n  name        = "reporting-db"\n'
        '  description = "Reporting database: PostgreSQL from the app tier only"\n  vpc_id      = aws_vpc.main.id\n}',
    ),
)
def sg_has_description(sg: SecurityGroup) -> Outcome:
    if sg.is_default:
        return Skip("a VPC's default group has AWS's fixed description")
    text = sg.description.strip()
    if not text:
        return Fail("the description is empty")
    if text.lower() == sg.group_name.strip().lower():
        return Fail(f"the description only repeats the name '{sg.group_name}'")
    if _WIZARD.match(text):
        return Fail(f"the description is the launch wizard's placeholder '{text}'")
    return Pass(f"described as '{text}'")


def _open_to_all(acl: NetworkAcl) -> list[str]:
    """Inbound ALLOW entries for all traffic from the internet that no earlier all-traffic DENY overrides."""
    inbound = sorted((e for e in acl.entries if not e.egress), key=lambda e: e.rule_number)
    out = []
    for internet in INTERNET:
        entry: NaclEntry
        for entry in inbound:
            source = entry.ipv6_cidr if ":" in internet else entry.cidr
            if source != internet or _protocol(entry.protocol) != "-1":
                continue
            if entry.action == "allow":
                out.append(f"rule {entry.rule_number} allows {_entry_text(entry)} from {internet}")
            break
    return out


@control(
    id="ec2.nacl_no_public_all_traffic",
    title="No network ACL allows all inbound traffic from the internet",
    severity="low",
    needs=["ec2:DescribeNetworkAcls"],
    rationale="An ACL entry that allows every protocol and port from 0.0.0.0/0 or ::/0 leaves the subnet "
    "with no network-layer filter at all, so the security groups are the only boundary. A subnet ACL that "
    "admits only the ports its tier serves (plus return traffic) is the second, independent layer of "
    "boundary protection (CC6.6). AWS's default ACL allows everything, so default ACLs still serving "
    "subnets fail here. ACLs without subnets are not applicable.",
    remediation=Remediation(
        console="VPC console > Network ACLs > the ACL > Inbound rules > Edit inbound rules: replace the 'All "
        "traffic' allow from 0.0.0.0/0 (and ::/0) with entries for the ports the subnet serves and the "
        "ephemeral return range (1024-65535) > Save changes. Prefer a custom ACL over the VPC's default one.",
        cli="aws ec2 create-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number 100 "
        "--protocol tcp --port-range From=443,To=443 --cidr-block 0.0.0.0/0 --rule-action allow\n"
        "aws ec2 delete-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <all-traffic-rule>",
        terraform='resource "aws_network_acl_rule" "https_in" {\n  network_acl_id = aws_network_acl.public.id\n'
        '  rule_number    = 100\n  egress         = false\n  protocol       = "tcp"\n'
        '  rule_action    = "allow"\n  cidr_block     = "0.0.0.0/0"\n  from_port      = 443\n  to_port        = 443\n}',
    ),
)
def nacl_no_public_all_traffic(acl: NetworkAcl) -> Outcome:
    if not acl.subnet_ids:
        return Skip("not associated with any subnet, so it filters no traffic")
    found = _open_to_all(acl)
    if found:
        return Fail(f"all inbound traffic from the internet is allowed: {'; '.join(found)}")
    return Pass("no inbound entry allows all traffic from 0.0.0.0/0 or ::/0")


@control(
    id="ec2.subnet_no_auto_public_ip",
    title="Subnets do not assign public IPv4 addresses automatically",
    severity="medium",
    needs=["ec2:DescribeSubnets"],
    rationale="With 'auto-assign public IPv4 address' on, every instance launched in the subnet gets an "
    "internet-routable address unless the launch says otherwise, so a workload meant to be private becomes "
    "reachable whenever a security group is too open. Turning it off makes public addressing an explicit, "
    "reviewable choice (CC6.6). Default subnets of the default VPC have it on. Subnets shared by another "
    "account are its owner's to configure.",
    remediation=Remediation(
        console="VPC console > Subnets > the subnet > Actions > Edit subnet settings > uncheck 'Enable "
        "auto-assign public IPv4 address' > Save.",
        cli="aws ec2 modify-subnet-attribute --subnet-id <subnet-id> --no-map-public-ip-on-launch",
        terraform='resource "aws_subnet" "app" {\n  vpc_id                  = aws_vpc.main.id\n'
        '  cidr_block              = "10.0.1.0/24"\n  map_public_ip_on_launch = false\n}',
    ),
)
def subnet_no_auto_public_ip(subnet: Subnet) -> Outcome:
    if subnet.owner_id and subnet.owner_id != subnet.account_id:
        return Skip(f"shared with this account by {subnet.owner_id}, which controls its settings")
    default = " (a default subnet)" if subnet.default_for_az else ""
    if subnet.map_public_ip_on_launch:
        return Fail(f"instances launched in {subnet.cidr_block or 'the subnet'} get a public IPv4 address{default}")
    return Pass("public IPv4 addresses are not assigned automatically")


@control(
    id="ec2.eip_attached",
    title="Every Elastic IP address is associated with an instance or network interface",
    severity="low",
    needs=["ec2:DescribeAddresses"],
    rationale="An unassociated Elastic IP is a public address the organisation holds but does not use; "
    "attached later by mistake it can expose a resource, and its history makes it easy to misattribute "
    "traffic. Keeping the list of public addresses equal to the ones in use is part of knowing the system "
    "boundary and its entry points (CC6.1 asset inventory, CC6.6). Idle addresses are also billed.",
    remediation=Remediation(
        console="EC2 console > Elastic IPs > the address > Actions > Release Elastic IP addresses (or Associate "
        "Elastic IP address if it is needed).",
        cli="aws ec2 release-address --allocation-id <eipalloc-id>",
        terraform="# Remove the unused aws_eip resource, or associate it:\n"
        'resource "aws_eip_association" "web" {\n  allocation_id = aws_eip.web.id\n'
        '  instance_id   = aws_instance.web.id\n}',
    ),
)
def eip_attached(eip: ElasticIp) -> Outcome:
    if eip.association_id or eip.instance_id or eip.network_interface_id:
        target = eip.instance_id or eip.network_interface_id or eip.association_id
        return Pass(f"associated with {target}")
    return Fail(f"Elastic IP {eip.public_ip} is not associated with anything")


@control(
    id="ec2.transit_gateway_auto_accept_disabled",
    title="Transit gateways do not accept shared attachments automatically",
    severity="medium",
    needs=["ec2:DescribeTransitGateways"],
    rationale="A transit gateway joins many VPCs and on-premises networks. With automatic acceptance of "
    "shared attachments, any account the gateway is shared with (through AWS RAM) can connect its VPC and "
    "route into the hub without anyone approving it. Requiring manual acceptance keeps new network "
    "connections an authorised, reviewed change (CC6.6 boundary, CC8.1 change authorisation). Gateways "
    "shared from another account are its owner's to configure.",
    remediation=Remediation(
        console="VPC console > Transit gateways > the gateway > Actions > Modify transit gateway > uncheck "
        "'Auto accept shared attachments' > Modify transit gateway.",
        cli="aws ec2 modify-transit-gateway --transit-gateway-id <tgw-id> "
        "--options AutoAcceptSharedAttachments=disable",
        terraform='resource "aws_ec2_transit_gateway" "hub" {\n  auto_accept_shared_attachments = "disable"\n}',
    ),
)
def transit_gateway_auto_accept_disabled(tgw: TransitGateway) -> Outcome:
    if tgw.owner_id and tgw.owner_id != tgw.account_id:
        return Skip(f"shared with this account by {tgw.owner_id}, which controls its options")
    if tgw.auto_accept_shared_attachments == "enable":
        return Fail("attachments from accounts it is shared with are accepted automatically")
    return Pass("shared attachments need to be accepted explicitly")


@control(
    id="ec2.igw_attached_to_authorized_vpc",
    title="Internet gateways are attached only to VPCs authorised for internet access",
    severity="medium",
    needs=["ec2:DescribeInternetGateways"],
    rationale="An internet gateway is what makes a VPC reachable from, and able to reach, the internet. "
    "Which networks may have one is an architecture decision to take once and enforce: a gateway attached "
    "to a VPC meant to be internal silently turns it into part of the public boundary. Listing the "
    "authorised VPCs (the `authorized_vpc_ids` parameter) and failing every other attachment makes new "
    "internet exposure an explicit, reviewed change (CC6.6 boundary protection, CC8.1). With no list "
    "configured, every attachment fails until the authorised VPCs are named. Detached gateways expose "
    "nothing and are not applicable.",
    remediation=Remediation(
        console="If the VPC is meant to reach the internet, add its id to the control's authorized_vpc_ids "
        "in the Assay configuration. Otherwise: VPC console > Internet gateways > the gateway > Actions > "
        "Detach from VPC (after removing routes to it and public addresses in the VPC) > then delete it.",
        cli="aws ec2 detach-internet-gateway --internet-gateway-id <igw-id> --vpc-id <vpc-id>\n"
        "aws ec2 delete-internet-gateway --internet-gateway-id <igw-id>",
        terraform="# Only the approved edge VPCs declare an internet gateway:\n"
        'resource "aws_internet_gateway" "edge" {\n  vpc_id = aws_vpc.edge.id\n}',
    ),
)
def igw_attached_to_authorized_vpc(igw: InternetGateway, *,
                                   authorized_vpc_ids: list[str] = AUTHORIZED_VPC_IDS) -> Outcome:
    if not igw.attached_vpc_ids:
        return Skip("not attached to any VPC")
    unauthorised = [v for v in igw.attached_vpc_ids if v not in authorized_vpc_ids]
    if not unauthorised:
        return Pass(f"attached to authorised VPC {', '.join(igw.attached_vpc_ids)}")
    if not authorized_vpc_ids:
        return Fail(f"attached to {', '.join(unauthorised)}; no VPC is authorised for internet access "
                    "(set authorized_vpc_ids)")
    return Fail(f"attached to {', '.join(unauthorised)}, which is not in the authorised list")


def _subnets_of(inv: Inventory, vpc: Vpc) -> list[Subnet]:
    """The VPC's subnets in inventory order, from an index of every subnet by (account, region, VPC)."""
    def index() -> dict[tuple[str, str, str], list[Subnet]]:
        out: dict[tuple[str, str, str], list[Subnet]] = {}
        for s in inv.of(Subnet):
            out.setdefault((s.account_id, s.region, s.vpc_id), []).append(s)
        return out

    return inv.memo(("ec2.subnets_by_vpc",), index).get((vpc.account_id, vpc.region, vpc.id), [])


@control(
    id="ec2.vpc_has_public_and_private_subnets",
    title="Internet-connected VPCs separate public and private subnets",
    severity="low",
    needs=["ec2:DescribeVpcs", "ec2:DescribeInternetGateways", "ec2:DescribeSubnets", "ec2:DescribeRouteTables"],
    rationale="In a VPC with an internet gateway, the usual tiered design keeps only load balancers, NAT "
    "gateways and bastions in public subnets (route to the internet gateway) and application servers and "
    "databases in private subnets. A VPC whose subnets are all public has no tier where a workload is "
    "unreachable from the internet by routing; one with no public subnet does not use its gateway. Both "
    "tiers existing is the structural part of boundary protection (CC6.6). A subnet is public when its route "
    "table (or the VPC's main table) sends 0.0.0.0/0 or ::/0 to an internet gateway. VPCs without an "
    "internet gateway or without subnets, and VPCs shared by another account, are not applicable.",
    remediation=Remediation(
        console="VPC console > Subnets > Create subnet (private tier, one per Availability Zone) > Route "
        "tables > Create route table without a route to the internet gateway (use a NAT gateway for egress) > "
        "Subnet associations > associate the private subnets; move application and data tiers there.",
        cli="aws ec2 create-subnet --vpc-id <vpc-id> --cidr-block <cidr> --availability-zone <az>\n"
        "aws ec2 create-route-table --vpc-id <vpc-id>\n"
        "aws ec2 associate-route-table --route-table-id <rtb-id> --subnet-id <private-subnet-id>",
        terraform='resource "aws_subnet" "private_a" {\n  vpc_id            = aws_vpc.main.id\n'
        '  cidr_block        = "10.0.10.0/24"\n  availability_zone = "eu-west-1a"\n}\n'
        'resource "aws_route_table_association" "private_a" {\n  subnet_id      = aws_subnet.private_a.id\n'
        '  route_table_id = aws_route_table.private.id # default route to a NAT gateway, not the IGW\n}',
    ),
)
def vpc_has_public_and_private_subnets(vpc: Vpc, inv: Inventory) -> Outcome:
    if vpc.owner_id and vpc.owner_id != vpc.account_id:
        return Skip(f"shared with this account by {vpc.owner_id}, which designs its subnets")
    if vpc.has_internet_gateway is None:
        return Error("internet gateways were not collected")
    if not vpc.has_internet_gateway:
        return Skip("no internet gateway: every subnet is private")
    subnets = _subnets_of(inv, vpc)
    if not subnets:
        return Skip("the VPC has no subnets")
    if any(s.internet_route is None for s in subnets):
        return Error("route tables were not read")
    public = [s.display_name for s in subnets if s.internet_route]
    private = [s.display_name for s in subnets if not s.internet_route]
    if public and private:
        return Pass(f"{len(public)} public and {len(private)} private subnet(s)")
    if public:
        return Fail(f"every subnet routes to the internet gateway ({', '.join(sorted(public))}): no private tier")
    return Fail(f"no subnet routes to the internet gateway ({len(private)} private subnet(s)): no public tier")


@control(
    id="ec2.client_vpn_connection_logging_enabled",
    title="Client VPN endpoints log connections",
    severity="medium",
    needs=["ec2:DescribeClientVpnEndpoints"],
    rationale="A Client VPN endpoint is a remote-access entry into the network. Its connection log records "
    "who connected (certificate or user), from which address, when, for how long and with what result, "
    "including failed attempts. Without it there is no evidence to review remote access, detect stolen "
    "credentials or investigate an incident (CC7.2, CC7.3), nor to trace access problems (A1.2).",
    remediation=Remediation(
        console="VPC console > Client VPN endpoints > the endpoint > Actions > Modify client VPN endpoint > "
        "Connection logging: enable, choose a CloudWatch Logs log group (and stream) > Save changes.",
        cli="aws ec2 modify-client-vpn-endpoint --client-vpn-endpoint-id <cvpn-endpoint-id> "
        "--connection-log-options Enabled=true,CloudwatchLogGroup=/vpn/connections",
        terraform='resource "aws_ec2_client_vpn_endpoint" "staff" {\n  # ...\n  connection_log_options {\n'
        '    enabled              = true\n    cloudwatch_log_group = aws_cloudwatch_log_group.vpn.name\n  }\n}',
    ),
)
def client_vpn_connection_logging_enabled(endpoint: ClientVpnEndpoint) -> Outcome:
    if endpoint.connection_logging:
        return Pass(f"connections are logged to {endpoint.log_group or 'CloudWatch Logs'}")
    return Fail("connection logging is off: remote-access sessions leave no record")
