"""EFS: file systems, their encryption at rest and automatic backup policy."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.efs import EfsFileSystem


@collector(
    service="efs",
    produces=[EfsFileSystem],
    permissions=["elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeBackupPolicy"],
    # PolicyNotFound: no backup policy was ever set, i.e. automatic backups are off.
    absent={"elasticfilesystem:DescribeBackupPolicy": ["PolicyNotFound"]},
)
def collect_file_systems(ctx: Ctx) -> Iterator[EfsFileSystem]:
    efs = ctx.client("efs")
    for fs in ctx.paginate(efs, "describe_file_systems", "FileSystems"):
        fs_id = fs["FileSystemId"]
        arn = fs.get("FileSystemArn") or ctx.arn("elasticfilesystem", f"file-system/{fs_id}")
        got = ctx.call(efs, "describe_backup_policy", resource_arn=arn, FileSystemId=fs_id)
        policy = None if got is None else (got.get("BackupPolicy") or {}).get("Status", "DISABLED")
        yield EfsFileSystem(
            arn=arn, id=fs_id, name=fs.get("Name") or "", account_id=ctx.account_id, region=ctx.region,
            tags=tags_from(fs.get("Tags")), state=fs.get("LifeCycleState", ""),
            encrypted=bool(fs.get("Encrypted")), kms_key_id=fs.get("KmsKeyId"), backup_policy=policy,
        )
