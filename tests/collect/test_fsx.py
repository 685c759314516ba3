"""FSx collector against moto's server (file systems) and botocore's Stubber (ONTAP volumes, which moto
cannot create); denied reads are ERROR, never PASS or FAIL."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from assay.demo.estate import backup as backup_estate
from assay.demo.estate import fsx as fsx_estate
from assay.faults import deny
from assay.models.resources.fsx import FsxFileSystem
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

backup_estate.ensure_moto_backup()  # the estate backs up a file system; the control reads AWS Backup

REGIONS = ["us-east-1", "eu-west-1"]
SERVICES = ["fsx", "backup"]
CONTROL = "fsx.file_system_protected_by_backup"
EXPECTED = {
    "pass-finance-shares": "pass",
    "pass-home-directories": "pass",
    "pass-model-store": "pass",
    "fail-render-cache": "fail",
    "skip-etl-scratch": "skip",
}


def _estate(seed: Any) -> None:
    backup_estate.seed(seed, REGIONS)
    fsx_estate.seed(seed, REGIONS)


def test_collects_file_systems_and_evaluates(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, SERVICES, regions=REGIONS)
    assert inv.complete and not inv.errors
    systems = {f.name: f for f in inv.of(FsxFileSystem)}
    assert set(systems) == set(EXPECTED)
    shares = systems["pass-finance-shares"]
    assert (shares.file_system_type, shares.deployment_type, shares.automatic_backup_retention_days) == (
        "WINDOWS",
        "MULTI_AZ_1",
        30,
    )
    assert shares.arn.startswith(f"arn:aws:fsx:us-east-1:{ACCOUNT}:file-system/fs-")
    assert shares.backup_volume_arns is None  # volumes are read for ONTAP only
    assert systems["pass-home-directories"].backup_volume_arns == ()  # moto's ONTAP system holds no volume
    assert systems["skip-etl-scratch"].deployment_type == "SCRATCH_2"
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == EXPECTED
    messages = {f.resource_name: f.message for f in findings_of(ev, CONTROL)}
    assert messages["fail-render-cache"] == "automatic backups are off, and AWS Backup holds no recovery point of it"
    assert messages["pass-model-store"].startswith("latest AWS Backup recovery point taken")


def test_volumes_are_listed_only_where_an_ontap_file_system_is(access: Any, seed: Any) -> None:
    seed("fsx", "eu-west-1").create_file_system(
        FileSystemType="WINDOWS",
        StorageCapacity=32,
        SubnetIds=fsx_estate.SUBNETS,
        WindowsConfiguration={"ThroughputCapacity": 8},
    )
    access.hooks.append(("before-call", deny({"fsx:DescribeVolumes"}, code="AccessDeniedException")))
    inv = scan(access, ["fsx"], regions=REGIONS)  # a denied volume listing would make the scan incomplete
    assert inv.complete and [f.region for f in inv.of(FsxFileSystem)] == ["eu-west-1"]


@pytest.mark.parametrize("action", ["fsx:DescribeFileSystems", "fsx:DescribeVolumes", "backup:ListProtectedResources"])
def test_denied_read_is_error_never_a_verdict(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, SERVICES, regions=["us-east-1"]))
    assert any(e.operation == action for e in ev.inventory.errors)
    found = findings_of(ev, CONTROL)
    assert found and not [f for f in found if f.status.value in ("pass", "fail")]
    assert any(f.status.value == "error" and action in f.message for f in found)


# -- AWS shapes moto cannot produce --------------------------------------------------------------------

FS_ARN = f"arn:aws:fsx:us-east-1:{ACCOUNT}:file-system/fs-0123456789abcdef0"
DATA, ROOT, MIRROR, CACHE = (f"fsvol-{n}0123456789abcdef" for n in "0abc")


def _volume(vid: str, **ontap: Any) -> dict[str, Any]:
    return {
        "FileSystemId": "fs-0123456789abcdef0",
        "VolumeId": vid,
        "VolumeType": "ONTAP",
        "Lifecycle": "CREATED",
        "Name": vid,
        "ResourceARN": f"arn:aws:fsx:us-east-1:{ACCOUNT}:volume/fs-0123456789abcdef0/{vid}",
        "OntapConfiguration": {"OntapVolumeType": "RW", "StorageVirtualMachineRoot": False, **ontap},
    }


def _ontap_system(volumes: list[dict[str, Any]] | None) -> Any:
    def script(stub: Stubber, region: str) -> None:
        stub.add_response(
            "describe_file_systems",
            {
                "FileSystems": [
                    {
                        "FileSystemId": "fs-0123456789abcdef0",
                        "FileSystemType": "ONTAP",
                        "Lifecycle": "AVAILABLE",
                        "StorageCapacity": 1024,
                        "ResourceARN": FS_ARN,
                        "Tags": [{"Key": "Name", "Value": "home"}],
                        "OntapConfiguration": {"DeploymentType": "MULTI_AZ_2", "AutomaticBackupRetentionDays": 0},
                    }
                ]
            },
            {"MaxResults": 2147483647},
        )
        if volumes is None:
            stub.add_client_error(
                "describe_volumes",
                "AccessDeniedException",
                "not authorized",
                400,
                expected_params={"MaxResults": 2147483647},
            )
        else:
            stub.add_response("describe_volumes", {"Volumes": volumes}, {"MaxResults": 2147483647})

    return stubbed_scan("fsx", ["us-east-1"], script)


def test_ontap_volumes_that_can_be_backed_up_on_stubber() -> None:
    inv = _ontap_system(
        [
            _volume(DATA),
            _volume(ROOT, StorageVirtualMachineRoot=True),
            _volume(MIRROR, OntapVolumeType="DP"),
            _volume(CACHE, FlexCacheEndpointType="CACHE"),
        ]
    )
    assert inv.complete
    [home] = inv.of(FsxFileSystem)
    assert (home.name, home.state, home.deployment_type) == ("home", "AVAILABLE", "MULTI_AZ_2")
    assert home.backup_volume_arns == (f"arn:aws:fsx:us-east-1:{ACCOUNT}:volume/fs-0123456789abcdef0/{DATA}",)


def test_denied_volume_listing_leaves_volumes_unknown_on_stubber() -> None:
    inv = _ontap_system(None)
    [home] = inv.of(FsxFileSystem)
    assert home.backup_volume_arns is None
    assert [e.operation for e in inv.errors] == ["fsx:DescribeVolumes"]
