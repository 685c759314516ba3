"""DMS: replication instances, endpoints and replication tasks, each from its own region-wide listing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import Resource
from assay.models.resources.dms import DmsEndpoint, DmsReplicationInstance, DmsReplicationTask


def _logging(settings: str | None) -> tuple[bool | None, dict[str, str]]:
    """(EnableLogging, {component: severity}) from a task's settings document; (None, {}) if unreadable."""
    try:
        logging = json.loads(settings or "").get("Logging") or {}
        components = {str(c["Id"]): str(c.get("Severity", "")) for c in logging.get("LogComponents") or []
                      if c.get("Id")}
        return bool(logging.get("EnableLogging", False)), components
    except (ValueError, AttributeError, TypeError):
        return None, {}


def _task(ctx: Ctx, t: dict[str, Any]) -> DmsReplicationTask:
    enabled, severities = _logging(t.get("ReplicationTaskSettings"))
    ident = t["ReplicationTaskIdentifier"]
    return DmsReplicationTask(
        arn=t.get("ReplicationTaskArn") or ctx.arn("dms", f"task:{ident}"), id=ident, account_id=ctx.account_id,
        region=ctx.region, name=ident, migration_type=t.get("MigrationType") or "", logging_enabled=enabled,
        log_severities=severities,
    )


@collector(
    service="dms",
    produces=[DmsReplicationInstance, DmsEndpoint, DmsReplicationTask],
    permissions=["dms:DescribeReplicationInstances", "dms:DescribeEndpoints", "dms:DescribeReplicationTasks"],
)
def collect_migration(ctx: Ctx) -> Iterator[Resource]:
    dms = ctx.client("dms")
    for r in ctx.paginate(dms, "describe_replication_instances", "ReplicationInstances"):
        ident = r["ReplicationInstanceIdentifier"]
        yield DmsReplicationInstance(
            arn=r.get("ReplicationInstanceArn") or ctx.arn("dms", f"rep:{ident}"), id=ident,
            account_id=ctx.account_id, region=ctx.region, name=ident,
            instance_class=r.get("ReplicationInstanceClass") or "",
            publicly_accessible=bool(r.get("PubliclyAccessible", False)),
            public_ips=tuple(ip for ip in r.get("ReplicationInstancePublicIpAddresses") or () if ip),
            multi_az=bool(r.get("MultiAZ", False)), auto_minor_version_upgrade=bool(r.get("AutoMinorVersionUpgrade")),
        )
    for e in ctx.paginate(dms, "describe_endpoints", "Endpoints"):
        ident = e["EndpointIdentifier"]
        yield DmsEndpoint(
            arn=e.get("EndpointArn") or ctx.arn("dms", f"endpoint:{ident}"), id=ident, account_id=ctx.account_id,
            region=ctx.region, name=ident, endpoint_type=str(e.get("EndpointType") or "").lower(),
            engine=e.get("EngineName") or "", ssl_mode=e.get("SslMode") or "",
            redis_ssl_protocol=(e.get("RedisSettings") or {}).get("SslSecurityProtocol") or "",
        )
    for t in ctx.paginate(dms, "describe_replication_tasks", "ReplicationTasks", WithoutSettings=False):
        yield _task(ctx, t)
