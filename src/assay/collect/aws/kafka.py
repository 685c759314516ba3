"""Amazon MSK: clusters (provisioned and serverless) with their in-transit encryption, from one listing."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.kafka import MskCluster


@collector(service="kafka", produces=[MskCluster], permissions=["kafka:ListClustersV2"])
def collect_clusters(ctx: Ctx) -> Iterator[MskCluster]:
    kafka = ctx.client("kafka")
    for info in ctx.paginate(kafka, "list_clusters_v2", "ClusterInfoList"):
        arn = info["ClusterArn"]
        transit = ((info.get("Provisioned") or {}).get("EncryptionInfo") or {}).get("EncryptionInTransit") or {}
        in_cluster = transit.get("InCluster")
        yield MskCluster(
            arn=arn, id=arn.rsplit("/", 1)[-1], account_id=ctx.account_id, region=ctx.region,
            name=info.get("ClusterName", ""), tags={str(k): str(v) for k, v in (info.get("Tags") or {}).items()},
            cluster_type=info.get("ClusterType", ""), state=info.get("State", ""),
            client_broker=transit.get("ClientBroker"), in_cluster=None if in_cluster is None else bool(in_cluster),
        )
