"""AWS Network Firewall: firewalls, the VPC each one is deployed in, and where each sends its logs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.network_firewall import NetworkFirewall

PAGE = 100  # the ListFirewalls maximum


def _log_types(answer: dict[str, Any]) -> tuple[str, ...]:
    configs = (answer.get("LoggingConfiguration") or {}).get("LogDestinationConfigs") or []
    return tuple(sorted({str(c.get("LogType")) for c in configs if c.get("LogType")}))


@collector(
    service="network-firewall",
    produces=[NetworkFirewall],
    permissions=["network-firewall:ListFirewalls", "network-firewall:DescribeFirewall",
                 "network-firewall:DescribeLoggingConfiguration"],
    absent={"network-firewall:DescribeFirewall": ["ResourceNotFoundException"]},
)
def collect_firewalls(ctx: Ctx) -> Iterator[NetworkFirewall]:
    nfw = ctx.client("network-firewall")
    for item in ctx.paginate(nfw, "list_firewalls", "Firewalls", MaxResults=PAGE):
        arn = item["FirewallArn"]
        name = item.get("FirewallName") or arn.rsplit("/", 1)[-1]
        described = ctx.call(nfw, "describe_firewall", resource_arn=arn, FirewallArn=arn)
        if described is None:
            # Keep the firewall with its VPC unknown, so that controls looking for a firewall in a
            # VPC report ERROR rather than conclude that there is none.
            yield NetworkFirewall(arn=arn, id=name, account_id=ctx.account_id, region=ctx.region, name=name)
            continue
        if not described:
            continue  # deleted between the listing and the description
        fw = described.get("Firewall") or {}
        logging = ctx.call(nfw, "describe_logging_configuration", resource_arn=arn, FirewallArn=arn)
        yield NetworkFirewall(
            arn=arn, id=name, account_id=ctx.account_id, region=ctx.region,
            name=name, tags=tags_from(fw.get("Tags")),
            vpc_id=fw.get("VpcId") or "",
            subnet_ids=tuple(m["SubnetId"] for m in fw.get("SubnetMappings") or [] if m.get("SubnetId")),
            policy_arn=fw.get("FirewallPolicyArn"),
            status=(described.get("FirewallStatus") or {}).get("Status", ""),
            log_types=None if logging is None else _log_types(logging),
        )
