"""Northwind's Redshift warehouse, built carefully, and a marketing sandbox cluster left public.

moto has no ModifyClusterParameterGroup and reports require_ssl = false for every group, so
redshift.cluster_requires_ssl only fails in the demo.
"""

from __future__ import annotations

from assay.demo.estate import ClientFactory

PASSWORD = "Northwind-demo-1"  # a fixture password for the local moto server


def seed(client: ClientFactory, regions: list[str]) -> None:
    redshift = client("redshift", regions[0])
    redshift.create_cluster_parameter_group(ParameterGroupName="northwind-warehouse",
                                            ParameterGroupFamily="redshift-1.0", Description="warehouse settings")
    redshift.create_cluster(ClusterIdentifier="pass-warehouse", NodeType="ra3.xlplus", NumberOfNodes=2,
                            MasterUsername="northwind", MasterUserPassword=PASSWORD, Encrypted=True,
                            PubliclyAccessible=False, EnhancedVpcRouting=True, AutomatedSnapshotRetentionPeriod=14,
                            AllowVersionUpgrade=True, ClusterParameterGroupName="northwind-warehouse",
                            Tags=[{"Key": "owner", "Value": "data-platform"}])
    redshift.enable_logging(ClusterIdentifier="pass-warehouse", BucketName="northwind-redshift-audit-logs")
    redshift.create_cluster(ClusterIdentifier="fail-marketing-sandbox", NodeType="dc2.large",
                            MasterUsername="marketing", MasterUserPassword=PASSWORD, PubliclyAccessible=True,
                            AllowVersionUpgrade=False, AutomatedSnapshotRetentionPeriod=1)
