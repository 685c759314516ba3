"""EFS at Northwind Analytics: the analytics team's shared file system (encrypted, backed up) and an
old scratch file system (unencrypted, never backed up)."""

from __future__ import annotations

from assay.demo.estate import ClientFactory

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/northwind-backup"


def seed(client: ClientFactory, regions: list[str]) -> None:
    if REGION not in regions:
        return
    efs, kms = client("efs", REGION), client("kms", REGION)
    key = kms.create_key(Description="Northwind shared files key")["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/northwind-files", TargetKeyId=key)
    kms.enable_key_rotation(KeyId=key)
    shared = efs.create_file_system(CreationToken="pass-shared", Encrypted=True, KmsKeyId=key, Backup=True,
                                    Tags=[{"Key": "Name", "Value": "pass-shared"},
                                          {"Key": "team", "Value": "analytics"}])
    efs.create_file_system(CreationToken="fail-scratch", Tags=[{"Key": "Name", "Value": "fail-scratch"}])
    # The backup module seeded the vault (and taught moto AWS Backup's job calls) before this module runs.
    client("backup", REGION).start_backup_job(BackupVaultName="pass-northwind-vault", IamRoleArn=ROLE,
                                              ResourceArn=shared["FileSystemArn"], Lifecycle={"DeleteAfterDays": 35})
