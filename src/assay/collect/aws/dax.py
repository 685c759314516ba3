"""DynamoDB Accelerator: every cluster, from the one DescribeClusters listing."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.dax import DaxCluster


@collector(service="dax", produces=[DaxCluster], permissions=["dax:DescribeClusters"])
def collect_clusters(ctx: Ctx) -> Iterator[DaxCluster]:
    dax = ctx.client("dax")
    # MaxResults has no maximum in the service model; AWS documents 100
    for c in ctx.paginate(dax, "describe_clusters", "Clusters", MaxResults=100):
        name = str(c["ClusterName"])
        yield DaxCluster(
            arn=str(c.get("ClusterArn") or ctx.arn("dax", f"cache/{name}")), id=name, account_id=ctx.account_id,
            region=ctx.region, name=name, node_type=str(c.get("NodeType") or ""), nodes=int(c.get("TotalNodes") or 0),
            sse_status=str((c.get("SSEDescription") or {}).get("Status") or ""),
            endpoint_encryption=str(c.get("ClusterEndpointEncryptionType") or "NONE"),
        )
