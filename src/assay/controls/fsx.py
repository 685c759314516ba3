"""Amazon FSx controls: file systems are backed up, by FSx's automatic daily backups or by AWS Backup."""

from __future__ import annotations

from datetime import datetime, timedelta

from assay.controls.backup import recently_backed_up
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip, Status
from assay.models.inventory import Inventory
from assay.models.resources.backup import backup_coverage
from assay.models.resources.fsx import FsxFileSystem

NEEDS = ["fsx:DescribeFileSystems", "fsx:DescribeVolumes", "backup:ListProtectedResources"]
_NOT_JUDGED = ("CREATING", "FAILED", "DELETING")


def _automatic(fs: FsxFileSystem, min_days: int) -> str:
    days = fs.automatic_backup_retention_days
    if days <= 0:
        return "automatic backups are off"
    return f"automatic backups are kept only {days} days (under {min_days})"


def _ontap_volumes_backed_up(fs: FsxFileSystem, inv: Inventory, now: datetime, max_age_days: int) -> Outcome:
    """AWS Backup protects an ONTAP file system volume by volume: each volume needs a recent recovery point."""
    region = backup_coverage(inv, fs).region
    if region is None or region.protected is None:
        return Error("the resources AWS Backup protects were not read in this region")
    if fs.backup_volume_arns is None:
        return Error("the file system's volumes were not read")
    if not fs.backup_volume_arns:
        return Skip("the file system has no volume that FSx can back up (read-write, not an SVM root)")
    stale, unknown = [], []
    for arn in fs.backup_volume_arns:
        hit = region.protected.get(arn)
        if hit is None or (hit.last_backup is not None and now - hit.last_backup > timedelta(days=max_age_days)):
            stale.append(arn.rsplit("/", 1)[-1])
        elif hit.last_backup is None:
            unknown.append(arn)
    if stale:
        more = f" (+{len(stale) - 3} more)" if len(stale) > 3 else ""
        return Fail(
            f"no AWS Backup recovery point in the last {max_age_days} days for volume(s) {', '.join(stale[:3])}{more}"
        )
    if unknown:
        return Error(f"AWS Backup lists {len(unknown)} volume(s) as protected but gives no last backup time")
    return Pass(
        f"AWS Backup took a recovery point of each of its {len(fs.backup_volume_arns)} volume(s) "
        f"in the last {max_age_days} days"
    )


@control(
    id="fsx.file_system_protected_by_backup",
    title="FSx file systems keep automatic daily backups or have a recent AWS Backup recovery point",
    severity="high",
    needs=NEEDS,
    rationale="A file system without backups cannot be recovered after files are deleted, corrupted or "
    "encrypted by ransomware: its Multi-AZ copies change with it. Two mechanisms back up FSx. Its own "
    "automatic daily backups are incremental, kept in S3 and restorable to a new file system or volume; "
    "they are counted when kept at least `min_automatic_retention_days` (7 by default), since a shorter "
    "window often ends before damage is noticed. They are deleted with the file system and cannot be "
    "copied or locked by AWS Backup's vault controls, so an entity that needs those can set "
    "`accept_automatic_backups` to false. Otherwise AWS Backup must hold a recovery point no older than "
    "`max_age_days` (2 by default) of the file system or, for NetApp ONTAP, whose backups are per volume, "
    "of each volume that can be backed up. Either shows the backup process A1.2 and CC7.5 expect is "
    "running. Scratch Lustre file systems cannot be backed up at all and are not applicable.",
    remediation=Remediation(
        console="FSx console > File systems > the file system > Backups > Update: set the automatic backup "
        "retention period (e.g. 30 days) > Update; or AWS Backup console > Backup plans > the plan > Assign "
        "resources > Resource type FSx > the file system.",
        cli="aws fsx update-file-system --file-system-id <fs-id> "
        "--windows-configuration AutomaticBackupRetentionDays=30  "
        "# or --ontap-configuration / --open-zfs-configuration / --lustre-configuration",
        terraform='resource "aws_fsx_windows_file_system" "example" {\n'
        "  # ...\n  automatic_backup_retention_days = 30\n}",
    ),
)
def file_system_protected_by_backup(
    fs: FsxFileSystem,
    inv: Inventory,
    now: datetime,
    *,
    max_age_days: int = 2,
    accept_automatic_backups: bool = True,
    min_automatic_retention_days: int = 7,
) -> Outcome:
    if fs.state in _NOT_JUDGED:
        return Skip(f"the file system is {fs.state.lower()}")
    if fs.file_system_type == "LUSTRE" and fs.deployment_type.startswith("SCRATCH"):
        return Skip(f"a scratch Lustre file system ({fs.deployment_type}) holds temporary data and cannot be backed up")
    days = fs.automatic_backup_retention_days
    if accept_automatic_backups and days >= min_automatic_retention_days:
        return Pass(f"FSx automatic daily backups are on, kept {days} days")
    if fs.file_system_type == "ONTAP":
        outcome = _ontap_volumes_backed_up(fs, inv, now, max_age_days)
    else:
        outcome = recently_backed_up(fs, inv, now, max_age_days)
    if outcome.status is Status.FAIL and accept_automatic_backups:
        return Fail(f"{_automatic(fs, min_automatic_retention_days)}, and {outcome.message}")
    return outcome
