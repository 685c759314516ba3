"""EC2 compute and storage: instances, launch templates, owned AMIs, EBS volumes and snapshots, and the
region's EBS settings. Region-wide Describe* calls throughout; no call per resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.ec2 import (
    EbsSettings,
    Image,
    Instance,
    LaunchTemplate,
    LaunchTemplateVersion,
    Snapshot,
    Volume,
)

PAGE = 1000
TYPES_PER_CALL = 100  # DescribeInstanceTypes takes at most 100 names
GONE = frozenset({"terminated"})
# "User initiated (2024-05-01 12:00:00 GMT)": the only place AWS records when an instance was stopped.
_STOPPED_AT = re.compile(r"\((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) (?:GMT|UTC)\)")


def _stopped_since(reason: str) -> datetime | None:
    match = _STOPPED_AT.search(reason or "")
    return datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC) if match else None


def _ebs_optimized_support(ctx: Ctx, ec2: Any, types: list[str]) -> dict[str, str] | None:
    """Instance type -> EbsInfo.EbsOptimizedSupport; None when the lookup failed."""
    out: dict[str, str] = {}
    for i in range(0, len(types), TYPES_PER_CALL):
        batch = types[i:i + TYPES_PER_CALL]
        for t in ctx.paginate(ec2, "describe_instance_types", "InstanceTypes", InstanceTypes=batch):
            out[t["InstanceType"]] = (t.get("EbsInfo") or {}).get("EbsOptimizedSupport", "")
    return None if ctx.failed("ec2:DescribeInstanceTypes") else out


@collector(service="ec2", produces=[Instance], permissions=["ec2:DescribeInstances", "ec2:DescribeInstanceTypes"])
def collect_instances(ctx: Ctx) -> Iterator[Instance]:
    ec2 = ctx.client("ec2")
    found = [i for r in ctx.paginate(ec2, "describe_instances", "Reservations", MaxResults=PAGE)
             for i in r.get("Instances") or [] if (i.get("State") or {}).get("Name") not in GONE]
    support = _ebs_optimized_support(ctx, ec2, sorted({i.get("InstanceType", "") for i in found} - {""}))
    for i in found:
        iid = i["InstanceId"]
        tags = tags_from(i.get("Tags"))
        meta = i.get("MetadataOptions") or {}
        state = (i.get("State") or {}).get("Name", "")
        yield Instance(
            arn=ctx.arn("ec2", f"instance/{iid}"), id=iid, account_id=ctx.account_id, region=ctx.region,
            name=tags.get("Name", ""), tags=tags, state=state, instance_type=i.get("InstanceType", ""),
            image_id=i.get("ImageId", ""), vpc_id=i.get("VpcId") or None, subnet_id=i.get("SubnetId") or None,
            public_ip=i.get("PublicIpAddress") or None,
            security_group_ids=tuple(g["GroupId"] for g in i.get("SecurityGroups") or [] if g.get("GroupId")),
            volume_ids=tuple(b["Ebs"]["VolumeId"] for b in i.get("BlockDeviceMappings") or []
                             if (b.get("Ebs") or {}).get("VolumeId")),
            metadata_http_tokens=meta.get("HttpTokens", ""), metadata_http_endpoint=meta.get("HttpEndpoint", ""),
            monitoring=(i.get("Monitoring") or {}).get("State", ""), ebs_optimized=bool(i.get("EbsOptimized")),
            ebs_optimized_support=None if support is None else support.get(i.get("InstanceType", ""), ""),
            enclave_enabled=bool((i.get("EnclaveOptions") or {}).get("Enabled")),
            stopped_since=_stopped_since(i.get("StateTransitionReason", "")) if state == "stopped" else None,
        )


def _public_ip_interfaces(data: dict[str, Any]) -> tuple[int, ...]:
    return tuple(int(n.get("DeviceIndex", 0)) for n in data.get("NetworkInterfaces") or []
                 if n.get("AssociatePublicIpAddress") is True)


@collector(service="ec2", produces=[LaunchTemplate], permissions=["ec2:DescribeLaunchTemplateVersions"])
def collect_launch_templates(ctx: Ctx) -> Iterator[LaunchTemplate]:
    """Without a template id, DescribeLaunchTemplateVersions returns the named versions of every template."""
    ec2 = ctx.client("ec2")
    by_template: dict[str, list[dict[str, Any]]] = {}
    for v in ctx.paginate(ec2, "describe_launch_template_versions", "LaunchTemplateVersions",
                          Versions=["$Default", "$Latest"], MaxResults=200):
        by_template.setdefault(v["LaunchTemplateId"], []).append(v)
    for tid, found in sorted(by_template.items()):
        latest = max(int(v.get("VersionNumber", 0)) for v in found)
        versions = {
            int(v.get("VersionNumber", 0)): LaunchTemplateVersion(
                number=int(v.get("VersionNumber", 0)), is_default=bool(v.get("DefaultVersion")),
                is_latest=int(v.get("VersionNumber", 0)) == latest,
                public_ip_interfaces=_public_ip_interfaces(v.get("LaunchTemplateData") or {}),
            )
            for v in found
        }
        yield LaunchTemplate(
            arn=ctx.arn("ec2", f"launch-template/{tid}"), id=tid, account_id=ctx.account_id, region=ctx.region,
            name=found[0].get("LaunchTemplateName", ""), versions=tuple(versions[n] for n in sorted(versions)),
        )


@collector(service="ec2", produces=[Image], permissions=["ec2:DescribeImages"])
def collect_images(ctx: Ctx) -> Iterator[Image]:
    ec2 = ctx.client("ec2")
    for im in ctx.paginate(ec2, "describe_images", "Images", Owners=["self"], MaxResults=PAGE):
        if im.get("OwnerId") not in (None, ctx.account_id):
            continue  # Owners=self already filters; a stray answer must not be judged as ours
        iid = im["ImageId"]
        tags = tags_from(im.get("Tags"))
        yield Image(
            arn=ctx.arn("ec2", f"image/{iid}", account=False), id=iid, account_id=ctx.account_id,
            region=ctx.region, name=tags.get("Name") or im.get("Name", ""), tags=tags,
            public=bool(im.get("Public")), state=im.get("State", ""), creation_date=im.get("CreationDate", ""),
        )


def _owned_snapshots(ctx: Ctx, ec2: Any, **filters: Any) -> list[dict[str, Any]]:
    found = ctx.paginate(ec2, "describe_snapshots", "Snapshots", OwnerIds=["self"], MaxResults=PAGE, **filters)
    return [s for s in found if s.get("OwnerId") in (None, ctx.account_id)]


def _volume(ctx: Ctx, v: dict[str, Any], snapshots: list[dict[str, Any]] | None) -> Volume:
    vid = v["VolumeId"]
    tags = tags_from(v.get("Tags"))
    taken = [s["StartTime"] for s in snapshots or [] if s.get("VolumeId") == vid
             and s.get("State") == "completed" and s.get("StartTime")]
    return Volume(
        arn=ctx.arn("ec2", f"volume/{vid}"), id=vid, account_id=ctx.account_id, region=ctx.region,
        name=tags.get("Name", ""), tags=tags, state=v.get("State", ""), size_gib=int(v.get("Size", 0)),
        volume_type=v.get("VolumeType", ""), encrypted=bool(v.get("Encrypted")), kms_key_id=v.get("KmsKeyId"),
        attached_instance_ids=tuple(a["InstanceId"] for a in v.get("Attachments") or [] if a.get("InstanceId")),
        created_at=v.get("CreateTime"),
        snapshot_count=None if snapshots is None else len(taken),
        latest_snapshot_at=max(taken) if taken else None,
    )


@collector(service="ec2", produces=[Volume, Snapshot], permissions=["ec2:DescribeVolumes", "ec2:DescribeSnapshots"])
def collect_ebs(ctx: Ctx) -> Iterator[Volume | Snapshot]:
    """Volumes, and the snapshots this account owns; a second, filtered listing names the public ones."""
    ec2 = ctx.client("ec2")
    snapshots: list[dict[str, Any]] | None = _owned_snapshots(ctx, ec2)
    if ctx.failed("ec2:DescribeSnapshots"):
        snapshots = None
    public: set[str] | None = None
    if snapshots:
        public = {s["SnapshotId"] for s in _owned_snapshots(ctx, ec2, RestorableByUserIds=["all"])}
        if ctx.failed("ec2:DescribeSnapshots"):
            public = None
    for v in ctx.paginate(ec2, "describe_volumes", "Volumes", MaxResults=PAGE):
        yield _volume(ctx, v, snapshots)
    for s in snapshots or []:
        sid = s["SnapshotId"]
        tags = tags_from(s.get("Tags"))
        yield Snapshot(
            arn=ctx.arn("ec2", f"snapshot/{sid}", account=False), id=sid, account_id=ctx.account_id,
            region=ctx.region, name=tags.get("Name", ""), tags=tags, volume_id=s.get("VolumeId", ""),
            state=s.get("State", ""), encrypted=bool(s.get("Encrypted")), kms_key_id=s.get("KmsKeyId"),
            started_at=s.get("StartTime"), public=None if public is None else sid in public,
        )


@collector(service="ec2", produces=[EbsSettings],
           permissions=["ec2:GetEbsEncryptionByDefault", "ec2:GetSnapshotBlockPublicAccessState"])
def collect_ebs_settings(ctx: Ctx) -> Iterator[EbsSettings]:
    """One record per region; a failed read is recorded against it so that only its control errors."""
    ec2 = ctx.client("ec2")
    arn = ctx.arn("ec2", "ebs-settings")
    encryption = ctx.call(ec2, "get_ebs_encryption_by_default", resource_arn=arn)
    sharing = ctx.call(ec2, "get_snapshot_block_public_access_state", resource_arn=arn)
    yield EbsSettings(
        arn=arn, id=f"ebs-settings/{ctx.region}", account_id=ctx.account_id, region=ctx.region,
        name=f"EBS settings ({ctx.region})",
        encryption_by_default=None if encryption is None else bool(encryption.get("EbsEncryptionByDefault")),
        snapshot_block_public_access=None if sharing is None else str(sharing.get("State") or "unblocked"),
    )
