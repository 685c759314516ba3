"""IAM Access Analyzer controls: pure functions over AccessAnalyzerRegion records (one per region)."""

from __future__ import annotations

from typing import Any

from assay.controls import accessanalyzer
from assay.models.findings import Status
from assay.models.resources.accessanalyzer import AccessAnalyzerRegion, ExternalAccess

ACCOUNT = "123456789012"


def region(**over: Any) -> AccessAnalyzerRegion:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:access-analyzer:eu-west-1:{ACCOUNT}:analyzer/main", id="main", account_id=ACCOUNT,
        region="eu-west-1", name="main", analyzer_name="main", analyzer_type="ACCOUNT", active_findings=0,
        public_findings=0,
    )
    return AccessAnalyzerRegion(**{**base, **over})


NONE = region(arn=f"arn:aws:access-analyzer:eu-west-1:{ACCOUNT}:analyzer", id="eu-west-1", name="eu-west-1",
              analyzer_name=None, analyzer_type=None, active_findings=None, public_findings=None,
              others=("legacy (ACCOUNT, DISABLED)",))


def test_active_analyzer_passes() -> None:
    outcome = accessanalyzer.enabled_in_region(region())
    assert outcome == (Status.PASS, "analyzer main (account zone of trust) is active in eu-west-1")


def test_region_without_analyzer_fails_and_names_unqualified_ones() -> None:
    outcome = accessanalyzer.enabled_in_region(NONE)
    assert outcome.status is Status.FAIL
    assert outcome.message == ("no active external-access analyzer in eu-west-1 "
                               "(present but not counted: legacy (ACCOUNT, DISABLED))")


def test_enabled_is_never_skipped() -> None:
    for r in (region(), NONE, region(active_findings=None)):
        assert accessanalyzer.enabled_in_region(r).status is not Status.SKIP


def test_no_findings_passes() -> None:
    assert accessanalyzer.no_active_external_findings(region()).status is Status.PASS


def test_findings_fail_and_are_named() -> None:
    sample = tuple(ExternalAccess(resource=f"arn:aws:s3:::b{n}", resource_type="AWS::S3::Bucket", public=n == 0)
                   for n in range(6))
    outcome = accessanalyzer.no_active_external_findings(region(active_findings=7, public_findings=1, sample=sample))
    assert outcome.status is Status.FAIL
    assert outcome.message.startswith("7 active finding(s), 1 public: arn:aws:s3:::b0 (public); arn:aws:s3:::b1 "
                                      "(cross-account)")
    assert outcome.message.endswith("(+2 more)") and "b5" not in outcome.message


def test_findings_without_analyzer_skip() -> None:
    outcome = accessanalyzer.no_active_external_findings(NONE)
    assert outcome.status is Status.SKIP and "eu-west-1" in outcome.message


def test_unlisted_findings_are_error() -> None:
    outcome = accessanalyzer.no_active_external_findings(region(active_findings=None, public_findings=None))
    assert outcome == (Status.ERROR, "findings of analyzer main were not listed")
