"""EBS collection (volumes, owned snapshots, region settings) against moto's server, and the ebs.* verdicts.

moto 5.2 ignores DescribeSnapshots' OwnerIds and RestorableByUserIds and lacks the snapshot block public
access calls; `ensure_moto_ec2_reads` (the demo's shim) gives its in-process server those reads. The
collector's own filtering and its use of both listings are checked against botocore's Stubber.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.aws.ec2_compute import collect_ebs
from assay.collect.calls import Ctx
from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.demo.estate.ebs import ensure_moto_ec2_reads
from assay.faults import deny
from assay.models.resources.ec2 import EbsSettings, Snapshot, Volume
from tests.helpers import by_name, evaluate, findings_of, scan

ACCOUNT = "123456789012"
COLLECTORS = load_collectors()
PERMISSIONS = sorted({*COLLECTORS["ec2_compute.collect_ebs"].permissions,
                      *COLLECTORS["ec2_compute.collect_ebs_settings"].permissions})


@pytest.fixture(autouse=True)
def _moto_reads_snapshots_like_aws() -> None:
    ensure_moto_ec2_reads()


def _tag(name: str, kind: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


def _estate(seed: Any) -> dict[str, str]:
    ec2 = seed("ec2", "us-east-1")
    ec2.enable_snapshot_block_public_access(State="block-new-sharing")
    disk = {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8, "Encrypted": True}}
    vm = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="m5.large",
                           BlockDeviceMappings=[disk],
                           TagSpecifications=_tag("root-vol", "volume"))["Instances"][0]["InstanceId"]
    root = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [vm]}])["Volumes"][0]["VolumeId"]
    backup = ec2.create_snapshot(VolumeId=root, TagSpecifications=_tag("root-backup", "snapshot"))
    loose = ec2.create_volume(Size=20, AvailabilityZone="us-east-1a", TagSpecifications=_tag("loose-vol", "volume"))
    shared = ec2.create_snapshot(VolumeId=loose["VolumeId"], TagSpecifications=_tag("shared-snap", "snapshot"))
    ec2.modify_snapshot_attribute(SnapshotId=shared["SnapshotId"], Attribute="createVolumePermission",
                                  OperationType="add", GroupNames=["all"])
    seed("ec2", "eu-west-1").enable_ebs_encryption_by_default()
    return {"vm": vm, "root": root, "backup": backup["SnapshotId"], "loose": loose["VolumeId"],
            "shared": shared["SnapshotId"]}


def test_collects_volumes_snapshots_and_settings(access: Any, seed: Any) -> None:
    ids = _estate(seed)
    inv = scan(access, ["ec2"], regions=["us-east-1", "eu-west-1"])
    assert inv.complete
    volumes = {v.name: v for v in inv.of(Volume)}
    root, loose = volumes["root-vol"], volumes["loose-vol"]
    assert (root.id, root.encrypted, root.attached_instance_ids, root.snapshot_count) == (
        ids["root"], True, (ids["vm"],), 1)
    assert root.latest_snapshot_at is not None
    assert (loose.encrypted, loose.attached_instance_ids, loose.state, loose.size_gib) == (False, (), "available", 20)
    # only this account's snapshots, never the public AMI snapshots of other owners moto also holds
    snapshots = {s.name: s for s in inv.of(Snapshot)}
    assert set(snapshots) == {"root-backup", "shared-snap"}
    assert (snapshots["shared-snap"].public, snapshots["root-backup"].public) == (True, False)
    assert snapshots["root-backup"].arn == f"arn:aws:ec2:us-east-1::snapshot/{ids['backup']}"
    settings = {s.region: s for s in inv.of(EbsSettings)}
    assert (settings["us-east-1"].encryption_by_default, settings["us-east-1"].snapshot_block_public_access) == (
        False, "block-new-sharing")
    assert (settings["eu-west-1"].encryption_by_default, settings["eu-west-1"].snapshot_block_public_access) == (
        True, "unblocked")


def test_ebs_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["ec2"], regions=["us-east-1", "eu-west-1"]))
    assert by_name(ev, "ebs.volume_encrypted") == {"root-vol": "pass", "loose-vol": "fail"}
    assert by_name(ev, "ebs.volume_attached") == {"root-vol": "pass", "loose-vol": "fail"}
    assert by_name(ev, "ebs.volume_has_snapshot") == {"root-vol": "pass", "loose-vol": "skip"}
    assert by_name(ev, "ebs.snapshot_not_public") == {"root-backup": "pass", "shared-snap": "fail"}
    assert by_name(ev, "ebs.snapshot_encrypted") == {"root-backup": "pass", "shared-snap": "fail"}
    settings = {f.region: (f.status.value, f.message) for f in findings_of(ev, "ebs.encryption_by_default")}
    assert settings == {"us-east-1": ("fail", "EBS encryption by default is off in us-east-1"),
                        "eu-west-1": ("pass", "new EBS volumes in eu-west-1 are encrypted by default")}
    sharing = {f.region: f.status.value for f in findings_of(ev, "ebs.snapshot_block_public_access")}
    assert sharing == {"us-east-1": "fail", "eu-west-1": "fail"}


@pytest.mark.parametrize("action", PERMISSIONS)
def test_denied_read_is_error_never_pass_or_fail(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action})))
    ev = evaluate(scan(access, ["ec2"]))
    # the EBS controls that read EC2 alone (AWS Backup coverage needs the backup service too)
    ours = {cid for cid, c in ev.controls.items() if cid.startswith("ebs.") and all(a.startswith("ec2:")
                                                                                  for a in c.needs)}
    affected = [cid for cid in ours if action in ev.controls[cid].needs]
    assert affected
    for cid in affected:
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, (cid, by_name(ev, cid))
        assert all(action in f.message for f in found)
    # the other EBS controls still reach verdicts
    for cid in ours - set(affected):
        assert "error" not in {f.status.value for f in findings_of(ev, cid)}, cid


def _stub_ctx() -> tuple[Any, Ctx]:
    access = AwsAccess(endpoint_url="http://127.0.0.1:9", home_region="us-east-1", access_key="x", secret_key="y")
    return access.client("ec2", "us-east-1"), Ctx(access, ACCOUNT, "us-east-1", "ec2", "aws")


def _snap(sid: str, owner: str = ACCOUNT) -> dict[str, Any]:
    return {"SnapshotId": sid, "OwnerId": owner, "VolumeId": "vol-1", "State": "completed", "Encrypted": False,
            "StartTime": datetime(2025, 1, 1, tzinfo=UTC)}


def test_public_snapshots_come_from_the_filtered_listing() -> None:
    client, ctx = _stub_ctx()
    with Stubber(client) as stub:
        stub.add_response("describe_snapshots", {"Snapshots": [_snap("snap-1"), _snap("snap-2"),
                                                               _snap("snap-9", owner="999999999999")]},
                          {"OwnerIds": ["self"], "MaxResults": 1000})
        stub.add_response("describe_snapshots", {"Snapshots": [_snap("snap-2")]},
                          {"OwnerIds": ["self"], "MaxResults": 1000, "RestorableByUserIds": ["all"]})
        stub.add_response("describe_volumes", {"Volumes": []}, {"MaxResults": 1000})
        found = [r for r in collect_ebs(ctx) if isinstance(r, Snapshot)]
    assert [(s.id, s.public) for s in found] == [("snap-1", False), ("snap-2", True)] and not ctx.errors


def test_failed_public_listing_leaves_exposure_unknown() -> None:
    client, ctx = _stub_ctx()
    with Stubber(client) as stub:
        stub.add_response("describe_snapshots", {"Snapshots": [_snap("snap-1")]},
                          {"OwnerIds": ["self"], "MaxResults": 1000})
        stub.add_client_error("describe_snapshots", service_error_code="RequestLimitExceeded", http_status_code=503)
        stub.add_response("describe_volumes", {"Volumes": []}, {"MaxResults": 1000})
        found = [r for r in collect_ebs(ctx) if isinstance(r, Snapshot)]
    assert [(s.id, s.public) for s in found] == [("snap-1", None)]
    assert [e.operation for e in ctx.errors] == ["ec2:DescribeSnapshots"]
