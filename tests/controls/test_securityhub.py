"""Security Hub controls: pure functions over SecurityHubHub records (one per region)."""

from __future__ import annotations

from typing import Any

from assay.controls import securityhub
from assay.models.findings import Status
from assay.models.resources.securityhub import SecurityHubHub

ACCOUNT = "123456789012"
FSBP = "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"


def hub(**over: Any) -> SecurityHubHub:
    base: dict[str, Any] = dict(arn=f"arn:aws:securityhub:eu-west-1:{ACCOUNT}:hub/default", id="eu-west-1",
                                name="eu-west-1", account_id=ACCOUNT, region="eu-west-1", enabled=True,
                                standards={FSBP: "READY", CIS: "INCOMPLETE"})
    return SecurityHubHub(**{**base, **over})


def test_hub_with_standards_passes() -> None:
    assert securityhub.enabled_with_standards(hub()) == (
        Status.PASS, "Security Hub in eu-west-1 runs aws-foundational-security-best-practices/v/1.0.0, "
                     "cis-aws-foundations-benchmark/v/1.2.0")


def test_hub_not_enabled_fails() -> None:
    outcome = securityhub.enabled_with_standards(hub(enabled=False, standards=None))
    assert outcome == (Status.FAIL, "Security Hub is not enabled in eu-west-1")


def test_hub_without_running_standard_fails() -> None:
    assert securityhub.enabled_with_standards(hub(standards={})) == (
        Status.FAIL, "Security Hub in eu-west-1 runs no security standard")
    outcome = securityhub.enabled_with_standards(hub(standards={FSBP: "FAILED", CIS: "PENDING"}))
    assert outcome.status is Status.FAIL
    assert "aws-foundational-security-best-practices failed" in outcome.message


def test_unread_standards_are_error_and_never_skipped() -> None:
    assert securityhub.enabled_with_standards(hub(standards=None)).status is Status.ERROR
    for h in (hub(), hub(enabled=False), hub(standards=None), hub(standards={})):
        assert securityhub.enabled_with_standards(h).status is not Status.SKIP
