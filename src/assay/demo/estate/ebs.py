"""Northwind's EBS estate: region settings, a detached scratch volume and a few snapshots.

Encryption by default and snapshot block public access are on in us-east-1 (pass) and off or partial in
eu-west-1 (fail). The instances whose volumes are backed up (or not) are seeded with the network, in ec2.py.

moto 5.2 ignores DescribeSnapshots' OwnerIds and RestorableByUserIds filters and has neither the snapshot
block public access calls nor Client VPN endpoints; `ensure_moto_ec2_reads` teaches its in-process server
those reads (and the writes the demo seeds with), answering from the state moto keeps.
"""

from __future__ import annotations

from typing import Any

from assay.demo.estate import ClientFactory
from assay.demo.estate.backup import back_up

SHARING_STATES = ("block-all-sharing", "block-new-sharing", "unblocked")


def ensure_moto_ec2_reads() -> None:
    """Patch moto's EC2 responses in this process; a no-op once done (or once moto does it itself)."""
    from moto.core.responses import ActionResult
    from moto.ec2.responses import EC2Response

    if getattr(EC2Response, "_assay_ebs_reads", False):
        return

    def describe_snapshots(self: Any) -> ActionResult:
        owners = set(self._get_param("OwnerIds", []))
        restorable = set(self._get_param("RestorableByUserIds", []))
        found = self.ec2_backend.describe_snapshots(snapshot_ids=self._get_param("SnapshotIds", []),
                                                    filters=self._filters_from_querystring())
        if owners:
            wanted = {self.current_account if o == "self" else o for o in owners}
            found = [s for s in found if s.owner_id in wanted]
        if restorable:
            found = [s for s in found if ("all" in restorable and "all" in s.create_volume_permission_groups)
                     or restorable & s.create_volume_permission_userids]
        return ActionResult({"Snapshots": found})

    def get_snapshot_block_public_access_state(self: Any) -> ActionResult:
        return ActionResult({"State": getattr(self.ec2_backend, "_assay_snapshot_sharing", "unblocked")})

    def enable_snapshot_block_public_access(self: Any) -> ActionResult:
        state = self._get_param("State")
        if state not in SHARING_STATES:
            raise ValueError(f"unknown snapshot block public access state {state!r}")
        self.ec2_backend._assay_snapshot_sharing = state
        return ActionResult({"State": state})

    def create_client_vpn_endpoint(self: Any) -> ActionResult:
        endpoints = self.ec2_backend.__dict__.setdefault("_assay_client_vpn_endpoints", [])
        logs = self._get_param("ConnectionLogOptions") or {}
        endpoint = {
            "ClientVpnEndpointId": f"cvpn-endpoint-{len(endpoints) + 1:017x}",
            "Description": self._get_param("Description", ""),
            "Status": {"Code": "available"},
            "ClientCidrBlock": self._get_param("ClientCidrBlock"),
            "ServerCertificateArn": self._get_param("ServerCertificateArn"),
            "ConnectionLogOptions": {"Enabled": str(logs.get("Enabled", "false")).lower() == "true",
                                     **({"CloudwatchLogGroup": logs["CloudwatchLogGroup"]}
                                        if logs.get("CloudwatchLogGroup") else {})},
            "Tags": [t for spec in self._get_param("TagSpecifications", []) for t in spec.get("Tags", [])],
        }
        endpoints.append(endpoint)
        return ActionResult({"ClientVpnEndpointId": endpoint["ClientVpnEndpointId"],
                             "Status": endpoint["Status"]})

    def describe_client_vpn_endpoints(self: Any) -> ActionResult:
        return ActionResult({"ClientVpnEndpoints": getattr(self.ec2_backend, "_assay_client_vpn_endpoints", [])})

    EC2Response.create_client_vpn_endpoint = create_client_vpn_endpoint  # type: ignore[attr-defined]
    EC2Response.describe_client_vpn_endpoints = describe_client_vpn_endpoints  # type: ignore[attr-defined]
    EC2Response.describe_snapshots = describe_snapshots  # type: ignore[method-assign]
    EC2Response.get_snapshot_block_public_access_state = get_snapshot_block_public_access_state  # type: ignore[attr-defined]
    EC2Response.enable_snapshot_block_public_access = enable_snapshot_block_public_access  # type: ignore[attr-defined]
    EC2Response._assay_ebs_reads = True  # type: ignore[attr-defined]


def _tags(kind: str, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}, {"Key": "owner", "Value": "platform"}]}]


def seed(client: ClientFactory, regions: list[str]) -> None:
    ensure_moto_ec2_reads()
    for region in regions:
        ec2 = client("ec2", region)
        home = region == "us-east-1"
        if home:
            ec2.enable_ebs_encryption_by_default()
        ec2.enable_snapshot_block_public_access(State="block-all-sharing" if home else "block-new-sharing")
        az = f"{region}a"
        scratch = ec2.create_volume(Size=50, AvailabilityZone=az, VolumeType="gp3", Encrypted=False,
                                    TagSpecifications=_tags("volume", "fail-scratch-volume"))["VolumeId"]
        # A snapshot someone made public "for a partner": public and unencrypted.
        shared = ec2.create_snapshot(VolumeId=scratch, Description="export for partner",
                                     TagSpecifications=_tags("snapshot", "fail-partner-export-snapshot"))
        ec2.modify_snapshot_attribute(SnapshotId=shared["SnapshotId"], Attribute="createVolumePermission",
                                      OperationType="add", GroupNames=["all"])
        archive = ec2.create_volume(Size=20, AvailabilityZone=az, Encrypted=True,
                                    TagSpecifications=_tags("volume", "pass-archive-volume"))["VolumeId"]
        ec2.create_snapshot(VolumeId=archive, Description="quarterly archive",
                            TagSpecifications=_tags("snapshot", "pass-archive-snapshot"))
        back_up(client, region, f"arn:aws:ec2:{region}:123456789012:volume/{archive}")
