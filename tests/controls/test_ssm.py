"""Systems Manager controls: pure functions over EC2 instances and the region's SSM record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assay.controls.ssm import instances_managed, patch_compliant
from assay.controls.ssm_associations import association_compliant
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.ec2 import Instance
from assay.models.resources.ssm import PatchSummary, SsmRegion

ACCOUNT = "123456789012"
NOW = datetime(2025, 6, 1, tzinfo=UTC)
OK = PatchSummary(status="COMPLIANT", overall_severity="UNSPECIFIED", execution_time="2025-05-31T02:00:00+00:00")
BEHIND = PatchSummary(status="NON_COMPLIANT", overall_severity="CRITICAL", non_compliant_count=3)


def instance(iid: str = "i-0001", state: str = "running") -> Instance:
    return Instance(arn=f"arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/{iid}", id=iid, account_id=ACCOUNT,
                    region="eu-west-1", state=state)


def inventory(**fields: Any) -> Inventory:
    base: dict[str, Any] = dict(managed={"i-0001": "Online", "i-0002": "ConnectionLost"},
                                patch={"i-0001": OK, "i-0002": BEHIND})
    resources: list[Resource] = [SsmRegion(arn=f"arn:aws:ssm:eu-west-1:{ACCOUNT}:managed-instance-inventory",
                                           id="eu-west-1", account_id=ACCOUNT, region="eu-west-1",
                                           **{**base, **fields})]
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW, requested_regions=["eu-west-1"])
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], resources, [])


def test_managed_online_instance_passes() -> None:
    assert instances_managed(instance(), inventory()) == (Status.PASS, "i-0001 is managed and online")


def test_unregistered_or_lost_instance_fails() -> None:
    assert instances_managed(instance("i-0003"), inventory()) == (
        Status.FAIL, "i-0003 is not registered with Systems Manager")
    assert instances_managed(instance("i-0002"), inventory()) == (
        Status.FAIL, "i-0002 is registered, but its SSM Agent is ConnectionLost")


def test_stopped_instance_is_skipped() -> None:
    assert instances_managed(instance("i-0003", "stopped"), inventory()) == (Status.SKIP, "the instance is stopped")
    assert patch_compliant(instance("i-0003", "stopped"), inventory()).status is Status.SKIP


def test_unread_nodes_are_error() -> None:
    assert instances_managed(instance(), inventory(managed=None)).status is Status.ERROR
    empty = Inventory(inventory().meta, [AccountInfo(account_id=ACCOUNT)], [], [], [], [])
    assert instances_managed(instance(), empty).status is Status.ERROR
    assert patch_compliant(instance(), empty).status is Status.ERROR


def test_compliant_instance_passes() -> None:
    assert patch_compliant(instance(), inventory()) == (
        Status.PASS, "i-0001 is compliant with its patch baseline (scanned 2025-05-31T02:00:00+00:00)")


def test_non_compliant_or_never_scanned_instance_fails() -> None:
    assert patch_compliant(instance("i-0002"), inventory()) == (
        Status.FAIL, "i-0002 is NON_COMPLIANT with its patch baseline (3 missing or failed patch(es), "
                     "highest severity CRITICAL)")
    assert patch_compliant(instance("i-0003"), inventory()) == (
        Status.FAIL, "i-0003 has no patch compliance data: Patch Manager never scanned it")


def test_unread_patch_compliance_is_error() -> None:
    outcome = patch_compliant(instance(), inventory(patch=None))
    assert outcome == (Status.ERROR, "patch compliance in eu-west-1 was not read")


def test_association_compliant() -> None:
    inv = inventory(associations={"i-0001": OK, "i-0002": BEHIND})
    assert association_compliant(instance(), inv) == (Status.PASS, "i-0001 is compliant with its associations")
    assert association_compliant(instance("i-0002"), inv) == (
        Status.FAIL, "i-0002 is NON_COMPLIANT with its associations (3 non-compliant)")
    assert association_compliant(instance("i-0003"), inv).status is Status.SKIP  # no association targets it
    assert association_compliant(instance("i-0003", "stopped"), inv).status is Status.SKIP
    assert association_compliant(instance(), inventory()).status is Status.ERROR  # associations not read
