"""EFS resources: file systems."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class EfsFileSystem(Resource):
    type: ClassVar[str] = "AWS::EFS::FileSystem"
    state: str = ""  # LifeCycleState: available, creating, deleting, ...
    encrypted: bool = False
    kms_key_id: str | None = None
    # DescribeBackupPolicy: "ENABLED" / "DISABLED" / "ENABLING" / "DISABLING"; None: not read.
    backup_policy: str | None = None
