"""Northwind's knowledge graph on Neptune: a hardened cluster and an abandoned prototype, with a snapshot each.

Neptune is created through the RDS API, which is how AWS and moto both serve it. moto refuses IAM
authentication on non-Aurora clusters, so neptune.cluster_iam_auth_enabled only fails in the demo.
"""

from __future__ import annotations

from assay.demo.estate import ClientFactory


def seed(client: ClientFactory, regions: list[str]) -> None:
    neptune = client("neptune", regions[0])
    neptune.create_db_cluster(DBClusterIdentifier="pass-knowledge-graph", Engine="neptune", StorageEncrypted=True,
                              BackupRetentionPeriod=7, DeletionProtection=True, CopyTagsToSnapshot=True,
                              EnableCloudwatchLogsExports=["audit"],
                              Tags=[{"Key": "owner", "Value": "search-team"}])
    neptune.create_db_cluster(DBClusterIdentifier="fail-graph-prototype", Engine="neptune")
    neptune.create_db_cluster_snapshot(DBClusterSnapshotIdentifier="pass-knowledge-graph-weekly",
                                       DBClusterIdentifier="pass-knowledge-graph")
    neptune.create_db_cluster_snapshot(DBClusterSnapshotIdentifier="fail-graph-prototype-handover",
                                       DBClusterIdentifier="fail-graph-prototype")
    neptune.modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier="fail-graph-prototype-handover",
                                                 AttributeName="restore", ValuesToAdd=["all"])
