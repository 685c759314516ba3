"""Amazon EMR: active clusters, their Kerberos setup and whether primary nodes have public IPs."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.emr import EmrCluster

ACTIVE = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]


@collector(service="emr", produces=[EmrCluster],
           permissions=["elasticmapreduce:ListClusters", "elasticmapreduce:DescribeCluster",
                        "elasticmapreduce:ListInstances"])
def collect_clusters(ctx: Ctx) -> Iterator[EmrCluster]:
    emr = ctx.client("emr")
    for summary in ctx.paginate(emr, "list_clusters", "Clusters", ClusterStates=ACTIVE):
        cluster_id = summary["Id"]
        arn = summary.get("ClusterArn") or ctx.arn("elasticmapreduce", f"cluster/{cluster_id}")
        got = ctx.call(emr, "describe_cluster", resource_arn=arn, ClusterId=cluster_id)
        cluster = (got or {}).get("Cluster", {})
        # Fleet clusters name the primary fleet MASTER too, but are filtered by InstanceFleetType.
        by = {"InstanceFleetType": "MASTER"} if cluster.get("InstanceCollectionType") == "INSTANCE_FLEET" \
            else {"InstanceGroupTypes": ["MASTER"]}
        masters = list(ctx.paginate(emr, "list_instances", "Instances", resource_arn=arn, ClusterId=cluster_id, **by))
        listed = not ctx.failed("elasticmapreduce:ListInstances", arn)
        yield EmrCluster(
            arn=arn, id=cluster_id, account_id=ctx.account_id, region=ctx.region, name=summary.get("Name", ""),
            tags=tags_from(cluster.get("Tags")), state=(summary.get("Status") or {}).get("State", ""),
            security_configuration=cluster.get("SecurityConfiguration") or "",
            kerberos_realm=None if got is None else (cluster.get("KerberosAttributes") or {}).get("Realm") or "",
            subnet_id=(cluster.get("Ec2InstanceAttributes") or {}).get("Ec2SubnetId") or "",
            master_public_ips=tuple(i["PublicIpAddress"] for i in masters if i.get("PublicIpAddress"))
            if listed else None,
        )
