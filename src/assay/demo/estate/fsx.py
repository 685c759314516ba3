"""FSx at Northwind Analytics: finance shares on Windows File Server and a NetApp ONTAP home-directory
system with FSx's automatic daily backups, an OpenZFS model store backed up by AWS Backup, a persistent
Lustre render cache nobody backs up, and a scratch Lustre file system for ETL, which cannot be backed up."""

from __future__ import annotations

import uuid
from typing import Any

from assay.demo.estate import ClientFactory

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/northwind-backup"
SUBNETS = ["subnet-0a1b2c3d4e5f60718"]


def _stable_ids() -> None:
    """moto's FSx takes `uuid4` by name, out of reach of the demo's seeded generator (demo.stable_ids):
    route it through the uuid module so file system ids repeat from one demo run to the next."""
    from moto.fsx import models

    models.uuid4 = lambda: uuid.uuid4()  # type: ignore[attr-defined]


def _create(fsx: Any, name: str, kind: str, capacity: int, config: dict[str, Any]) -> str:
    key = {
        "WINDOWS": "WindowsConfiguration",
        "LUSTRE": "LustreConfiguration",
        "ONTAP": "OntapConfiguration",
        "OPENZFS": "OpenZFSConfiguration",
    }[kind]
    created = fsx.create_file_system(
        FileSystemType=kind,
        StorageCapacity=capacity,
        SubnetIds=SUBNETS,
        Tags=[{"Key": "Name", "Value": name}],
        **{key: config},
    )
    return str(created["FileSystem"]["ResourceARN"])


def seed(client: ClientFactory, regions: list[str]) -> None:
    if REGION not in regions:
        return
    _stable_ids()
    fsx = client("fsx", REGION)
    _create(
        fsx,
        "pass-finance-shares",
        "WINDOWS",
        300,
        {"DeploymentType": "MULTI_AZ_1", "ThroughputCapacity": 32, "AutomaticBackupRetentionDays": 30},
    )
    _create(
        fsx,
        "pass-home-directories",
        "ONTAP",
        1024,
        {"DeploymentType": "SINGLE_AZ_1", "ThroughputCapacity": 128, "AutomaticBackupRetentionDays": 14},
    )
    models = _create(
        fsx,
        "pass-model-store",
        "OPENZFS",
        64,
        {"DeploymentType": "SINGLE_AZ_1", "ThroughputCapacity": 64, "AutomaticBackupRetentionDays": 0},
    )
    _create(
        fsx,
        "fail-render-cache",
        "LUSTRE",
        1200,
        {"DeploymentType": "PERSISTENT_2", "PerUnitStorageThroughput": 125, "AutomaticBackupRetentionDays": 0},
    )
    _create(fsx, "skip-etl-scratch", "LUSTRE", 1200, {"DeploymentType": "SCRATCH_2"})
    # The backup module seeded the vault (and taught moto AWS Backup's job calls) before this module runs.
    client("backup", REGION).start_backup_job(
        BackupVaultName="pass-northwind-vault", IamRoleArn=ROLE, ResourceArn=models, Lifecycle={"DeleteAfterDays": 35}
    )
