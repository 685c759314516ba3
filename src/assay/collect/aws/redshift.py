"""Redshift: provisioned clusters, their audit logging status and the require_ssl parameter.

DescribeClusterParameters is read once per parameter group and reused for every cluster that shares it;
a failed read is not cached, so each cluster using that group records (and reports) the failure itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.redshift import RedshiftCluster

PARAMETER_ACTION = "redshift:DescribeClusterParameters"


def _require_ssl(ctx: Ctx, client: Any, group: str, arn: str) -> str | None:
    value = "false"  # AWS's default when a group does not override it
    for p in ctx.paginate(client, "describe_cluster_parameters", "Parameters", resource_arn=arn,
                          ParameterGroupName=group):
        if p.get("ParameterName") == "require_ssl":
            value = str(p.get("ParameterValue", "false")).lower()
    return None if ctx.failed(PARAMETER_ACTION, arn) else value


def _ssl_settings(ctx: Ctx, client: Any, groups: tuple[str, ...], arn: str,
                  cache: dict[str, str]) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for group in groups:
        if group not in cache:
            value = _require_ssl(ctx, client, group, arn)
            if value is None:
                return None
            cache[group] = value
        out[group] = cache[group]
    return out


@collector(
    service="redshift",
    produces=[RedshiftCluster],
    permissions=["redshift:DescribeClusters", "redshift:DescribeLoggingStatus", PARAMETER_ACTION],
)
def collect_clusters(ctx: Ctx) -> Iterator[RedshiftCluster]:
    redshift = ctx.client("redshift")
    ssl_by_group: dict[str, str] = {}
    for c in ctx.paginate(redshift, "describe_clusters", "Clusters"):
        ident = c["ClusterIdentifier"]
        arn = ctx.arn("redshift", f"cluster:{ident}")
        logging = ctx.call(redshift, "describe_logging_status", resource_arn=arn, ClusterIdentifier=ident)
        groups = tuple(g["ParameterGroupName"] for g in c.get("ClusterParameterGroups") or []
                       if g.get("ParameterGroupName"))
        yield RedshiftCluster(
            arn=arn, id=ident, account_id=ctx.account_id, region=ctx.region, name=ident,
            tags=tags_from(c.get("Tags")), node_type=c.get("NodeType") or "",
            publicly_accessible=bool(c.get("PubliclyAccessible", False)), encrypted=bool(c.get("Encrypted", False)),
            kms_key_id=c.get("KmsKeyId"), enhanced_vpc_routing=bool(c.get("EnhancedVpcRouting", False)),
            allow_version_upgrade=bool(c.get("AllowVersionUpgrade", False)),
            snapshot_retention_days=int(c.get("AutomatedSnapshotRetentionPeriod") or 0),
            parameter_groups=groups,
            audit_logging=None if logging is None else bool(logging.get("LoggingEnabled", False)),
            require_ssl=_ssl_settings(ctx, redshift, groups, arn, ssl_by_group),
        )
