"""Amazon FSx: file systems, their automatic backup setting and, for ONTAP, the volumes to back up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.fsx import FsxFileSystem

DESCRIBE_VOLUMES = "fsx:DescribeVolumes"
_CONFIG_KEYS = {
    "WINDOWS": "WindowsConfiguration",
    "LUSTRE": "LustreConfiguration",
    "ONTAP": "OntapConfiguration",
    "OPENZFS": "OpenZFSConfiguration",
}
_GONE = ("DELETING", "FAILED")


def _backup_volumes(ctx: Ctx, fsx: Any) -> dict[str, tuple[str, ...]] | None:
    """File system ID -> ARNs of its ONTAP volumes FSx can back up; None when the listing failed.

    FSx backs up read-write volumes only; an SVM's root volume holds only the junctions of its
    namespace, and a FlexCache cache volume is a copy of another volume.
    """
    out: dict[str, list[str]] = defaultdict(list)
    for volume in ctx.paginate(fsx, "describe_volumes", "Volumes"):
        ontap = volume.get("OntapConfiguration") or {}
        if (
            volume.get("VolumeType") != "ONTAP"
            or volume.get("Lifecycle") in _GONE
            or ontap.get("StorageVirtualMachineRoot")
            or ontap.get("OntapVolumeType", "RW") != "RW"
            or ontap.get("FlexCacheEndpointType") == "CACHE"
        ):
            continue
        arn = volume.get("ResourceARN") or ctx.arn("fsx", f"volume/{volume.get('FileSystemId')}/{volume['VolumeId']}")
        out[str(volume.get("FileSystemId", ""))].append(arn)
    if ctx.failed(DESCRIBE_VOLUMES):
        return None
    return {fs_id: tuple(arns) for fs_id, arns in out.items()}


@collector(service="fsx", produces=[FsxFileSystem], permissions=["fsx:DescribeFileSystems", DESCRIBE_VOLUMES])
def collect_file_systems(ctx: Ctx) -> Iterator[FsxFileSystem]:
    fsx = ctx.client("fsx")
    systems = list(ctx.paginate(fsx, "describe_file_systems", "FileSystems"))
    # Volumes matter for ONTAP only: a region without an ONTAP file system costs no volume listing.
    volumes = _backup_volumes(ctx, fsx) if any(fs.get("FileSystemType") == "ONTAP" for fs in systems) else {}
    for fs in systems:
        fs_id = fs["FileSystemId"]
        kind = str(fs.get("FileSystemType", ""))
        config = fs.get(_CONFIG_KEYS.get(kind, "")) or {}
        tags = tags_from(fs.get("Tags"))
        yield FsxFileSystem(
            arn=fs.get("ResourceARN") or ctx.arn("fsx", f"file-system/{fs_id}"),
            id=fs_id,
            name=tags.get("Name", ""),
            account_id=ctx.account_id,
            region=ctx.region,
            tags=tags,
            file_system_type=kind,
            deployment_type=str(config.get("DeploymentType") or ""),
            state=str(fs.get("Lifecycle") or ""),
            automatic_backup_retention_days=int(config.get("AutomaticBackupRetentionDays") or 0),
            backup_volume_arns=None if kind != "ONTAP" or volumes is None else volumes.get(fs_id, ()),
        )
