"""DynamoDB Accelerator controls: encryption at rest and in transit."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.dax import DaxCluster

CLUSTERS = ["dax:DescribeClusters"]


@control(
    id="dax.cluster_encrypted_at_rest",
    title="DAX clusters encrypt cached data at rest",
    severity="medium",
    needs=CLUSTERS,
    rationale="A DAX cluster holds copies of DynamoDB items, and of the query results built from them, on its "
    "nodes' disks; server-side encryption keeps that copy under the same protection as the table itself "
    "(CC6.1, C1.1). It can only be chosen when the cluster is created.",
    remediation=Remediation(
        console="DynamoDB console > DAX > Clusters > Create cluster with Encryption at rest enabled (it cannot be "
        "turned on later); point clients at the new cluster endpoint and delete the old cluster.",
        cli="aws dax create-cluster --cluster-name <name>-enc --node-type <type> --replication-factor 3 "
        "--iam-role-arn <role-arn> --sse-specification Enabled=true --cluster-endpoint-encryption-type TLS\n"
        "aws dax delete-cluster --cluster-name <name>",
        terraform='resource "aws_dax_cluster" "example" {\n  server_side_encryption {\n    enabled = true\n  }\n}',
    ),
)
def cluster_encrypted_at_rest(c: DaxCluster) -> Outcome:
    if not c.sse_status:
        return Error("the cluster did not report its encryption at rest")
    if c.sse_status in ("ENABLED", "ENABLING"):
        return Pass(f"encryption at rest is {c.sse_status.lower()}")
    return Fail(f"encryption at rest is {c.sse_status.lower()}")


@control(
    id="dax.cluster_encrypted_in_transit",
    title="DAX cluster endpoints accept TLS connections only",
    severity="medium",
    needs=CLUSTERS,
    rationale="Without TLS on the cluster endpoint, items read from and written to DynamoDB through DAX cross the "
    "network in clear text between the application and the cache; TLS keeps them confidential in transit "
    "(CC6.7). Like encryption at rest, it is fixed when the cluster is created.",
    remediation=Remediation(
        console="DynamoDB console > DAX > Clusters > Create cluster > Encryption: enable 'Encryption in transit' "
        "(TLS); update clients to the daxs:// endpoint and delete the old cluster.",
        cli="aws dax create-cluster --cluster-name <name>-tls --node-type <type> --replication-factor 3 "
        "--iam-role-arn <role-arn> --cluster-endpoint-encryption-type TLS --sse-specification Enabled=true",
        terraform='resource "aws_dax_cluster" "example" {\n  cluster_endpoint_encryption_type = "TLS"\n}',
    ),
)
def cluster_encrypted_in_transit(c: DaxCluster) -> Outcome:
    if c.endpoint_encryption == "TLS":
        return Pass("the cluster endpoint requires TLS")
    return Fail(f"the cluster endpoint accepts clear-text connections (encryption type {c.endpoint_encryption})")
