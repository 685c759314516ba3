"""ACM controls: pure functions over built certificates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assay.controls import acm
from assay.models.findings import Status
from assay.models.resources.acm import AcmCertificate

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def cert(days_left: float | None = 200, **over: Any) -> AcmCertificate:
    base: dict[str, Any] = dict(
        arn="arn:aws:acm:us-east-1:123456789012:certificate/c1", id="c1", name="www.example.com",
        account_id="123456789012", region="us-east-1", domain_name="www.example.com", status="ISSUED",
        certificate_type="IMPORTED", in_use=True,
        not_after=None if days_left is None else (NOW + timedelta(days=days_left)).isoformat(),
    )
    return AcmCertificate(**{**base, **over})


def test_certificate_not_expiring() -> None:
    check = acm.certificate_not_expiring
    assert check(cert(200), NOW).message == "valid until 2025-12-18 (200 days left)"
    soon = check(cert(10.5), NOW)
    assert soon.status is Status.FAIL and soon.message == "expires on 2025-06-12, in 10 days (threshold 30)"
    expired = check(cert(-3, status="EXPIRED"), NOW)
    assert expired.status is Status.FAIL and expired.message == "expired on 2025-05-29"


def test_threshold_is_a_parameter() -> None:
    assert acm.certificate_not_expiring(cert(10), NOW, min_days_left=7).status is Status.PASS
    assert acm.certificate_not_expiring(cert(40), NOW, min_days_left=45).status is Status.FAIL


def test_unused_certificates_are_skipped_unless_asked_for() -> None:
    unused = cert(5, in_use=False)
    assert acm.certificate_not_expiring(unused, NOW).status is Status.SKIP
    assert acm.certificate_not_expiring(unused, NOW, include_unused=True).status is Status.FAIL


def test_certificates_not_issued_are_skipped() -> None:
    outcome = acm.certificate_not_expiring(cert(None, status="PENDING_VALIDATION", in_use=False), NOW)
    assert outcome.status is Status.SKIP and "PENDING_VALIDATION" in outcome.message


def test_missing_facts_are_errors() -> None:
    assert acm.certificate_not_expiring(cert(None), NOW).status is Status.ERROR
    assert acm.certificate_not_expiring(cert(5, in_use=None), NOW).status is Status.ERROR
