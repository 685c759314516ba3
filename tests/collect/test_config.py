"""AWS Config collector against moto's server; ERROR (never PASS/FAIL) when any of its reads is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.registry import load_collectors
from assay.faults import deny
from assay.models.resources.config import ConfigRecorder
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]
ROLE = f"arn:aws:iam::{ACCOUNT}:role/config"
PERMISSIONS = load_collectors()["config.collect_recorders"].permissions
CONTROLS = ("config.recorder_records_all_resources", "config.global_resources_recorded")


def _recorder(seed: Any, region: str, name: str, group: dict[str, Any], start: bool = True) -> None:
    config = seed("config", region)
    config.put_configuration_recorder(ConfigurationRecorder={"name": name, "roleARN": ROLE, "recordingGroup": group})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config-bucket"})
    if start:
        config.start_configuration_recorder(ConfigurationRecorderName=name)


def _estate(seed: Any) -> None:
    _recorder(seed, "us-east-1", "home", {"allSupported": True, "includeGlobalResourceTypes": True})
    _recorder(seed, "eu-west-1", "partial", {"allSupported": False, "resourceTypes": ["AWS::S3::Bucket"]})
    _recorder(seed, "us-west-2", "stopped", {"allSupported": True}, start=False)


def test_one_verdict_per_region(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["config"], regions=REGIONS)
    assert inv.complete and not inv.errors
    ev = evaluate(inv)
    assert by_name(ev, CONTROLS[0]) == {"home": "pass", "partial": "fail", "stopped": "fail"}
    messages = {f.region: f.message for f in findings_of(ev, CONTROLS[0])}
    assert messages["us-west-2"] == "recorder stopped in us-west-2 is stopped"
    assert "AWS::S3::Bucket" in messages["eu-west-1"]
    assert [(f.status.value, f.message) for f in findings_of(ev, CONTROLS[1])] == [
        ("pass", "global resource types are recorded in us-east-1")]


def test_collects_recorder_settings(access: Any, seed: Any) -> None:
    _estate(seed)
    seed("config", "ap-south-1")  # nothing there
    records = {r.region: r for r in scan(access, ["config"], regions=[*REGIONS, "ap-south-1"]).of(ConfigRecorder)}
    home = records["us-east-1"]
    assert (home.recorder_name, home.all_supported, home.include_global, home.recording) == ("home", True, True, True)
    assert home.strategy == "ALL_SUPPORTED_RESOURCE_TYPES" and home.last_status is not None
    partial = records["eu-west-1"]
    assert partial.resource_types == ("AWS::S3::Bucket",) and partial.records_all_types is False
    assert records["us-west-2"].recording is False
    nothing = records["ap-south-1"]
    assert nothing.recorder_name is None and nothing.name == "ap-south-1"


def test_no_recorder_anywhere_fails_both(access: Any, seed: Any) -> None:
    ev = evaluate(scan(access, ["config"], regions=["us-east-1", "eu-west-1"]))
    assert by_name(ev, CONTROLS[0]) == {"us-east-1": "fail", "eu-west-1": "fail"}
    assert [f.status.value for f in findings_of(ev, CONTROLS[1])] == ["fail"]


def test_denied_list_is_error_for_region_not_fail(access: Any, seed: Any) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({"config:DescribeConfigurationRecorders"},
                                             code="AccessDeniedException")))
    inv = scan(access, ["config"], regions=REGIONS)
    assert not list(inv.resources())  # unknown, never "no recorder"
    for cid in CONTROLS:
        found = findings_of(evaluate(inv), cid)
        assert found and {f.status.value for f in found} == {"error"}


@pytest.mark.parametrize("action", PERMISSIONS)
def test_every_denied_read_errors_and_never_passes(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["config"], regions=REGIONS))
    for cid in CONTROLS:
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, (cid, [(f.resource_name, f.status)
                                                                              for f in found])
        assert all(action in f.message for f in found)
