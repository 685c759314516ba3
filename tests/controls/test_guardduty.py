"""GuardDuty controls: pure functions over GuardDutyDetector records (one per region)."""

from __future__ import annotations

from typing import Any

from assay.controls import guardduty
from assay.models.findings import Status
from assay.models.resources.guardduty import GuardDutyDetector

ACCOUNT = "123456789012"


def detector(**over: Any) -> GuardDutyDetector:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:guardduty:eu-west-1:{ACCOUNT}:detector/d1", id="d1", account_id=ACCOUNT, region="eu-west-1",
        name="eu-west-1", detector_id="d1", status="ENABLED", finding_publishing_frequency="SIX_HOURS",
    )
    return GuardDutyDetector(**{**base, **over})


def test_enabled_detector_passes() -> None:
    outcome = guardduty.enabled_in_region(detector())
    assert outcome.status is Status.PASS
    assert "d1" in outcome.message and "six hours" in outcome.message


def test_region_without_detector_fails() -> None:
    none = detector(arn=f"arn:aws:guardduty:eu-west-1:{ACCOUNT}:detector", id="eu-west-1", detector_id=None,
                    status=None, finding_publishing_frequency=None)
    outcome = guardduty.enabled_in_region(none)
    assert outcome.status is Status.FAIL
    assert outcome.message == "no GuardDuty detector exists in eu-west-1"
    assert none.enabled is False


def test_suspended_detector_fails() -> None:
    outcome = guardduty.enabled_in_region(detector(status="DISABLED"))
    assert outcome.status is Status.FAIL
    assert "suspended" in outcome.message


def test_unread_detector_is_error() -> None:
    unread = detector(status=None)
    assert guardduty.enabled_in_region(unread).status is Status.ERROR
    assert unread.enabled is None


def test_no_region_is_ever_not_applicable() -> None:
    # Every scanned region needs a detector: there is no skip case, whatever the record says.
    for d in (detector(), detector(status="DISABLED"), detector(detector_id=None, status=None), detector(status=None)):
        assert guardduty.enabled_in_region(d).status is not Status.SKIP
