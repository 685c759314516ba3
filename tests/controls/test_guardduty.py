"""GuardDuty controls: pure functions over GuardDutyDetector records (one per region)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assay.controls import guardduty, guardduty_export
from assay.models.findings import Status
from assay.models.resources.guardduty import GuardDutyDetector, GuardDutyFinding, PublishingDestination

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


# -- high_findings_addressed --------------------------------------------------------------------

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def open_finding(days_old: int | None, severity: float = 8.5, n: int = 1) -> GuardDutyFinding:
    created = None if days_old is None else NOW - timedelta(days=days_old)
    return GuardDutyFinding(id=f"f{n}", finding_type="UnauthorizedAccess:IAMUser/MaliciousIPCaller",
                            severity=severity, created_at=created, resource_type="AccessKey")


def test_no_open_high_findings_pass() -> None:
    outcome = guardduty.high_findings_addressed(detector(open_high_findings=0, oldest_high_findings=()), NOW)
    assert outcome == (Status.PASS, "no unarchived finding of high or critical severity")


def test_recent_high_findings_pass() -> None:
    d = detector(open_high_findings=2, oldest_high_findings=(open_finding(3), open_finding(1, n=2)))
    outcome = guardduty.high_findings_addressed(d, NOW)
    assert outcome == (Status.PASS, "2 high-severity finding(s) open, all within 7 days")


def test_old_high_findings_fail_and_the_limit_is_a_parameter() -> None:
    d = detector(open_high_findings=40, oldest_high_findings=(open_finding(12), open_finding(9, n=2),
                                                               open_finding(2, n=3)))
    outcome = guardduty.high_findings_addressed(d, NOW)
    assert outcome.status is Status.FAIL
    assert outcome.message == ("40 high-severity finding(s) unarchived; oldest UnauthorizedAccess:IAMUser/"
                               "MaliciousIPCaller (severity 8.5) has been open 12 days (limit 7); 2 of the "
                               "oldest 3 are over the limit")
    assert guardduty.high_findings_addressed(d, NOW, max_open_days=30).status is Status.PASS


def test_findings_without_detector_skip() -> None:
    none = detector(detector_id=None, status=None)
    assert guardduty.high_findings_addressed(none, NOW).status is Status.SKIP


def test_unread_findings_are_error() -> None:
    assert guardduty.high_findings_addressed(detector(), NOW).status is Status.ERROR  # never listed
    undated = detector(open_high_findings=3, oldest_high_findings=None)
    assert guardduty.high_findings_addressed(undated, NOW) == (
        Status.ERROR, "3 open high-severity finding(s), but their dates were not read")
    no_date = detector(open_high_findings=1, oldest_high_findings=(open_finding(None),))
    assert guardduty.high_findings_addressed(no_date, NOW).status is Status.ERROR


def test_findings_exported() -> None:
    f = guardduty_export.findings_exported
    s3 = PublishingDestination(id="d1", destination_type="S3", status="PUBLISHING")
    assert f(detector(publishing_destinations=(s3,))) == (Status.PASS, "findings are exported to S3 (d1)")
    out = f(detector(publishing_destinations=()))
    assert out.status is Status.FAIL and "deleted after 90 days" in out.message
    broken = PublishingDestination(id="d2", status="PUBLISHING_FAILED")
    assert f(detector(publishing_destinations=(broken,))) == \
        (Status.FAIL, "no export destination is publishing: d2 publishing_failed")
    assert f(detector(detector_id=None, status=None)).status is Status.SKIP
    assert f(detector(status="DISABLED", publishing_destinations=())).status is Status.SKIP
    assert f(detector(publishing_destinations=None)).status is Status.ERROR
