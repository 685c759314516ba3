"""Network Firewall controls: pure functions over a Vpc with the firewalls in the inventory, and over a firewall."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assay.controls import network_firewall
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, CollectionError, ErrorKind, Inventory, ScanMeta
from assay.models.resources.ec2 import Vpc
from assay.models.resources.network_firewall import NetworkFirewall

ACCOUNT = "123456789012"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def vpc(**over: Any) -> Vpc:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc/vpc-1", id="vpc-1", account_id=ACCOUNT, region="us-east-1",
        owner_id=ACCOUNT, has_internet_gateway=True, internet_gateway_ids=("igw-1",),
    )
    return Vpc(**{**base, **over})


def firewall(name: str = "edge", region: str = "us-east-1", **over: Any) -> NetworkFirewall:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:network-firewall:{region}:{ACCOUNT}:firewall/{name}", id=name, name=name, account_id=ACCOUNT,
        region=region, vpc_id="vpc-1", subnet_ids=("subnet-fw",), policy_arn="arn:policy", status="READY",
    )
    return NetworkFirewall(**{**base, **over})


def inventory(*firewalls: NetworkFirewall, errors: list[CollectionError] | None = None) -> Inventory:
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], firewalls, errors or [])


def check(v: Vpc, inv: Inventory) -> tuple[Status, str]:
    out = network_firewall.internet_vpcs_inspected(v, inv)
    return out.status, out.message


def test_firewall_in_the_vpc_passes() -> None:
    status, message = check(vpc(), inventory(firewall()))
    assert status is Status.PASS
    assert message == "Network Firewall edge is deployed in the VPC (internet gateway igw-1)"


def test_no_firewall_or_firewall_elsewhere_fails() -> None:
    expected = "internet gateway igw-1 is attached but no AWS Network Firewall is deployed in the VPC"
    assert check(vpc(), inventory()) == (Status.FAIL, expected)
    assert check(vpc(), inventory(firewall(vpc_id="vpc-2"))) == (Status.FAIL, expected)
    assert check(vpc(), inventory(firewall(region="eu-west-1"))) == (Status.FAIL, expected)
    assert check(vpc(), inventory(firewall(vpc_id=""))) == (Status.FAIL, expected)  # transit gateway firewall


def test_firewall_being_deleted_does_not_count() -> None:
    status, message = check(vpc(), inventory(firewall(status="DELETING")))
    assert status is Status.FAIL and "edge is being deleted" in message


def test_vpc_without_internet_gateway_or_shared_is_skipped() -> None:
    status, message = check(vpc(has_internet_gateway=False, internet_gateway_ids=()), inventory())
    assert (status, message) == (Status.SKIP, "no internet gateway is attached")
    assert check(vpc(owner_id="210987654321"), inventory())[0] is Status.SKIP


def test_unknown_gateways_or_unknown_firewall_vpc_is_error() -> None:
    assert check(vpc(has_internet_gateway=None), inventory(firewall()))[0] is Status.ERROR
    unread = firewall(vpc_id=None, subnet_ids=None, policy_arn=None, status=None)
    err = CollectionError(account_id=ACCOUNT, region="us-east-1", service="network-firewall",
                          operation="network-firewall:DescribeFirewall", code="AccessDenied",
                          kind=ErrorKind.DENIED, message="no", resource_arn=unread.arn)
    status, message = check(vpc(), inventory(unread, errors=[err]))
    assert status is Status.ERROR
    assert message.startswith("could not read which VPC firewall edge is deployed in: "
                              "network-firewall:DescribeFirewall failed")
    # a firewall known to be in the VPC decides even if another one could not be read
    assert check(vpc(), inventory(unread, firewall("other")))[0] is Status.PASS


# -- logging ---------------------------------------------------------------------------------------

def test_firewall_logging() -> None:
    base: dict[str, Any] = dict(arn="arn:aws:network-firewall:us-east-1:123456789012:firewall/edge", id="edge",
                                account_id="123456789012", region="us-east-1", name="edge", vpc_id="vpc-1",
                                status="READY")
    out = network_firewall.logging_enabled(NetworkFirewall(**base, log_types=("ALERT", "FLOW")))
    assert out.status is Status.PASS and out.message == "sends ALERT, FLOW logs"
    out = network_firewall.logging_enabled(NetworkFirewall(**base, log_types=()))
    assert out.status is Status.FAIL and out.message.startswith("no log destination is configured")
    assert network_firewall.logging_enabled(NetworkFirewall(**base)).status is Status.ERROR
    deleting = NetworkFirewall(**{**base, "status": "DELETING"}, log_types=())
    assert network_firewall.logging_enabled(deleting).status is Status.SKIP
