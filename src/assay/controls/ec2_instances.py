"""EC2 instance controls (ids keep the "ec2." prefix): metadata service, public addresses, service ports
exposed through attached security groups, monitoring, EBS optimisation, long-stopped instances, Nitro
Enclave parents, launch templates and owned AMIs."""

from __future__ import annotations

from datetime import datetime

from assay.controls.ec2 import (
    ADMIN_PORTS,
    _ports,
    _protocol,
    _public_sources,
    _rule_text,
    admitted_ports,
    parse_ports,
)
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.ec2 import Image, Instance, LaunchTemplate, SecurityGroup

# Remote login plus every administration, file-sharing and database service of the security group control.
SERVICE_PORTS: dict[str | int, str] = {"22": "SSH", "3389": "RDP", "3389/udp": "RDP", **ADMIN_PORTS}


def _enclave(instance: Instance) -> str:
    return " (Nitro Enclave parent)" if instance.enclave_enabled else ""


@control(
    id="ec2.instance_imdsv2_required",
    title="EC2 instances require IMDSv2 (or have the metadata service turned off)",
    severity="high",
    needs=["ec2:DescribeInstances"],
    rationale="The instance metadata service hands out the temporary credentials of the instance's IAM role. "
    "With IMDSv1 allowed, a server-side request forgery or an open proxy on the instance lets an outsider "
    "fetch those credentials with one GET request, a well-known path to cloud breaches. IMDSv2 needs a "
    "session token obtained with a PUT, which such requests cannot make. Requiring it protects the "
    "credentials that grant logical access (CC6.1) and closes a common external attack vector (CC6.6, CC7.1). "
    "Parent instances of Nitro Enclaves are held to the same rule.",
    remediation=Remediation(
        console="EC2 console > Instances > the instance > Actions > Instance settings > Modify instance "
        "metadata options > IMDSv2: Required > Save. Set it in launch templates and as the account default "
        "(EC2 Dashboard > Account attributes > Data protection and security > IMDS defaults) as well.",
        cli="aws ec2 modify-instance-metadata-options --instance-id <instance-id> --http-tokens required "
        "--http-endpoint enabled\n"
        "aws ec2 modify-instance-metadata-defaults --http-tokens required --region <region>",
        terraform='resource "aws_instance" "app" {\n  # ...\n  metadata_options {\n'
        '    http_endpoint = "enabled"\n    http_tokens   = "required"\n  }\n}',
    ),
)
def instance_imdsv2_required(instance: Instance) -> Outcome:
    if instance.metadata_http_endpoint == "disabled":
        return Pass(f"instance metadata service is turned off{_enclave(instance)}")
    if instance.metadata_http_tokens == "required":
        return Pass(f"IMDSv2 session tokens are required{_enclave(instance)}")
    if not instance.metadata_http_tokens:
        return Error("metadata options were not reported")
    return Fail(f"IMDSv1 is allowed (http tokens '{instance.metadata_http_tokens}'){_enclave(instance)}")


@control(
    id="ec2.instance_no_public_ip",
    title="EC2 instances have no public IPv4 address",
    severity="medium",
    needs=["ec2:DescribeInstances"],
    rationale="An instance with a public IPv4 address is directly reachable from the internet whenever a "
    "security group or network ACL lets traffic in, so one rule mistake exposes it. Placing instances in "
    "private subnets and publishing services through load balancers, NAT and Session Manager keeps the "
    "boundary at a few managed entry points (CC6.6) and limits who can reach servers (CC6.1). Instances that "
    "must be public (a bastion, a mail relay) are exceptions to record.",
    remediation=Remediation(
        console="A public IP cannot be removed from a running instance's primary interface in place: launch a "
        "replacement in a private subnet (subnet setting 'Auto-assign public IPv4' off, or 'Auto-assign public "
        "IP: Disable' in the launch wizard) behind a load balancer, then terminate the old instance. An Elastic "
        "IP can be disassociated: EC2 console > Elastic IPs > the address > Actions > Disassociate.",
        cli="aws ec2 run-instances ... --subnet-id <private-subnet-id> --no-associate-public-ip-address\n"
        "aws ec2 disassociate-address --association-id <eipassoc-id>   # for an Elastic IP",
        terraform='resource "aws_instance" "app" {\n  subnet_id                   = aws_subnet.private.id\n'
        '  associate_public_ip_address = false\n  # ...\n}',
    ),
)
def instance_no_public_ip(instance: Instance) -> Outcome:
    if instance.public_ip:
        return Fail(f"has public IPv4 address {instance.public_ip}{_enclave(instance)}")
    return Pass("no public IPv4 address")


@control(
    id="ec2.instance_in_vpc",
    title="EC2 instances run in a VPC",
    severity="low",
    needs=["ec2:DescribeInstances"],
    rationale="Instances outside a VPC (EC2-Classic) share a flat network with other customers and cannot "
    "use network ACLs, flow logs, private subnets or egress security group rules. AWS retired EC2-Classic, "
    "so an instance without a VPC is a leftover that escapes the network boundary controls this scanner "
    "checks (CC6.6, CC6.1).",
    remediation=Remediation(
        console="Create an AMI of the instance (Actions > Image and templates > Create image), launch it "
        "into a subnet of a VPC with the needed security groups, move the workload, terminate the old instance.",
        cli="aws ec2 create-image --instance-id <instance-id> --name migrate-to-vpc\n"
        "aws ec2 run-instances --image-id <ami-id> --subnet-id <subnet-id> --security-group-ids <sg-id> ...",
        terraform='resource "aws_instance" "app" {\n  subnet_id              = aws_subnet.private.id\n'
        '  vpc_security_group_ids = [aws_security_group.app.id]\n  # ...\n}',
    ),
)
def instance_in_vpc(instance: Instance) -> Outcome:
    if instance.vpc_id:
        return Pass(f"runs in {instance.vpc_id}")
    return Fail("not in a VPC (EC2-Classic)")


@control(
    id="ec2.instance_detailed_monitoring",
    title="EC2 instances have detailed (1-minute) monitoring",
    severity="low",
    needs=["ec2:DescribeInstances"],
    rationale="Basic monitoring reports instance metrics every five minutes; detailed monitoring every "
    "minute. Finer metrics let alarms and auto scaling react to saturation or anomalies within minutes, "
    "which supports capacity monitoring for availability (A1.1) and the detection of unusual activity "
    "such as crypto-mining CPU spikes (CC7.2). Stopped instances are not assessed.",
    remediation=Remediation(
        console="EC2 console > Instances > the instance > Actions > Monitor and troubleshoot > Manage "
        "detailed monitoring > Enable > Confirm.",
        cli="aws ec2 monitor-instances --instance-ids <instance-id>",
        terraform='resource "aws_instance" "app" {\n  monitoring = true\n  # ...\n}',
    ),
)
def instance_detailed_monitoring(instance: Instance) -> Outcome:
    if instance.state in ("stopped", "stopping"):
        return Skip(f"instance is {instance.state}")
    if instance.monitoring in ("enabled", "pending"):
        return Pass(f"detailed monitoring is {instance.monitoring}")
    return Fail(f"only basic 5-minute monitoring ({instance.monitoring or 'disabled'})")


@control(
    id="ec2.instance_ebs_optimized",
    title="EC2 instances are EBS-optimised where their type supports it",
    severity="low",
    needs=["ec2:DescribeInstances", "ec2:DescribeInstanceTypes"],
    rationale="An EBS-optimised instance has dedicated bandwidth to its volumes, so heavy network traffic "
    "does not starve disk I/O and the other way round: steadier performance under load, which supports "
    "capacity and availability commitments (A1.1, A1.2). Current-generation types are EBS-optimised by "
    "default and pass; types that do not support it are not applicable.",
    remediation=Remediation(
        console="EC2 console > Instances > stop the instance > Actions > Instance settings > Change instance "
        "type > check 'EBS-optimized' (or pick a current-generation type, optimised by default) > Apply > start.",
        cli="aws ec2 stop-instances --instance-ids <instance-id>\n"
        "aws ec2 modify-instance-attribute --instance-id <instance-id> --ebs-optimized\n"
        "aws ec2 start-instances --instance-ids <instance-id>",
        terraform='resource "aws_instance" "app" {\n  instance_type = "m7i.large" # EBS-optimised by default\n'
        '  ebs_optimized = true\n  # ...\n}',
    ),
)
def instance_ebs_optimized(instance: Instance) -> Outcome:
    support = instance.ebs_optimized_support
    if support is None:
        return Error(f"EBS optimisation support of type {instance.instance_type} was not read")
    if support == "default":
        return Pass(f"{instance.instance_type} is EBS-optimised by default")
    if support == "unsupported":
        return Skip(f"{instance.instance_type} does not support EBS optimisation")
    if instance.ebs_optimized:
        return Pass("EBS optimisation is enabled")
    return Fail(f"{instance.instance_type} supports EBS optimisation but it is not enabled")


@control(
    id="ec2.instance_not_stopped_long",
    title="No EC2 instance has been stopped for longer than the allowed number of days",
    severity="low",
    needs=["ec2:DescribeInstances"],
    rationale="An instance stopped for weeks misses every patch released meanwhile and usually belongs to "
    "nobody any more; restarted, it comes back vulnerable with its old role and data. Terminating or "
    "re-baselining such instances keeps the inventory of systems current and their configuration monitored "
    "(CC7.1) and their data disposed of when no longer needed (CC6.5). The limit is the `max_stopped_days` "
    "parameter; when AWS did not record the stop time the finding is not applicable.",
    remediation=Remediation(
        console="EC2 console > Instances > filter Instance state = stopped > for each old one: create an AMI or "
        "snapshot if it must be kept (Actions > Image and templates > Create image), then Instance state > "
        "Terminate instance.",
        cli="aws ec2 create-image --instance-id <instance-id> --name archive-<instance-id>  # if needed\n"
        "aws ec2 terminate-instances --instance-ids <instance-id>",
        terraform="# Remove the aws_instance resource (or set count = 0) and apply; keep an aws_ami_from_instance\n"
        '# if the image must be retained.\nresource "aws_ami_from_instance" "archive" {\n'
        '  name               = "archive"\n  source_instance_id = aws_instance.old.id\n}',
    ),
)
def instance_not_stopped_long(instance: Instance, now: datetime, *, max_stopped_days: int = 30) -> Outcome:
    if instance.state != "stopped":
        return Pass(f"instance is {instance.state}")
    if instance.stopped_since is None:
        return Skip("stopped, but AWS did not record when")
    days = (now - instance.stopped_since).days
    if days > max_stopped_days:
        return Fail(f"stopped for {days} days since {instance.stopped_since:%Y-%m-%d} (limit {max_stopped_days})")
    return Pass(f"stopped for {days} days (limit {max_stopped_days})")


@control(
    id="ec2.launch_template_no_public_ip",
    title="Launch templates do not assign public IP addresses",
    severity="medium",
    needs=["ec2:DescribeLaunchTemplateVersions"],
    rationale="Auto Scaling groups, fleets and people launch instances from the default or latest version of "
    "a launch template. A version whose network interface asks for a public IPv4 address makes every "
    "instance launched from it reachable from the internet, multiplying one configuration choice across the "
    "fleet. Keeping public addressing out of templates keeps instances behind the managed boundary (CC6.6).",
    remediation=Remediation(
        console="EC2 console > Launch templates > the template > Actions > Modify template (Create new "
        "version) > Network settings > Advanced network configuration > Auto-assign public IP: Disable > "
        "Create template version; then Actions > Set default version to the new one.",
        cli="aws ec2 create-launch-template-version --launch-template-id <lt-id> --source-version <n> "
        "--launch-template-data '{\"NetworkInterfaces\":[{\"DeviceIndex\":0,\"AssociatePublicIpAddress\":false}]}'\n"
        "aws ec2 modify-launch-template --launch-template-id <lt-id> --default-version <new-n>",
        terraform='resource "aws_launch_template" "app" {\n  # ...\n  network_interfaces {\n'
        '    associate_public_ip_address = false\n  }\n}',
    ),
)
def launch_template_no_public_ip(template: LaunchTemplate) -> Outcome:
    if not template.versions:
        return Skip("no default or latest version was returned")
    bad = []
    for v in template.versions:
        roles = [r for r, on in (("default", v.is_default), ("latest", v.is_latest)) if on]
        if v.public_ip_interfaces:
            devices = ", ".join(str(d) for d in v.public_ip_interfaces)
            bad.append(f"version {v.number} ({'/'.join(roles)}) on device index {devices}")
    if bad:
        return Fail(f"assigns a public IP address: {'; '.join(bad)}")
    return Pass(f"versions {', '.join(str(v.number) for v in template.versions)} assign no public IP address")


@control(
    id="ec2.ami_not_public",
    title="AMIs owned by the account are not public",
    severity="high",
    needs=["ec2:DescribeImages"],
    rationale="A public AMI can be launched by anyone, who then has a copy of every file baked into the "
    "image: application code, configuration, and too often keys and passwords. Unless publishing images is "
    "the business, owned AMIs should be private or shared with named accounts only, restricting access to "
    "the information they contain (CC6.1) and what leaves the boundary (CC6.6).",
    remediation=Remediation(
        console="EC2 console > AMIs > the image > Actions > Edit AMI permissions > Private (add account ids "
        "to share with) > Save changes. Consider turning on block public access for AMIs in the region.",
        cli="aws ec2 modify-image-attribute --image-id <ami-id> --launch-permission "
        "'Remove=[{Group=all}]'\naws ec2 enable-image-block-public-access --image-block-public-access-state "
        "block-new-sharing",
        terraform='resource "aws_ami_launch_permission" "partner" {\n  image_id   = aws_ami.app.id\n'
        '  account_id = "111122223333" # named accounts, never group = "all"\n}',
    ),
)
def ami_not_public(image: Image) -> Outcome:
    if image.public:
        return Fail("the AMI is public: any AWS account can launch it")
    return Pass("the AMI is private")


def _groups(instance: Instance, inv: Inventory) -> tuple[list[SecurityGroup], list[str]]:
    """The instance's security groups found in the inventory, and the ids that were not."""
    # (account, region, id) -> (position in the inventory, group): looked up, then kept in inventory order.
    index = inv.memo("ec2.security_groups_by_id", lambda: {
        (g.account_id, g.region, g.id): (n, g) for n, g in enumerate(inv.of(SecurityGroup))})
    found = dict(sorted(index[key] for gid in set(instance.security_group_ids)
                        if (key := (instance.account_id, instance.region, gid)) in index))
    ids = {g.id for g in found.values()}
    return list(found.values()), [gid for gid in instance.security_group_ids if gid not in ids]


def _exposed(groups: list[SecurityGroup], ports: dict[str | int, str]) -> list[str]:
    # Only rules open to the internet matter: most groups have none, and need no port matched.
    public = [(g.display_name, _protocol(r.protocol), r.from_port, r.to_port)
              for g in groups for r in g.ingress if _public_sources(r)]
    if not public:
        return []
    via: dict[int, set[str]] = {}  # position in parse_ports(ports) -> the groups that open it
    for name, proto, first, last in public:
        for n in admitted_ports(proto, first, last, ports):
            via.setdefault(n, set()).add(name)
    parsed = parse_ports(ports)
    return [f"{service} {_ports(port[1], port[2])}/{port[0]} via {', '.join(sorted(via[n]))}"
            for n in sorted(via) for port, service in (parsed[n],)]


@control(
    id="ec2.instance_service_ports_not_public",
    title="No EC2 instance exposes remote-login, administration or database ports to the internet",
    severity="high",
    needs=["ec2:DescribeInstances", "ec2:DescribeSecurityGroups"],
    rationale="The security group controls judge each group; this one judges each server: which of its "
    "services (SSH, RDP, databases, caches, file sharing, management interfaces) its attached groups open "
    "to 0.0.0.0/0 or ::/0. It names the machine an attacker would reach, which is what an incident or risk "
    "review needs, and says whether the instance is reachable now (it has a public address) or only once "
    "it gets one. Boundary protection under CC6.6 and restriction of access to systems under CC6.1. The "
    "ports are the `ports` parameter (SSH, RDP and the admin-port list by default).",
    remediation=Remediation(
        console="EC2 console > Instances > the instance > Security tab > each listed security group > Edit "
        "inbound rules: remove or narrow the rules from 0.0.0.0/0 or ::/0 for the ports named in the finding; "
        "or Actions > Security > Change security groups to a group without them. Use Session Manager for "
        "shell access.",
        cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
        "'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]'\n"
        "aws ec2 modify-instance-attribute --instance-id <instance-id> --groups <sg-id-without-the-rule>",
        terraform='resource "aws_instance" "app" {\n  # ...\n'
        '  vpc_security_group_ids = [aws_security_group.app_private.id] # no 0.0.0.0/0 on service ports\n}',
    ),
)
def instance_service_ports_not_public(instance: Instance, inv: Inventory, *,
                                      ports: dict[str | int, str] = SERVICE_PORTS) -> Outcome:
    if not instance.security_group_ids:
        return Skip("no security group is attached")
    groups, missing = _groups(instance, inv)
    if missing:
        return Error(f"security group(s) {', '.join(missing)} were not collected")
    exposed = _exposed(groups, ports)
    if not exposed:
        return Pass(f"none of the {len(ports)} listed service ports is open to the internet")
    reach = (f"reachable now at {instance.public_ip}" if instance.public_ip
             else "no public IP yet, exposed once one is assigned")
    return Fail(f"open to the internet ({reach}): {'; '.join(exposed)}")


def _enclave_skip(instance: Instance) -> Outcome | None:
    return None if instance.enclave_enabled else Skip("not a Nitro Enclave parent instance")


@control(
    id="ec2.enclave_host_not_internet_exposed",
    title="Nitro Enclave parent instances have no public IP and admit no internet traffic",
    severity="high",
    needs=["ec2:DescribeInstances", "ec2:DescribeSecurityGroups"],
    rationale="Nitro Enclaves exist to process the most sensitive data (keys, personal data, model "
    "weights) in isolation; the parent instance is the enclave's only door. A parent with a public address "
    "or any inbound rule from 0.0.0.0/0 or ::/0 puts that door on the internet, where the vsock proxy and "
    "the parent's own services can be attacked. Keeping parents private protects the confidential workload "
    "at the boundary (CC6.6, C1.1). Other instances are not applicable.",
    remediation=Remediation(
        console="Move the parent to a private subnet (relaunch without a public IP), and remove every inbound "
        "rule from 0.0.0.0/0 or ::/0 from its security groups: EC2 console > Security Groups > the group > "
        "Edit inbound rules. Feed the enclave through a load balancer or queue in front of a private parent.",
        cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
        "'IpProtocol=<proto>,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]'",
        terraform='resource "aws_instance" "enclave_parent" {\n  subnet_id                   = aws_subnet.private.id\n'
        '  associate_public_ip_address = false\n  enclave_options {\n    enabled = true\n  }\n}',
    ),
)
def enclave_host_not_internet_exposed(instance: Instance, inv: Inventory) -> Outcome:
    skip = _enclave_skip(instance)
    if skip:
        return skip
    groups, missing = _groups(instance, inv)
    if missing:
        return Error(f"security group(s) {', '.join(missing)} were not collected")
    problems = [f"public IP {instance.public_ip}"] if instance.public_ip else []
    problems += [f"{g.display_name} admits '{_rule_text(r)}' from {', '.join(_public_sources(r))}"
                 for g in groups for r in g.ingress if _public_sources(r)]
    if problems:
        return Fail(f"enclave parent reachable from the internet: {'; '.join(problems)}")
    return Pass("enclave parent has no public IP and no inbound rule from the internet")


@control(
    id="ec2.enclave_host_running",
    title="Nitro Enclave parent instances are running",
    severity="low",
    needs=["ec2:DescribeInstances"],
    rationale="An enclave runs only while its parent instance does: a stopped parent means the confidential "
    "workload it hosts (signing, decryption, tokenisation) is unavailable to the systems that depend on it. "
    "Watching the parents' state supports the availability commitments of A1.2. Other instances are not "
    "applicable.",
    remediation=Remediation(
        console="EC2 console > Instances > the enclave parent > Instance state > Start instance; then start the "
        "enclave (nitro-cli run-enclave) from the parent, or let its service unit do it at boot.",
        cli="aws ec2 start-instances --instance-ids <instance-id>",
        terraform='resource "aws_ec2_instance_state" "enclave_parent" {\n'
        '  instance_id = aws_instance.enclave_parent.id\n  state       = "running"\n}',
    ),
)
def enclave_host_running(instance: Instance) -> Outcome:
    skip = _enclave_skip(instance)
    if skip:
        return skip
    if instance.state == "running":
        return Pass("enclave parent is running")
    return Fail(f"enclave parent is {instance.state}: its enclave cannot serve")
