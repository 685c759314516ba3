"""AWS Network Firewall controls: every internet-facing VPC inspected (judged on the VPC), every firewall logging."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.ec2 import Vpc
from assay.models.resources.network_firewall import NetworkFirewall


@control(
    id="network_firewall.internet_vpcs_inspected",
    title="Every VPC with an internet gateway has an AWS Network Firewall deployed in it",
    severity="medium",
    needs=["ec2:DescribeVpcs", "ec2:DescribeInternetGateways",
           "network-firewall:ListFirewalls", "network-firewall:DescribeFirewall"],
    rationale="Security groups and network ACLs filter by address and port only. A VPC that reaches the "
    "internet through an internet gateway also needs stateful inspection at that edge (domain allow-lists "
    "for egress, intrusion-prevention signatures, protocol enforcement) to stop command-and-control "
    "traffic and data exfiltration and to detect attacks: boundary protection under CC6.6 and anomaly "
    "detection under CC7.2. This control checks that a firewall is deployed in the VPC; that the route "
    "tables send internet traffic through its endpoints is for the network design review to confirm.",
    remediation=Remediation(
        console="VPC console > Network Firewall > Firewall policies > Create firewall policy (stateful rule "
        "groups for the allowed egress domains and threat signatures); then Firewalls > Create firewall in "
        "the VPC, one dedicated firewall subnet per Availability Zone; then route the internet gateway edge "
        "and the workload subnets' 0.0.0.0/0 routes through the firewall endpoints.",
        cli="aws network-firewall create-firewall --firewall-name <name> --firewall-policy-arn <policy-arn> "
        "--vpc-id <vpc-id> --subnet-mappings SubnetId=<firewall-subnet-a> SubnetId=<firewall-subnet-b>\n"
        "# then: aws ec2 replace-route ... --vpc-endpoint-id <firewall endpoint> for the affected route tables",
        terraform='resource "aws_networkfirewall_firewall" "edge" {\n  name                = "edge"\n'
        '  firewall_policy_arn = aws_networkfirewall_firewall_policy.edge.arn\n'
        '  vpc_id              = aws_vpc.main.id\n  subnet_mapping {\n'
        '    subnet_id = aws_subnet.firewall_a.id\n  }\n}',
    ),
)
def internet_vpcs_inspected(vpc: Vpc, inv: Inventory) -> Outcome:
    if vpc.owner_id and vpc.owner_id != vpc.account_id:
        return Skip(f"shared with this account by {vpc.owner_id}, which owns its internet edge")
    if vpc.has_internet_gateway is None:
        return Error("internet gateways were not collected")
    if not vpc.has_internet_gateway:
        return Skip("no internet gateway is attached")
    igws = ", ".join(vpc.internet_gateway_ids)
    firewalls = inv.in_account(NetworkFirewall, vpc.account_id, vpc.region)
    here = [f for f in firewalls if f.vpc_id == vpc.id]
    serving = [f.display_name for f in here if f.status != "DELETING"]
    if serving:
        return Pass(f"Network Firewall {', '.join(serving)} is deployed in the VPC (internet gateway {igws})")
    unknown = {f.arn: f.display_name for f in firewalls if f.vpc_id is None}
    if unknown:
        why = sorted({e.describe() for arn in unknown for e in inv.errors_on(arn)})
        return Error(f"could not read which VPC firewall {', '.join(unknown.values())} is deployed in"
                     + (f": {'; '.join(why)}" if why else ""))
    if here:
        return Fail(f"internet gateway {igws} is attached and the VPC's only firewall "
                    f"{', '.join(f.display_name for f in here)} is being deleted")
    return Fail(f"internet gateway {igws} is attached but no AWS Network Firewall is deployed in the VPC")


@control(
    id="network_firewall.logging_enabled",
    title="Every AWS Network Firewall sends its flow or alert logs to a destination",
    severity="medium",
    needs=["network-firewall:ListFirewalls", "network-firewall:DescribeFirewall",
           "network-firewall:DescribeLoggingConfiguration"],
    rationale="A Network Firewall that drops or alerts on traffic without logging it leaves no record of "
    "blocked attacks, matched intrusion signatures or the flows it allowed, so incidents at the network edge "
    "can be neither detected nor investigated afterwards (CC7.2 monitoring, CC7.3 evaluation of events), and "
    "availability problems caused by the firewall cannot be diagnosed (A1.2). Alert logs are the minimum; "
    "flow logs add the full picture. The finding names the log types configured.",
    remediation=Remediation(
        console="VPC console > Network Firewall > Firewalls > the firewall > Firewall details > Logging > Edit: "
        "select Alert (and Flow) log types, choose an S3 bucket, CloudWatch Logs group or Firehose stream for "
        "each > Save.",
        cli="aws network-firewall update-logging-configuration --firewall-arn <firewall-arn> "
        "--logging-configuration '{\"LogDestinationConfigs\":[{\"LogType\":\"ALERT\",\"LogDestinationType\":"
        "\"CloudWatchLogs\",\"LogDestination\":{\"logGroup\":\"/network-firewall/alert\"}}]}'",
        terraform='resource "aws_networkfirewall_logging_configuration" "edge" {\n'
        '  firewall_arn = aws_networkfirewall_firewall.edge.arn\n  logging_configuration {\n'
        '    log_destination_config {\n      log_type             = "ALERT"\n'
        '      log_destination_type = "CloudWatchLogs"\n'
        '      log_destination      = { logGroup = aws_cloudwatch_log_group.nfw_alert.name }\n    }\n  }\n}',
    ),
)
def logging_enabled(firewall: NetworkFirewall) -> Outcome:
    if firewall.status == "DELETING":
        return Skip("the firewall is being deleted")
    if firewall.log_types is None:
        return Error("the logging configuration was not read")
    if firewall.log_types:
        return Pass(f"sends {', '.join(firewall.log_types)} logs")
    return Fail("no log destination is configured: neither flow nor alert logs are kept")
