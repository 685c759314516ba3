"""EBS controls: volumes and snapshots encrypted, snapshots never public, volumes backed up and in use."""

from __future__ import annotations

from datetime import datetime

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.ec2 import EbsSettings, Snapshot, Volume


@control(
    id="ebs.volume_encrypted",
    title="EBS volumes are encrypted",
    severity="high",
    needs=["ec2:DescribeVolumes"],
    rationale="An EBS volume holds whatever the instance wrote: databases, logs, keys, customer files. "
    "Encryption at rest with KMS keeps that data unreadable outside the account's key policy, also on "
    "snapshots made from it and on the physical media AWS retires, and records every use of the key in "
    "CloudTrail. It is the encryption-at-rest safeguard CC6.1 expects for confidential data (C1.1). By default "
    "every volume is assessed, attached or not, since a detached volume still holds its data; set "
    "`attached_only` to judge only volumes in use.",
    remediation=Remediation(
        console="EBS volumes cannot be encrypted in place. EC2 console > Volumes > the volume > Actions > "
        "Create snapshot; Snapshots > the snapshot > Actions > Copy snapshot with 'Encrypt this snapshot' "
        "checked; create a volume from the encrypted copy, stop the instance, swap the volumes, start it. "
        "Turn on EBS encryption by default so new volumes are encrypted.",
        cli="aws ec2 create-snapshot --volume-id <vol-id>\n"
        "aws ec2 copy-snapshot --source-region <region> --source-snapshot-id <snap-id> --encrypted "
        "--kms-key-id <key-arn>\n"
        "aws ec2 create-volume --snapshot-id <encrypted-snap-id> --availability-zone <az> --encrypted",
        terraform='resource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 100\n'
        '  encrypted         = true\n  kms_key_id        = aws_kms_key.ebs.arn\n}',
    ),
)
def volume_encrypted(volume: Volume, *, attached_only: bool = False) -> Outcome:
    if attached_only and not volume.attached_instance_ids:
        return Skip("not attached to an instance (attached_only is set)")
    if volume.encrypted:
        return Pass(f"encrypted with {volume.kms_key_id or 'a KMS key'}")
    where = f"attached to {', '.join(volume.attached_instance_ids)}" if volume.attached_instance_ids else "detached"
    return Fail(f"{volume.size_gib} GiB volume ({where}) is not encrypted")


@control(
    id="ebs.encryption_by_default",
    title="EBS encryption by default is on in every scanned region",
    severity="high",
    needs=["ec2:GetEbsEncryptionByDefault"],
    rationale="With encryption by default on, every new EBS volume and snapshot copy in the region is "
    "encrypted whatever the tool, template or person creating it asks for, so encryption at rest (CC6.1) does "
    "not depend on each launch getting it right. It is a per-region setting: a region left off is where an "
    "unencrypted volume will appear.",
    remediation=Remediation(
        console="EC2 console > choose the region > EC2 Dashboard > Account attributes > Data protection and "
        "security > EBS encryption > Manage > Enable (optionally pick a customer-managed default key) > Update.",
        cli="aws ec2 enable-ebs-encryption-by-default --region <region>\n"
        "aws ec2 modify-ebs-default-kms-key-id --kms-key-id <key-arn> --region <region>  # optional",
        terraform='resource "aws_ebs_encryption_by_default" "on" {\n  enabled = true\n}\n'
        '# one per region (provider alias per region)',
    ),
)
def encryption_by_default(settings: EbsSettings) -> Outcome:
    if settings.encryption_by_default is None:
        return Error("EBS encryption-by-default setting was not read")
    if settings.encryption_by_default:
        return Pass(f"new EBS volumes in {settings.region} are encrypted by default")
    return Fail(f"EBS encryption by default is off in {settings.region}")


@control(
    id="ebs.snapshot_not_public",
    title="No EBS snapshot is restorable by everyone",
    severity="critical",
    needs=["ec2:DescribeSnapshots"],
    rationale="A snapshot shared with the group 'all' can be copied into any AWS account in the world and "
    "mounted, exposing the full disk image: data files, credentials, keys. Public snapshots are actively "
    "searched for. Keeping snapshots private, or shared only with named accounts, is a basic restriction of "
    "logical access to data (CC6.1) and of what crosses the system boundary (CC6.6).",
    remediation=Remediation(
        console="EC2 console > Snapshots > the snapshot > Actions > Snapshot settings > Modify permissions > "
        "Private (add specific account ids if sharing is needed) > Save changes. Then turn on EBS snapshot "
        "block public access in the region.",
        cli="aws ec2 modify-snapshot-attribute --snapshot-id <snap-id> --attribute createVolumePermission "
        "--operation-type remove --group-names all",
        terraform='# Share with named accounts only, never the group "all":\n'
        'resource "aws_snapshot_create_volume_permission" "partner" {\n'
        '  snapshot_id = aws_ebs_snapshot.example.id\n  account_id  = "111122223333"\n}',
    ),
)
def snapshot_not_public(snapshot: Snapshot) -> Outcome:
    if snapshot.public is None:
        return Error("who may restore the snapshot was not read")
    if snapshot.public:
        return Fail(f"snapshot of {snapshot.volume_id or 'a volume'} is restorable by every AWS account")
    return Pass("not shared with the public")


@control(
    id="ebs.snapshot_block_public_access",
    title="EBS snapshot block public access blocks all public sharing in every scanned region",
    severity="medium",
    needs=["ec2:GetSnapshotBlockPublicAccessState"],
    rationale="Block public access for EBS snapshots is a regional guard rail: in 'block-all-sharing' mode "
    "no snapshot in the region can be public, including ones made public before the setting was turned on, "
    "whatever an individual user's permissions. 'block-new-sharing' leaves snapshots that are already public "
    "exposed. It turns a per-snapshot mistake into one account-level preventive control at the boundary "
    "(CC6.6, CC6.1).",
    remediation=Remediation(
        console="EC2 console > choose the region > EC2 Dashboard > Account attributes > Data protection and "
        "security > Block public access for EBS snapshots > Manage > Block public access > 'Block all public "
        "sharing' > Update.",
        cli="aws ec2 enable-snapshot-block-public-access --state block-all-sharing --region <region>",
        terraform='resource "aws_ebs_snapshot_block_public_access" "on" {\n  state = "block-all-sharing"\n}',
    ),
)
def snapshot_block_public_access(settings: EbsSettings) -> Outcome:
    state = settings.snapshot_block_public_access
    if state is None:
        return Error("the snapshot block public access state was not read")
    if state == "block-all-sharing":
        return Pass(f"all public sharing of EBS snapshots is blocked in {settings.region}")
    if state == "block-new-sharing":
        return Fail(f"only new public sharing is blocked in {settings.region}: snapshots already public stay public")
    return Fail(f"public sharing of EBS snapshots is not blocked in {settings.region} (state: {state})")


@control(
    id="ebs.snapshot_encrypted",
    title="EBS snapshots are encrypted",
    severity="medium",
    needs=["ec2:DescribeSnapshots"],
    rationale="Snapshots are full copies of disks kept for backup and recovery, often long after the volume "
    "is gone and sometimes copied to other regions or accounts. An unencrypted snapshot is confidential data "
    "at rest without protection (CC6.1, C1.1), and restoring it yields an unencrypted volume.",
    remediation=Remediation(
        console="EC2 console > Snapshots > the snapshot > Actions > Copy snapshot > check 'Encrypt this "
        "snapshot', choose a KMS key > Copy; then delete the unencrypted original once nothing depends on it.",
        cli="aws ec2 copy-snapshot --source-region <region> --source-snapshot-id <snap-id> --encrypted "
        "--kms-key-id <key-arn>\naws ec2 delete-snapshot --snapshot-id <snap-id>",
        terraform='resource "aws_ebs_snapshot_copy" "encrypted" {\n  source_snapshot_id = "<snap-id>"\n'
        '  source_region      = "eu-west-1"\n  encrypted          = true\n'
        '  kms_key_id         = aws_kms_key.ebs.arn\n}',
    ),
)
def snapshot_encrypted(snapshot: Snapshot) -> Outcome:
    if snapshot.encrypted:
        return Pass(f"encrypted with {snapshot.kms_key_id or 'a KMS key'}")
    return Fail(f"snapshot of {snapshot.volume_id or 'a volume'} is not encrypted")


@control(
    id="ebs.volume_has_snapshot",
    title="Every EBS volume in use has a completed snapshot",
    severity="medium",
    needs=["ec2:DescribeVolumes", "ec2:DescribeSnapshots"],
    rationale="A volume without any snapshot cannot be restored after deletion, corruption, ransomware or "
    "an Availability Zone failure: there is no recovery point. SOC 2 availability asks for backups of the "
    "data needed to meet recovery objectives (A1.2) and the ability to restore after incidents (CC7.4/CC7.5). "
    "Snapshots taken by AWS Backup or Data Lifecycle Manager count. Volumes not attached to any instance are "
    "skipped (ebs.volume_attached covers them). Set `max_age_days` to also require the newest snapshot to be "
    "recent.",
    remediation=Remediation(
        console="AWS Backup console > Backup plans > Create backup plan (e.g. daily, 35-day retention) > "
        "Assign resources: the volumes or the instances they belong to (by tag). For a one-off: EC2 console > "
        "Volumes > the volume > Actions > Create snapshot.",
        cli="aws ec2 create-snapshot --volume-id <vol-id> --description 'first recovery point'\n"
        "aws dlm create-lifecycle-policy --description daily --state ENABLED --execution-role-arn <role-arn> "
        "--policy-details file://daily-snapshots.json",
        terraform='resource "aws_backup_selection" "ebs" {\n  name         = "ebs-volumes"\n'
        '  plan_id      = aws_backup_plan.daily.id\n  iam_role_arn = aws_iam_role.backup.arn\n'
        '  selection_tag {\n    type  = "STRINGEQUALS"\n    key   = "backup"\n    value = "daily"\n  }\n}',
    ),
)
def volume_has_snapshot(volume: Volume, now: datetime, *, max_age_days: int | None = None) -> Outcome:
    if not volume.attached_instance_ids:
        return Skip("not attached to an instance")
    if volume.snapshot_count is None:
        return Error("the account's snapshots were not read")
    if not volume.snapshot_count or volume.latest_snapshot_at is None:
        return Fail("no completed snapshot of this volume exists")
    age = (now - volume.latest_snapshot_at).days
    if max_age_days is not None and age > max_age_days:
        return Fail(f"newest snapshot is {age} days old (limit {max_age_days})")
    return Pass(f"{volume.snapshot_count} snapshot(s), newest {volume.latest_snapshot_at:%Y-%m-%d}")


@control(
    id="ebs.volume_attached",
    title="EBS volumes are attached to an instance",
    severity="low",
    needs=["ec2:DescribeVolumes"],
    rationale="A volume left 'available' after its instance was terminated is data nobody owns any more: it "
    "escapes the instance's access controls, patching and retention decisions, and keeps costing money. "
    "Finding and deleting (after a final snapshot) or re-attaching such volumes is asset and data lifecycle "
    "hygiene (CC6.1 inventory of information assets, CC6.5 disposal of data no longer needed).",
    remediation=Remediation(
        console="EC2 console > Volumes > filter State = available > for each volume decide: Actions > Create "
        "snapshot (if the data must be kept) then Actions > Delete volume; or Actions > Attach volume.",
        cli="aws ec2 describe-volumes --filters Name=status,Values=available\n"
        "aws ec2 create-snapshot --volume-id <vol-id>   # if the data must be kept\n"
        "aws ec2 delete-volume --volume-id <vol-id>",
        terraform='# Manage volumes together with their attachment, so destroying the instance removes them:\n'
        'resource "aws_volume_attachment" "data" {\n  device_name = "/dev/sdf"\n'
        '  volume_id   = aws_ebs_volume.data.id\n  instance_id = aws_instance.app.id\n}',
    ),
)
def volume_attached(volume: Volume) -> Outcome:
    if volume.state in ("creating", "deleting"):
        return Skip(f"volume is {volume.state}")
    if volume.attached_instance_ids:
        return Pass(f"attached to {', '.join(volume.attached_instance_ids)}")
    return Fail(f"{volume.size_gib} GiB volume is not attached to any instance (state {volume.state or 'unknown'})")
