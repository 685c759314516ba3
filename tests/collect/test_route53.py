"""Route 53 collector against moto's server (global scope), and ERROR when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.route53 import Route53HostedZone
from tests.helpers import by_name, evaluate, findings_of, scan

CONTROL = "route53.public_zone_query_logging"


def _estate(seed: Any) -> None:
    route53 = seed("route53")
    good = route53.create_hosted_zone(Name="logged.example", CallerReference="a")["HostedZone"]["Id"]
    route53.create_hosted_zone(Name="silent.example", CallerReference="b")
    vpc = seed("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    route53.create_hosted_zone(Name="internal.example", CallerReference="c", HostedZoneConfig={"PrivateZone": True},
                               VPC={"VPCRegion": "us-east-1", "VPCId": vpc})
    seed("logs").create_log_group(logGroupName="/aws/route53/logged")
    route53.create_query_logging_config(
        HostedZoneId=good,
        CloudWatchLogsLogGroupArn="arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/logged:*")


def test_collects_zones_and_evaluates(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["route53"])
    assert inv.complete
    zones = {z.name: z for z in inv.of(Route53HostedZone)}
    assert zones["logged.example"].region == "global"
    assert zones["logged.example"].arn == f"arn:aws:route53:::hostedzone/{zones['logged.example'].id}"
    assert zones["logged.example"].query_log_groups == (
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/logged:*",)
    assert zones["internal.example"].private
    assert by_name(evaluate(inv), CONTROL) == {
        "logged.example": "pass", "silent.example": "fail", "internal.example": "skip"}


@pytest.mark.parametrize("action", ["route53:ListHostedZones", "route53:ListQueryLoggingConfigs"])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action})))
    found = findings_of(evaluate(scan(access, ["route53"])), CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(action in f.message for f in found)
