"""Amazon FSx resources: file systems (Windows File Server, Lustre, NetApp ONTAP, OpenZFS)."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class FsxFileSystem(Resource):
    type: ClassVar[str] = "AWS::FSx::FileSystem"
    file_system_type: str = ""  # WINDOWS, LUSTRE, ONTAP or OPENZFS
    deployment_type: str = ""  # e.g. SCRATCH_2, PERSISTENT_2, MULTI_AZ_1; "" when not reported
    state: str = ""  # Lifecycle: AVAILABLE, CREATING, FAILED, DELETING, MISCONFIGURED, UPDATING, ...
    # FSx's own automatic daily backups: the days they are kept; 0 means they are off.
    automatic_backup_retention_days: int = 0
    # ONTAP only: the ARNs of the volumes that can be backed up (read-write, neither an SVM root nor a
    # FlexCache cache). AWS Backup protects ONTAP volumes one by one, not the file system.
    # None: not read, or not an ONTAP file system.
    backup_volume_arns: tuple[str, ...] | None = None
