"""EC2 networking controls: security groups and network ACLs open to the internet, default groups, flow logs.

"The internet" is 0.0.0.0/0 or ::/0. Narrower ranges, prefix lists and referenced groups are not
public by themselves (a prefix list's entries are not read), so they never fail these controls.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.ec2 import NaclEntry, NetworkAcl, SecurityGroup, SgRule, Vpc

INTERNET = ("0.0.0.0/0", "::/0")
_PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}

Port = tuple[str, int, int]  # (protocol, first port, last port)

# Administration, file-sharing and database services that should never face the internet. Keys are
# "PORT[-PORT][/tcp|/udp]" (TCP when no protocol is given); SSH and RDP have controls of their own.
ADMIN_PORTS: dict[str | int, str] = {
    "20-21": "FTP",
    "23": "Telnet",
    "25": "SMTP",
    "69/udp": "TFTP",
    "88": "Kerberos",
    "88/udp": "Kerberos",
    "110": "POP3",
    "135": "Microsoft RPC",
    "137-139": "NetBIOS",
    "137-138/udp": "NetBIOS",
    "143": "IMAP",
    "161/udp": "SNMP",
    "389": "LDAP",
    "389/udp": "LDAP",
    "445": "SMB",
    "464": "Kerberos password change",
    "636": "LDAPS",
    "749-750": "Kerberos administration",
    "1433-1434": "Microsoft SQL Server",
    "1434/udp": "SQL Server Browser",
    "1521": "Oracle Database",
    "2049": "NFS",
    "2049/udp": "NFS",
    "2375-2376": "Docker daemon API",
    "2379-2380": "etcd",
    "2483-2484": "Oracle Database",
    "3000": "Grafana / development web server",
    "3306": "MySQL",
    "4333": "mSQL",
    "5000": "development web server / Docker registry",
    "5432": "PostgreSQL",
    "5500": "VNC listener",
    "5601": "Kibana / OpenSearch Dashboards",
    "5900": "VNC",
    "5985-5986": "WinRM",
    "6379": "Redis",
    "6443": "Kubernetes API server",
    "7000-7001": "Cassandra inter-node",
    "7199": "Cassandra JMX",
    "8080": "HTTP proxy / alternate web admin",
    "8088": "Hadoop YARN ResourceManager",
    "8888": "Cassandra OpsCenter / Jupyter",
    "9042": "Cassandra CQL",
    "9092": "Kafka",
    "9160": "Cassandra Thrift",
    "9200": "Elasticsearch / OpenSearch",
    "9300": "Elasticsearch / OpenSearch transport",
    "11211": "Memcached",
    "11211/udp": "Memcached",
    "27017-27018": "MongoDB",
}


def _protocol(value: str) -> str:
    value = value.lower()
    return _PROTOCOLS.get(value, value)


def _ports(first: int | None, last: int | None) -> str:
    if first is None or last is None:
        return "all ports"
    return str(first) if first == last else f"{first}-{last}"


def _admits(protocol: str, first: int | None, last: int | None, port: Port) -> bool:
    """Whether traffic of this protocol and port range includes some of `port`."""
    return _admits_normalized(_protocol(protocol), first, last, port)


def _admits_normalized(proto: str, first: int | None, last: int | None, port: Port) -> bool:
    """_admits() of a protocol already through _protocol(): matched against many ports, named once."""
    if proto == "-1":
        return True
    if proto != port[0]:
        return False
    if first is None or last is None or first < 0:  # no range given: every port of the protocol
        return True
    return first <= port[2] and last >= port[1]


def _rule_text(rule: SgRule) -> str:
    proto = _protocol(rule.protocol)
    return "all traffic" if proto == "-1" else f"{proto} {_ports(rule.from_port, rule.to_port)}"


def _public_sources(rule: SgRule) -> list[str]:
    return [cidr for cidr in (*rule.ipv4_ranges, *rule.ipv6_ranges) if cidr in INTERNET]


def _exposing_rules(sg: SecurityGroup, ports: Iterable[Port]) -> list[str]:
    """Inbound rules that admit any of `ports` from the internet, described."""
    wanted = list(ports)
    out = []
    for rule in sg.ingress:
        sources = _public_sources(rule)
        if sources and any(_admits(rule.protocol, rule.from_port, rule.to_port, p) for p in wanted):
            out.append(f"rule '{_rule_text(rule)}' from {', '.join(sources)}")
    return out


def parse_ports(ports: Mapping[str | int, str]) -> list[tuple[Port, str]]:
    """{"1433-1434": "SQL Server", "161/udp": "SNMP", 3306: "MySQL"} -> [((proto, first, last), name)]."""
    items = tuple(ports.items())
    try:
        return list(_parse_ports_cached(items))  # the same parameter is parsed once, not once per resource
    except TypeError:  # an unhashable value: parse it as it is
        return _parse_ports(items)


@functools.lru_cache(maxsize=64)
def _parse_ports_cached(items: tuple[tuple[str | int, str], ...]) -> tuple[tuple[Port, str], ...]:
    return tuple(_parse_ports(items))


def _parse_ports(items: Iterable[tuple[str | int, str]]) -> list[tuple[Port, str]]:
    out = []
    for key, service in items:
        spec, _, proto = str(key).strip().lower().partition("/")
        proto = proto or "tcp"
        first, _, last = spec.partition("-")
        try:
            lo, hi = int(first), int(last or first)
        except ValueError:
            raise ValueError(f"port {key!r} is not PORT[-PORT][/tcp|/udp]") from None
        if proto not in ("tcp", "udp") or not 0 <= lo <= hi <= 65535:
            raise ValueError(f"port {key!r} is not PORT[-PORT][/tcp|/udp] with ports 0-65535")
        out.append(((proto, lo, hi), str(service)))
    return sorted(out, key=lambda item: (item[0][1], item[0][0]))


_SG_CONSOLE = ("EC2 console > Security Groups > select the group > Inbound rules > Edit inbound rules: delete "
               "the rule whose source is 0.0.0.0/0 or ::/0 for {what}, or narrow its source to known address "
               "ranges or a security group > Save rules.")
_SG_CLI = ("aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
           "'IpProtocol={proto},FromPort={port},ToPort={port},IpRanges=[{{CidrIp=0.0.0.0/0}}]'\n"
           "# and the same with Ipv6Ranges=[{{CidrIpv6=::/0}}] for an IPv6 rule")


@control(
    id="ec2.sg_no_public_ssh",
    title="No security group admits SSH (TCP 22) from the internet",
    severity="high",
    needs=["ec2:DescribeSecurityGroups"],
    rationale="SSH gives an interactive shell, and port 22 open to 0.0.0.0/0 or ::/0 is scanned and "
    "brute-forced within minutes of exposure. Restricting remote administration to known networks, a "
    "bastion or Session Manager is the boundary protection CC6.6 asks for and limits logical access to "
    "infrastructure (CC6.1). A rule for all protocols, or a port range containing 22, counts as open.",
    remediation=Remediation(
        console=_SG_CONSOLE.format(what="port 22") + " Prefer AWS Systems Manager Session Manager, which "
        "needs no inbound port at all.",
        cli=_SG_CLI.format(proto="tcp", port=22),
        terraform='resource "aws_vpc_security_group_ingress_rule" "ssh" {\n'
        '  security_group_id = aws_security_group.example.id\n  ip_protocol       = "tcp"\n'
        '  from_port         = 22\n  to_port           = 22\n'
        '  cidr_ipv4         = "10.0.0.0/8" # a known network, never 0.0.0.0/0\n}',
    ),
)
def sg_no_public_ssh(sg: SecurityGroup) -> Outcome:
    rules = _exposing_rules(sg, [("tcp", 22, 22)])
    if rules:
        return Fail(f"SSH (TCP 22) is open to the internet: {'; '.join(rules)}")
    return Pass("no inbound rule admits TCP 22 from 0.0.0.0/0 or ::/0")


@control(
    id="ec2.sg_no_public_rdp",
    title="No security group admits RDP (TCP/UDP 3389) from the internet",
    severity="high",
    needs=["ec2:DescribeSecurityGroups"],
    rationale="Remote Desktop exposed to 0.0.0.0/0 or ::/0 is a leading way into Windows estates through "
    "password spraying and RDP vulnerabilities. Keeping 3389 (TCP, and UDP which RDP also listens on) "
    "closed to the internet is boundary protection under CC6.6 and restricts logical access to servers "
    "(CC6.1). A rule for all protocols, or a port range containing 3389, counts as open.",
    remediation=Remediation(
        console=_SG_CONSOLE.format(what="port 3389") + " Use Fleet Manager / Session Manager port "
        "forwarding or a VPN for remote desktop access.",
        cli=_SG_CLI.format(proto="tcp", port=3389) + "\n# repeat with IpProtocol=udp if a UDP rule exists",
        terraform='resource "aws_vpc_security_group_ingress_rule" "rdp" {\n'
        '  security_group_id = aws_security_group.example.id\n  ip_protocol       = "tcp"\n'
        '  from_port         = 3389\n  to_port           = 3389\n'
        '  cidr_ipv4         = "10.0.0.0/8" # a known network, never 0.0.0.0/0\n}',
    ),
)
def sg_no_public_rdp(sg: SecurityGroup) -> Outcome:
    rules = _exposing_rules(sg, [("tcp", 3389, 3389), ("udp", 3389, 3389)])
    if rules:
        return Fail(f"RDP (3389) is open to the internet: {'; '.join(rules)}")
    return Pass("no inbound rule admits TCP or UDP 3389 from 0.0.0.0/0 or ::/0")


@control(
    id="ec2.sg_no_public_admin_ports",
    title="No security group admits administration, file-sharing or database ports from the internet",
    severity="high",
    needs=["ec2:DescribeSecurityGroups"],
    rationale="Databases, caches, search clusters, message brokers, file shares and management "
    "interfaces (FTP, Telnet, mail, Kerberos, LDAP, SMB, MySQL, PostgreSQL, Redis, MongoDB, Cassandra, "
    "Elasticsearch, Docker, etcd, Kubernetes, WinRM, development servers on 3000/5000/8080...) are not "
    "meant to face the internet; exposed ones are found by mass scanning and account for many data "
    "breaches and ransom wipes. Keeping them off 0.0.0.0/0 and ::/0 is boundary "
    "protection under CC6.6 and protects the data they hold (CC6.1). SSH and RDP have controls of their "
    "own because they are the remote-login entry points every benchmark names one by one, carry their own "
    "exceptions and history, and rarely need tuning; the long tail of service ports differs between "
    "estates, so it is one control whose `ports` parameter can be extended or trimmed (remove 25 for a mail "
    "relay that must accept SMTP), and whose single finding per group names every exposed service instead of "
    "forty near-identical findings.",
    remediation=Remediation(
        console=_SG_CONSOLE.format(what="the ports named in the finding") + " Reach databases and "
        "management interfaces through private subnets, VPN, PrivateLink or Session Manager port forwarding.",
        cli=_SG_CLI.format(proto="tcp", port="<port>"),
        terraform='resource "aws_vpc_security_group_ingress_rule" "db" {\n'
        '  security_group_id            = aws_security_group.db.id\n  ip_protocol                  = "tcp"\n'
        '  from_port                    = 5432\n  to_port                      = 5432\n'
        '  referenced_security_group_id = aws_security_group.app.id # the clients, not 0.0.0.0/0\n}',
    ),
)
def sg_no_public_admin_ports(sg: SecurityGroup, *, ports: dict[str | int, str] = ADMIN_PORTS) -> Outcome:
    # Only rules open to the internet matter: most groups have none, and need no port matched.
    public = [(_protocol(rule.protocol), rule.from_port, rule.to_port, found)
              for rule in sg.ingress if (found := _public_sources(rule))]
    exposed = []
    if public:
        parsed = parse_ports(ports)
        sources: dict[int, list[str]] = {}  # position in `parsed` -> the sources admitted, in rule order
        for proto, first, last, found in public:
            for n in admitted_ports(proto, first, last, ports):
                seen = sources.setdefault(n, [])
                seen += [s for s in found if s not in seen]
        exposed = [f"{service} {_ports(port[1], port[2])}/{port[0]} from {', '.join(sources[n])}"
                   for n in sorted(sources) for port, service in (parsed[n],)]
    if exposed:
        return Fail(f"open to the internet: {'; '.join(exposed)}")
    return Pass(f"none of the {len(ports)} listed service ports is open to 0.0.0.0/0 or ::/0")


def admitted_ports(proto: str, first: int | None, last: int | None, ports: Mapping[str | int, str]) -> tuple[int, ...]:
    """Positions, in parse_ports(ports), of the ports a rule of this (normalized) protocol and range admits."""
    items = tuple(ports.items())
    try:
        return _admitted_cached(proto, first, last, items)  # the same rules recur across an estate's groups
    except TypeError:  # an unhashable value: match it as it is
        return _admitted(proto, first, last, _parse_ports(items))


@functools.lru_cache(maxsize=4096)
def _admitted_cached(proto: str, first: int | None, last: int | None,
                     items: tuple[tuple[str | int, str], ...]) -> tuple[int, ...]:
    return _admitted(proto, first, last, _parse_ports_cached(items))


def _admitted(proto: str, first: int | None, last: int | None,
              parsed: Iterable[tuple[Port, str]]) -> tuple[int, ...]:
    return tuple(n for n, (port, _) in enumerate(parsed) if _admits_normalized(proto, first, last, port))


def _all_ports(rule: SgRule) -> bool:
    proto = _protocol(rule.protocol)
    if proto == "-1":
        return True
    if proto not in ("tcp", "udp"):
        return False
    # Port 0 is reserved, so 1-65535 opens every usable port just as 0-65535 does.
    return rule.from_port is None or rule.to_port is None or (rule.from_port <= 1 and rule.to_port >= 65535)


@control(
    id="ec2.sg_no_public_all_traffic",
    title="No security group admits all traffic or all ports from the internet",
    severity="critical",
    needs=["ec2:DescribeSecurityGroups"],
    rationale="A rule for every protocol, or every TCP or UDP port, from 0.0.0.0/0 or ::/0 removes the "
    "security group as a boundary: every service on every attached instance, including ones started later, "
    "is reachable from the internet. Such rules are usually leftovers from debugging, and they defeat the "
    "boundary protection CC6.6 requires and the access restrictions of CC6.1.",
    remediation=Remediation(
        console="EC2 console > Security Groups > the group > Inbound rules > Edit inbound rules: delete "
        "the rule of type 'All traffic' (or 'All TCP'/'All UDP') whose source is 0.0.0.0/0 or ::/0 and add "
        "rules for only the ports the workload serves > Save rules.",
        cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> "
        "--ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'\n"
        "aws ec2 authorize-security-group-ingress --group-id <sg-id> --protocol tcp --port 443 --cidr 0.0.0.0/0",
        terraform='resource "aws_vpc_security_group_ingress_rule" "https" {\n'
        '  security_group_id = aws_security_group.web.id\n  ip_protocol       = "tcp" # never "-1" from the '
        'internet\n  from_port         = 443\n  to_port           = 443\n  cidr_ipv4         = "0.0.0.0/0"\n}',
    ),
)
def sg_no_public_all_traffic(sg: SecurityGroup) -> Outcome:
    rules = [
        f"rule '{_rule_text(r)}' from {', '.join(_public_sources(r))}"
        for r in sg.ingress if _public_sources(r) and _all_ports(r)
    ]
    if rules:
        return Fail(f"every port is open to the internet: {'; '.join(rules)}")
    return Pass("no inbound rule admits all traffic or all ports from 0.0.0.0/0 or ::/0")


def _rule_with_peers(rule: SgRule) -> str:
    peers = [*rule.ipv4_ranges, *rule.ipv6_ranges, *rule.prefix_list_ids, *rule.group_refs]
    return f"{_rule_text(rule)} with {', '.join(peers) or 'no peer'}"


@control(
    id="ec2.default_sg_blocks_all",
    title="Every VPC's default security group has no inbound or outbound rules",
    severity="medium",
    needs=["ec2:DescribeSecurityGroups"],
    rationale="Resources launched without an explicit security group land in the VPC's default group, "
    "which AWS creates allowing all traffic between its members and all outbound traffic. Emptying it means "
    "a forgotten group choice fails closed, and forces every workload to use a purpose-built group that "
    "states what it needs: deny-by-default boundary protection (CC6.6) and least functionality (CC6.1).",
    remediation=Remediation(
        console="VPC console > Security groups > the group named 'default' of the VPC > Inbound rules > "
        "Edit inbound rules > delete every rule > Save; then the same on the Outbound rules tab. Move "
        "anything that used the default group to a dedicated group first.",
        cli="aws ec2 describe-security-groups --group-ids <sg-id> --output json "
        "--query 'SecurityGroups[0].IpPermissions' > in.json\n"
        "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions file://in.json\n"
        "aws ec2 describe-security-groups --group-ids <sg-id> --output json "
        "--query 'SecurityGroups[0].IpPermissionsEgress' > out.json\n"
        "aws ec2 revoke-security-group-egress --group-id <sg-id> --ip-permissions file://out.json",
        terraform='# Adopting the default group with no rule blocks removes every rule from it.\n'
        'resource "aws_default_security_group" "default" {\n  vpc_id = aws_vpc.main.id\n}',
    ),
)
def default_sg_blocks_all(sg: SecurityGroup) -> Outcome:
    if not sg.is_default:
        return Skip(f"'{sg.group_name}' is not a VPC's default security group")
    vpc = sg.vpc_id or "its VPC"
    if not sg.ingress and not sg.egress:
        return Pass(f"default group of {vpc} has no inbound or outbound rules")
    parts = [f"inbound {_rule_with_peers(r)}" for r in sg.ingress]
    parts += [f"outbound {_rule_with_peers(r)}" for r in sg.egress]
    return Fail(f"default group of {vpc} has {len(sg.ingress)} inbound and {len(sg.egress)} outbound "
                f"rule(s): {'; '.join(parts)}")


def _nacl_exposure(acl: NetworkAcl, port: int) -> list[str]:
    """Internet-wide ALLOW entries for TCP `port` that no earlier internet-wide DENY overrides.

    Entries apply in rule-number order, first match wins, separately for IPv4 and IPv6. Only entries
    for all of 0.0.0.0/0 (or ::/0) decide: a DENY for a narrower range leaves the rest of the internet in.
    """
    out = []
    inbound = sorted((e for e in acl.entries if not e.egress), key=lambda e: e.rule_number)
    for internet in INTERNET:
        for entry in inbound:
            source = entry.ipv6_cidr if ":" in internet else entry.cidr
            if source != internet or not _admits(entry.protocol, entry.from_port, entry.to_port,
                                                        ("tcp", port, port)):
                continue
            if entry.action == "allow":
                out.append(f"rule {entry.rule_number} allows {_entry_text(entry)} from {internet}")
            break  # the first matching entry decides
    return out


def _entry_text(entry: NaclEntry) -> str:
    proto = _protocol(entry.protocol)
    return "all traffic" if proto == "-1" else f"{proto} {_ports(entry.from_port, entry.to_port)}"


def _nacl_check(acl: NetworkAcl, port: int, service: str) -> Outcome:
    if not acl.subnet_ids:
        return Skip("not associated with any subnet, so it filters no traffic")
    found = _nacl_exposure(acl, port)
    if found:
        return Fail(f"{service} (TCP {port}) is allowed in from the internet: {'; '.join(found)}")
    return Pass(f"no inbound entry allows TCP {port} from 0.0.0.0/0 or ::/0 ahead of a deny")


_NACL_CLI = ("aws ec2 create-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number {n} "
             "--protocol tcp --port-range From={port},To={port} --cidr-block 0.0.0.0/0 --rule-action deny\n"
             "aws ec2 create-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number {n1} "
             "--protocol tcp --port-range From={port},To={port} --ipv6-cidr-block ::/0 --rule-action deny")
_NACL_TF = ('resource "aws_network_acl_rule" "deny_{name}" {{\n  network_acl_id = aws_network_acl.public.id\n'
            '  rule_number    = {n} # lower than any allow that covers port {port}\n  egress         = false\n'
            '  protocol       = "tcp"\n  rule_action    = "deny"\n  cidr_block     = "0.0.0.0/0"\n'
            '  from_port      = {port}\n  to_port        = {port}\n}}')


@control(
    id="ec2.nacl_no_public_ssh",
    title="No network ACL allows SSH (TCP 22) in from the internet",
    severity="medium",
    needs=["ec2:DescribeNetworkAcls"],
    rationale="Network ACLs are the subnet-level layer of defence in depth under security groups: if a "
    "group is opened by mistake, an ACL that denies SSH from 0.0.0.0/0 and ::/0 still keeps remote login "
    "off the internet (CC6.6 boundary protection). An ALLOW entry for all traffic or a TCP range containing "
    "22 counts, unless a DENY for the same traffic has a lower rule number. ACLs that no subnet uses are "
    "not applicable.",
    remediation=Remediation(
        console="VPC console > Network ACLs > the ACL > Inbound rules > Edit inbound rules: add a DENY "
        "rule for TCP 22 from 0.0.0.0/0 (and ::/0) numbered below the allow rule that covers it, or narrow "
        "that allow rule > Save changes.",
        cli=_NACL_CLI.format(n=50, n1=51, port=22),
        terraform=_NACL_TF.format(name="ssh", n=50, port=22),
    ),
)
def nacl_no_public_ssh(acl: NetworkAcl) -> Outcome:
    return _nacl_check(acl, 22, "SSH")


@control(
    id="ec2.nacl_no_public_rdp",
    title="No network ACL allows RDP (TCP 3389) in from the internet",
    severity="medium",
    needs=["ec2:DescribeNetworkAcls"],
    rationale="A network ACL that denies Remote Desktop from 0.0.0.0/0 and ::/0 keeps 3389 off the "
    "internet even when a security group is misconfigured: a second, subnet-wide boundary (CC6.6). Note "
    "that the usual inbound allow for ephemeral return ports (1024-65535) covers 3389, so it needs a DENY "
    "for 3389 numbered before it.",
    remediation=Remediation(
        console="VPC console > Network ACLs > the ACL > Inbound rules > Edit inbound rules: add a DENY "
        "rule for TCP 3389 from 0.0.0.0/0 (and ::/0) numbered below the allow rule that covers it (often "
        "the ephemeral range 1024-65535) > Save changes.",
        cli=_NACL_CLI.format(n=60, n1=61, port=3389),
        terraform=_NACL_TF.format(name="rdp", n=60, port=3389),
    ),
)
def nacl_no_public_rdp(acl: NetworkAcl) -> Outcome:
    return _nacl_check(acl, 3389, "RDP")


@control(
    id="ec2.vpc_flow_logs_enabled",
    title="Every VPC has an active flow log",
    severity="medium",
    needs=["ec2:DescribeVpcs", "ec2:DescribeFlowLogs"],
    rationale="VPC flow logs record which addresses talked to which, on what port, and whether traffic was "
    "accepted or rejected. Without them there is no network evidence to detect scanning, exfiltration or "
    "lateral movement, or to investigate an incident afterwards (CC7.2 monitoring, CC7.3 evaluating "
    "security events). A VPC shared from another account is its owner's to log.",
    remediation=Remediation(
        console="VPC console > Your VPCs > select the VPC > Flow logs tab > Create flow log: Filter 'All', "
        "destination CloudWatch Logs (with a delivery role) or an S3 bucket > Create flow log.",
        cli="aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL "
        "--log-destination-type s3 --log-destination arn:aws:s3:::<log-bucket>/vpc-flow-logs/",
        terraform='resource "aws_flow_log" "vpc" {\n  vpc_id               = aws_vpc.main.id\n'
        '  traffic_type         = "ALL"\n  log_destination_type = "s3"\n'
        '  log_destination      = aws_s3_bucket.flow_logs.arn\n}',
    ),
)
def vpc_flow_logs_enabled(vpc: Vpc) -> Outcome:
    if vpc.owner_id and vpc.owner_id != vpc.account_id:
        return Skip(f"shared with this account by {vpc.owner_id}, whose flow logs cover it")
    if vpc.flow_logs_active is None:
        return Error("flow logs were not collected")
    if vpc.flow_logs_active:
        return Pass(f"active flow log: {', '.join(vpc.flow_log_ids)}")
    return Fail("no active flow log records this VPC's traffic")
