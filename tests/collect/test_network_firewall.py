"""Network Firewall collector against moto's server: firewalls found per VPC, and ERROR when reads are denied.

moto's CreateFirewall accepts any policy ARN and subnet ids (it has no CreateFirewallPolicy), which is
all the collector reads. moto also creates a default VPC without an internet gateway in every region.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.aws.network_firewall import collect_firewalls
from assay.collect.calls import Ctx
from assay.collect.session import AwsAccess
from assay.demo.estate.ebs import ensure_moto_ec2_reads
from assay.faults import deny
from assay.models.resources.network_firewall import NetworkFirewall
from tests.helpers import by_name, evaluate, findings_of, scan

CONTROL = "network_firewall.internet_vpcs_inspected"


@pytest.fixture(autouse=True)
def _moto_serves_the_ec2_reads_assay_makes() -> None:
    ensure_moto_ec2_reads()
POLICY = "arn:aws:network-firewall:us-east-1:123456789012:firewall-policy/egress"


def _vpc(ec2: Any, name: str, cidr: str, igw: bool) -> str:
    vpc: str = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": name}])
    if igw:
        gw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=gw, VpcId=vpc)
    return vpc


def _estate(seed: Any) -> dict[str, str]:
    ec2 = seed("ec2")
    inspected = _vpc(ec2, "inspected-vpc", "10.0.0.0/16", igw=True)
    subnet = ec2.create_subnet(VpcId=inspected, CidrBlock="10.0.0.0/28")["Subnet"]["SubnetId"]
    _vpc(ec2, "open-vpc", "10.1.0.0/16", igw=True)
    _vpc(ec2, "private-vpc", "10.2.0.0/16", igw=False)
    nfw = seed("network-firewall")
    fw = nfw.create_firewall(FirewallName="edge-fw", FirewallPolicyArn=POLICY, VpcId=inspected,
                             SubnetMappings=[{"SubnetId": subnet}], Tags=[{"Key": "team", "Value": "net"}])
    return {"vpc": inspected, "subnet": subnet, "arn": fw["Firewall"]["FirewallArn"]}


def test_collects_firewalls(access: Any, seed: Any) -> None:
    ids = _estate(seed)
    inv = scan(access, ["network-firewall"])
    assert inv.complete
    [fw] = inv.of(NetworkFirewall)
    assert (fw.arn, fw.name, fw.vpc_id, fw.subnet_ids, fw.policy_arn, fw.status) == (
        ids["arn"], "edge-fw", ids["vpc"], (ids["subnet"],), POLICY, "READY")
    assert fw.tags == {"team": "net"}


def test_internet_vpcs_need_a_firewall(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["ec2", "network-firewall"]))
    verdicts = by_name(ev, CONTROL)
    default_vpc = next(k for k in verdicts if k.startswith("vpc-"))
    assert verdicts == {"inspected-vpc": "pass", "open-vpc": "fail", "private-vpc": "skip", default_vpc: "skip"}
    messages = {f.resource_name: f.message for f in findings_of(ev, CONTROL)}
    assert messages["inspected-vpc"].startswith("Network Firewall edge-fw is deployed in the VPC")
    assert "no AWS Network Firewall is deployed" in messages["open-vpc"]


def test_without_the_firewall_service_collected_the_control_errors(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["ec2"]))
    found = findings_of(ev, CONTROL)
    assert [f.status.value for f in found] == ["error"]
    assert "network-firewall" in found[0].message


@pytest.mark.parametrize("with_firewall", [True, False])
def test_denied_listing_is_error_not_fail(access: Any, seed: Any, with_firewall: bool) -> None:
    if with_firewall:
        _estate(seed)
    else:
        _vpc(seed("ec2"), "open-vpc", "10.1.0.0/16", igw=True)  # no firewall anywhere: empty list must not FAIL
    access.hooks.append(("before-call", deny({"network-firewall:ListFirewalls"})))
    ev = evaluate(scan(access, ["ec2", "network-firewall"]))
    found = findings_of(ev, CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all("network-firewall:ListFirewalls" in f.message for f in found)


def test_denied_describe_is_error_for_internet_vpcs(access: Any, seed: Any) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({"network-firewall:DescribeFirewall"})))
    ev = evaluate(scan(access, ["ec2", "network-firewall"]))
    verdicts = by_name(ev, CONTROL)
    assert verdicts["inspected-vpc"] == verdicts["open-vpc"] == "error"
    assert verdicts["private-vpc"] == "skip"  # no internet gateway: which VPC the firewall is in does not matter
    assert "pass" not in verdicts.values() and "fail" not in verdicts.values()
    message = next(f.message for f in findings_of(ev, CONTROL) if f.resource_name == "open-vpc")
    assert "edge-fw" in message and "network-firewall:DescribeFirewall" in message
    [fw] = ev.inventory.of(NetworkFirewall)
    assert fw.vpc_id is None and fw.status is None


def test_listing_follows_pages_and_skips_firewalls_deleted_meanwhile() -> None:
    """moto answers ListFirewalls with "nextToken" (AWS: "NextToken"), so pagination is checked on a Stubber."""
    access = AwsAccess(endpoint_url="http://127.0.0.1:9", home_region="us-east-1", access_key="x", secret_key="y")
    client = access.client("network-firewall", "us-east-1")
    ctx = Ctx(access, "123456789012", "us-east-1", "network-firewall", "aws")
    arn = "arn:aws:network-firewall:us-east-1:123456789012:firewall/{}"
    with Stubber(client) as stub:
        stub.add_response("list_firewalls", {"Firewalls": [{"FirewallName": "a", "FirewallArn": arn.format("a")}],
                                             "NextToken": "t2"}, {"MaxResults": 100})
        stub.add_response("describe_firewall", {"Firewall": {
            "FirewallName": "a", "FirewallArn": arn.format("a"), "FirewallPolicyArn": POLICY, "VpcId": "vpc-1",
            "SubnetMappings": [{"SubnetId": "subnet-1"}], "FirewallId": "0" * 36},
            "FirewallStatus": {"Status": "READY", "ConfigurationSyncStateSummary": "IN_SYNC"}},
            {"FirewallArn": arn.format("a")})
        stub.add_response("describe_logging_configuration", {"FirewallArn": arn.format("a"), "LoggingConfiguration": {
            "LogDestinationConfigs": [{"LogType": "FLOW", "LogDestinationType": "S3",
                                       "LogDestination": {"bucketName": "logs"}}]}}, {"FirewallArn": arn.format("a")})
        stub.add_response("list_firewalls", {"Firewalls": [{"FirewallName": "b", "FirewallArn": arn.format("b")}]},
                          {"MaxResults": 100, "NextToken": "t2"})
        stub.add_client_error("describe_firewall", service_error_code="ResourceNotFoundException",
                              http_status_code=400)
        firewalls = [f for f in collect_firewalls(ctx) if isinstance(f, NetworkFirewall)]
    assert [(f.name, f.vpc_id, f.status, f.log_types) for f in firewalls] == [("a", "vpc-1", "READY", ("FLOW",))]
    assert not ctx.errors


LOGGING = "network_firewall.logging_enabled"


def test_firewall_logging_verdicts(access: Any, seed: Any) -> None:
    ids = _estate(seed)
    nfw = seed("network-firewall")
    quiet = nfw.create_firewall(FirewallName="quiet-fw", FirewallPolicyArn=POLICY, VpcId=ids["vpc"],
                                SubnetMappings=[{"SubnetId": ids["subnet"]}])
    nfw.update_logging_configuration(FirewallArn=ids["arn"], LoggingConfiguration={"LogDestinationConfigs": [
        {"LogType": "ALERT", "LogDestinationType": "CloudWatchLogs", "LogDestination": {"logGroup": "/nfw/alert"}},
        {"LogType": "FLOW", "LogDestinationType": "S3", "LogDestination": {"bucketName": "flows"}}]})
    ev = evaluate(scan(access, ["network-firewall"]))
    assert by_name(ev, LOGGING) == {"edge-fw": "pass", "quiet-fw": "fail"}
    messages = {f.resource_name: f.message for f in findings_of(ev, LOGGING)}
    assert messages["edge-fw"] == "sends ALERT, FLOW logs"
    assert quiet["Firewall"]["FirewallArn"] in {f.resource_arn for f in findings_of(ev, LOGGING)}


@pytest.mark.parametrize("action", ["network-firewall:ListFirewalls", "network-firewall:DescribeFirewall",
                                    "network-firewall:DescribeLoggingConfiguration"])
def test_denied_read_makes_logging_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action})))
    found = findings_of(evaluate(scan(access, ["network-firewall"])), LOGGING)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(action in f.message for f in found)
