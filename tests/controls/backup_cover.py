"""An inventory in which AWS Backup covers (or not) one resource: for the coverage controls of RDS, EBS, EC2, FSx."""

from __future__ import annotations

from datetime import datetime

from assay.models.base import Resource
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.backup import BackupPlan, BackupRegion, BackupSelection, ProtectedResource


def covered(r: Resource, now: datetime, *, selected: bool = True, last_backup: datetime | None = None,
            opted_in: bool = True, protected_read: bool = True) -> Inventory:
    """`r`, its region's AWS Backup record (a recovery point at `last_backup`) and a plan selecting it or not."""
    kind = {"AWS::RDS::DBInstance": "RDS", "AWS::RDS::DBCluster": "Aurora", "AWS::EC2::Volume": "EBS",
            "AWS::EC2::Instance": "EC2", "AWS::FSx::FileSystem": "FSx"}[r.type]
    protected = {r.arn: ProtectedResource(resource_type=kind, last_backup=last_backup)} if last_backup else {}
    region = BackupRegion(arn=f"arn:aws:backup:{r.region}:{r.account_id}:region-settings", id=r.region,
                          name=r.region, account_id=r.account_id, region=r.region,
                          protected=protected if protected_read else None, opt_in={kind: opted_in})
    plan = BackupPlan(arn=f"arn:aws:backup:{r.region}:{r.account_id}:backup-plan:daily", id="daily", name="daily",
                      account_id=r.account_id, region=r.region, rules=(),
                      selections=(BackupSelection(id="s1", resources=(r.arn if selected else "arn:none",)),))
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now)
    return Inventory(meta, [AccountInfo(account_id=r.account_id)], [], [], [r, region, plan], [])
