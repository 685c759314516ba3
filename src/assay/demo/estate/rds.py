"""Northwind's relational databases: the orders database done right, a forgotten public reporting database,
an Aurora ledger cluster and an unprotected Aurora analytics cluster, with manual snapshots of each.

Aurora members (skip-ledger-writer) show that cluster settings are judged on the cluster. moto reports no
MonitoringInterval, so rds.instance_enhanced_monitoring fails everywhere in the demo.
"""

from __future__ import annotations

from typing import Any

from assay.demo.estate import ClientFactory

PASSWORD = "northwind-demo-only"  # a fixture password for the local moto server
TAGS = [{"Key": "owner", "Value": "data-platform"}, {"Key": "classification", "Value": "confidential"}]


def _instance(rds: Any, ident: str, engine: str, **settings: Any) -> None:
    rds.create_db_instance(DBInstanceIdentifier=ident, Engine=engine, DBInstanceClass="db.t3.medium",
                           AllocatedStorage=20, MasterUsername="northwind", MasterUserPassword=PASSWORD,
                           **{"Tags": TAGS, **settings})


def _good_instance(rds: Any, ident: str) -> None:
    # tagged for the daily AWS Backup plan's tag selection (in the home region)
    _instance(rds, ident, "postgres", Tags=[*TAGS, {"Key": "backup", "Value": "daily"}], StorageEncrypted=True,
              MultiAZ=True, BackupRetentionPeriod=14,
              DeletionProtection=True, EnableIAMDatabaseAuthentication=True, AutoMinorVersionUpgrade=True,
              EnableCloudwatchLogsExports=["postgresql", "upgrade"], CopyTagsToSnapshot=True,
              MonitoringInterval=60, MonitoringRoleArn="arn:aws:iam::123456789012:role/rds-monitoring")


def seed(client: ClientFactory, regions: list[str]) -> None:
    home, *others = regions
    rds = client("rds", home)
    _good_instance(rds, "pass-orders-db")
    _instance(rds, "fail-reporting-db", "mysql", PubliclyAccessible=True, BackupRetentionPeriod=1,
              AutoMinorVersionUpgrade=False)
    rds.create_db_snapshot(DBSnapshotIdentifier="pass-orders-before-migration", DBInstanceIdentifier="pass-orders-db")
    rds.create_db_snapshot(DBSnapshotIdentifier="fail-reporting-shared", DBInstanceIdentifier="fail-reporting-db")
    rds.modify_db_snapshot_attribute(DBSnapshotIdentifier="fail-reporting-shared", AttributeName="restore",
                                     ValuesToAdd=["all"])

    rds.create_db_cluster(DBClusterIdentifier="pass-ledger", Engine="aurora-postgresql", MasterUsername="northwind",
                          MasterUserPassword=PASSWORD, StorageEncrypted=True, BackupRetentionPeriod=14,
                          DeletionProtection=True, EnableIAMDatabaseAuthentication=True, CopyTagsToSnapshot=True,
                          EnableCloudwatchLogsExports=["postgresql"], Tags=TAGS,
                          AvailabilityZones=[f"{home}a", f"{home}b"])
    for n, zone in ((1, "a"), (2, "b")):
        rds.create_db_instance(DBInstanceIdentifier=f"skip-ledger-{n}", Engine="aurora-postgresql",
                               DBInstanceClass="db.r6g.large", DBClusterIdentifier="pass-ledger",
                               AvailabilityZone=f"{home}{zone}", AutoMinorVersionUpgrade=True)
    rds.create_db_cluster(DBClusterIdentifier="fail-analytics", Engine="aurora-mysql", MasterUsername="northwind",
                          MasterUserPassword=PASSWORD, BackupRetentionPeriod=1)
    rds.create_db_cluster_snapshot(DBClusterSnapshotIdentifier="pass-ledger-month-end",
                                   DBClusterIdentifier="pass-ledger")
    rds.create_db_cluster_snapshot(DBClusterSnapshotIdentifier="fail-analytics-export",
                                   DBClusterIdentifier="fail-analytics")
    rds.modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier="fail-analytics-export",
                                             AttributeName="restore", ValuesToAdd=["all"])
    for region in others:  # the EU replica of the orders service
        _good_instance(client("rds", region), f"pass-orders-db-{region}")
