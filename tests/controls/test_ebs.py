"""EBS controls: pure functions over Volume, Snapshot and EbsSettings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assay.controls import ebs, ebs_backup
from assay.models.findings import Status
from assay.models.resources.ec2 import EbsSettings, Snapshot, Volume
from tests.controls.backup_cover import covered

ACCOUNT = "123456789012"
NOW = datetime(2025, 6, 1, tzinfo=UTC)
KEY = "arn:aws:kms:eu-west-1:123456789012:key/k1"


def volume(**over: Any) -> Volume:
    base: dict[str, Any] = dict(arn=f"arn:aws:ec2:eu-west-1:{ACCOUNT}:volume/vol-1", id="vol-1", account_id=ACCOUNT,
                                region="eu-west-1", state="in-use", size_gib=100, encrypted=True, kms_key_id=KEY,
                                attached_instance_ids=("i-1",), snapshot_count=2,
                                latest_snapshot_at=NOW - timedelta(days=1))
    return Volume(**{**base, **over})


def snapshot(**over: Any) -> Snapshot:
    base: dict[str, Any] = dict(arn="arn:aws:ec2:eu-west-1::snapshot/snap-1", id="snap-1", account_id=ACCOUNT,
                                region="eu-west-1", volume_id="vol-1", state="completed", encrypted=True,
                                kms_key_id=KEY, public=False)
    return Snapshot(**{**base, **over})


def settings(**over: Any) -> EbsSettings:
    base: dict[str, Any] = dict(arn=f"arn:aws:ec2:eu-west-1:{ACCOUNT}:ebs-settings", id="ebs-settings/eu-west-1",
                                account_id=ACCOUNT, region="eu-west-1", encryption_by_default=True,
                                snapshot_block_public_access="block-all-sharing")
    return EbsSettings(**{**base, **over})


def test_volume_encrypted() -> None:
    out = ebs.volume_encrypted(volume())
    assert out.status is Status.PASS and out.message == f"encrypted with {KEY}"
    out = ebs.volume_encrypted(volume(encrypted=False, kms_key_id=None))
    assert out.status is Status.FAIL and out.message == "100 GiB volume (attached to i-1) is not encrypted"
    detached = volume(encrypted=False, attached_instance_ids=(), state="available")
    assert ebs.volume_encrypted(detached).message == "100 GiB volume (detached) is not encrypted"
    out = ebs.volume_encrypted(detached, attached_only=True)
    assert out.status is Status.SKIP and "attached_only" in out.message


def test_encryption_by_default() -> None:
    assert ebs.encryption_by_default(settings()).status is Status.PASS
    out = ebs.encryption_by_default(settings(encryption_by_default=False))
    assert out.status is Status.FAIL and out.message == "EBS encryption by default is off in eu-west-1"
    assert ebs.encryption_by_default(settings(encryption_by_default=None)).status is Status.ERROR


def test_snapshot_not_public() -> None:
    assert ebs.snapshot_not_public(snapshot()).status is Status.PASS
    out = ebs.snapshot_not_public(snapshot(public=True))
    assert out.status is Status.FAIL and out.message == "snapshot of vol-1 is restorable by every AWS account"
    assert ebs.snapshot_not_public(snapshot(public=None)).status is Status.ERROR


def test_snapshot_block_public_access() -> None:
    out = ebs.snapshot_block_public_access(settings())
    assert out.status is Status.PASS and "blocked in eu-west-1" in out.message
    out = ebs.snapshot_block_public_access(settings(snapshot_block_public_access="block-new-sharing"))
    assert out.status is Status.FAIL and "already public stay public" in out.message
    out = ebs.snapshot_block_public_access(settings(snapshot_block_public_access="unblocked"))
    assert out.status is Status.FAIL and "(state: unblocked)" in out.message
    assert ebs.snapshot_block_public_access(settings(snapshot_block_public_access=None)).status is Status.ERROR


def test_snapshot_encrypted() -> None:
    assert ebs.snapshot_encrypted(snapshot()).status is Status.PASS
    out = ebs.snapshot_encrypted(snapshot(encrypted=False, kms_key_id=None))
    assert out.status is Status.FAIL and out.message == "snapshot of vol-1 is not encrypted"


def test_volume_has_snapshot() -> None:
    out = ebs.volume_has_snapshot(volume(), NOW)
    assert out.status is Status.PASS and out.message == "2 snapshot(s), newest 2025-05-31"
    out = ebs.volume_has_snapshot(volume(snapshot_count=0, latest_snapshot_at=None), NOW)
    assert out.status is Status.FAIL and out.message == "no completed snapshot of this volume exists"
    old = volume(latest_snapshot_at=NOW - timedelta(days=10))
    assert ebs.volume_has_snapshot(old, NOW).status is Status.PASS  # no age limit by default
    out = ebs.volume_has_snapshot(old, NOW, max_age_days=7)
    assert out.status is Status.FAIL and out.message == "newest snapshot is 10 days old (limit 7)"
    assert ebs.volume_has_snapshot(volume(attached_instance_ids=()), NOW).status is Status.SKIP
    assert ebs.volume_has_snapshot(volume(snapshot_count=None), NOW).status is Status.ERROR


def test_volume_attached() -> None:
    assert ebs.volume_attached(volume()).message == "attached to i-1"
    out = ebs.volume_attached(volume(attached_instance_ids=(), state="available"))
    assert out.status is Status.FAIL
    assert out.message == "100 GiB volume is not attached to any instance (state available)"
    assert ebs.volume_attached(volume(attached_instance_ids=(), state="creating")).status is Status.SKIP


# -- AWS Backup coverage (assay.controls.ebs_backup) ------------------------------------------------

def test_volume_in_backup_plan() -> None:
    assert ebs_backup.volume_in_backup_plan(volume(), covered(volume(), NOW)).status is Status.PASS
    out = ebs_backup.volume_in_backup_plan(volume(), covered(volume(), NOW, selected=False))
    assert out == (Status.FAIL, "no backup plan selects this volume (by ARN, resource type or tag)")


def test_volume_recently_backed_up() -> None:
    fresh = covered(volume(), NOW, last_backup=NOW - timedelta(hours=5))
    assert ebs_backup.volume_recently_backed_up(volume(), fresh, NOW).status is Status.PASS
    assert ebs_backup.volume_recently_backed_up(volume(), covered(volume(), NOW), NOW) == \
        (Status.FAIL, "AWS Backup holds no recovery point of it")
    unread = covered(volume(), NOW, protected_read=False)
    assert ebs_backup.volume_recently_backed_up(volume(), unread, NOW).status is Status.ERROR
