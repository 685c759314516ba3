"""GuardDuty collector against moto's server: one verdict per region, ERROR (never PASS/FAIL) when denied."""

from __future__ import annotations

import pytest

from assay.collect.registry import load_collectors
from assay.faults import deny
from assay.models.resources.guardduty import GuardDutyDetector
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]
CONTROL = "guardduty.enabled_in_region"
PERMISSIONS = load_collectors()["guardduty.collect_detectors"].permissions


def _estate(seed) -> None:  # type: ignore[no-untyped-def]
    seed("guardduty", "us-east-1").create_detector(Enable=True, FindingPublishingFrequency="ONE_HOUR",
                                                   Tags={"team": "security"})
    seed("guardduty", "us-west-2").create_detector(Enable=False)  # suspended
    # eu-west-1: no detector at all


def test_one_verdict_per_region(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    inv = scan(access, ["guardduty"], regions=REGIONS)
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {"us-east-1": "pass", "eu-west-1": "fail", "us-west-2": "fail"}
    messages = {f.region: f.message for f in findings_of(ev, CONTROL)}
    assert messages["eu-west-1"] == "no GuardDuty detector exists in eu-west-1"
    assert "suspended" in messages["us-west-2"]
    assert "one hour" in messages["us-east-1"]
    assert inv.complete and not inv.errors


def test_collects_detector_settings(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    records = {d.region: d for d in scan(access, ["guardduty"], regions=REGIONS).of(GuardDutyDetector)}
    home = records["us-east-1"]
    assert home.status == "ENABLED" and home.enabled is True
    assert home.finding_publishing_frequency == "ONE_HOUR"
    assert home.tags == {"team": "security"}
    assert home.arn == f"arn:aws:guardduty:us-east-1:123456789012:detector/{home.detector_id}"
    assert "S3Logs" in home.data_sources
    assert records["eu-west-1"].detector_id is None
    assert records["us-west-2"].status == "DISABLED"


def test_denied_list_gives_region_error_not_fail(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    access.hooks.append(("before-call", deny({"guardduty:ListDetectors"})))
    inv = scan(access, ["guardduty"], regions=REGIONS)
    found = findings_of(evaluate(inv), CONTROL)
    assert sorted(f.region for f in found) == sorted(REGIONS)
    assert {f.status.value for f in found} == {"error"}
    assert all("guardduty:ListDetectors" in f.message for f in found)
    assert not list(inv.resources())  # unknown is not "no detector"


def test_denied_get_detector_is_error_where_a_detector_exists(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    access.hooks.append(("before-call", deny({"guardduty:GetDetector"})))
    ev = evaluate(scan(access, ["guardduty"], regions=REGIONS))
    # The region with no detector never needed GetDetector: its FAIL is read, not guessed.
    assert by_name(ev, CONTROL) == {"us-east-1": "error", "us-west-2": "error", "eu-west-1": "fail"}
    assert all("guardduty:GetDetector" in f.message for f in findings_of(ev, CONTROL) if f.status.value == "error")


@pytest.mark.parametrize("action", PERMISSIONS)
def test_every_denied_read_errors_and_never_passes(access, seed, action: str) -> None:  # type: ignore[no-untyped-def]
    seed("guardduty", "us-east-1").create_detector(Enable=True)
    seed("guardduty", "eu-west-1").create_detector(Enable=False)
    access.hooks.append(("before-call", deny({action})))
    found = findings_of(evaluate(scan(access, ["guardduty"], regions=["us-east-1", "eu-west-1"])), CONTROL)
    assert [f.status.value for f in found] == ["error", "error"]
    assert all(action in f.message for f in found)
