"""Route 53: hosted zones and their DNS query logging configurations (account-wide, one listing each)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.route53 import Route53HostedZone


@collector(service="route53", scope="global", produces=[Route53HostedZone],
           permissions=["route53:ListHostedZones", "route53:ListQueryLoggingConfigs"])
def collect_hosted_zones(ctx: Ctx) -> Iterator[Route53HostedZone]:
    route53 = ctx.client("route53")
    zones = list(ctx.paginate(route53, "list_hosted_zones", "HostedZones"))
    if not zones:
        return
    # Without a HostedZoneId the listing covers every zone of the account: one call instead of one per zone.
    logging: dict[str, list[str]] | None = defaultdict(list)
    for config in ctx.paginate(route53, "list_query_logging_configs", "QueryLoggingConfigs"):
        logging[config["HostedZoneId"]].append(config.get("CloudWatchLogsLogGroupArn", ""))  # type: ignore[index]
    if ctx.failed("route53:ListQueryLoggingConfigs"):
        logging = None
    for zone in zones:
        zone_id = zone["Id"].rsplit("/", 1)[-1]
        yield Route53HostedZone(
            arn=ctx.arn("route53", f"hostedzone/{zone_id}", account=False), id=zone_id, account_id=ctx.account_id,
            region=ctx.region, name=zone.get("Name", "").rstrip("."),
            private=bool((zone.get("Config") or {}).get("PrivateZone", False)),
            record_count=int(zone.get("ResourceRecordSetCount") or 0),
            query_log_groups=None if logging is None else tuple(logging.get(zone_id, ())),
        )
