"""GuardDuty collector against moto's server: one verdict per region, ERROR (never PASS/FAIL) when denied.

moto 5.2.1 has no ListFindings/GetFindings: on moto an empty ListFindings answer is played by a hook
(`no_findings`), and the findings logic is tested on botocore's Stubber with AWS-shaped responses.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from assay.collect.aws.guardduty import OLDEST_FIRST, OPEN_HIGH
from assay.collect.registry import load_collectors
from assay.faults import action_of, deny
from assay.models.resources.guardduty import GuardDutyDetector
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]
CONTROL = "guardduty.enabled_in_region"
FINDINGS = "guardduty.high_findings_addressed"
PERMISSIONS = load_collectors()["guardduty.collect_detectors"].permissions
DETECTOR_READS = ("guardduty:ListDetectors", "guardduty:GetDetector")


def no_findings(model: Any, **_: Any) -> Any:
    """Answer ListFindings as AWS does for a detector with no matching finding (moto lacks the API)."""
    if action_of(model) == "guardduty:ListFindings":
        return AWSResponse("https://stub.invalid/", 200, {}, None), {"FindingIds": [], "ResponseMetadata": {}}
    return None


@pytest.fixture(autouse=True)
def _moto_lacks_list_findings(request: pytest.FixtureRequest) -> None:
    if "access" in request.fixturenames:
        request.getfixturevalue("access").hooks.append(("before-call", no_findings))


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
    assert by_name(ev, FINDINGS) == {"us-east-1": "pass", "eu-west-1": "skip", "us-west-2": "pass"}


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


@pytest.mark.parametrize("action", DETECTOR_READS)
def test_every_denied_read_errors_and_never_passes(access, seed, action: str) -> None:  # type: ignore[no-untyped-def]
    seed("guardduty", "us-east-1").create_detector(Enable=True)
    seed("guardduty", "eu-west-1").create_detector(Enable=False)
    access.hooks.append(("before-call", deny({action})))
    found = findings_of(evaluate(scan(access, ["guardduty"], regions=["us-east-1", "eu-west-1"])), CONTROL)
    assert [f.status.value for f in found] == ["error", "error"]
    assert all(action in f.message for f in found)


# -- findings, on botocore's Stubber ---------------------------------------------------------------

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def gd_finding(n: int, days_old: int, severity: float = 8.0) -> dict[str, Any]:
    created = (NOW - timedelta(days=days_old)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {"AccountId": ACCOUNT, "Arn": f"arn:aws:guardduty:us-east-1:{ACCOUNT}:detector/d1/finding/f{n}",
            "CreatedAt": created, "Id": f"f{n}", "Region": "us-east-1", "SchemaVersion": "2.0",
            "Resource": {"ResourceType": "Instance"}, "Severity": severity,
            "Type": "CryptoCurrency:EC2/BitcoinTool.B!DNS", "UpdatedAt": created}


def detector_script(findings: list[dict[str, Any]], pages: int = 1, get_error: str | None = None,
                    list_error: str | None = None, destinations: list[dict[str, Any]] | None = None,
                    destinations_error: str | None = None) -> Any:
    def script(stub: Stubber, region: str) -> None:
        stub.add_response("list_detectors", {"DetectorIds": ["d1"]}, {"MaxResults": 50})
        stub.add_response("get_detector", {"Status": "ENABLED", "ServiceRole": "r", "CreatedAt": "x"},
                          {"DetectorId": "d1"})
        _findings(stub, findings, pages, get_error, list_error)
        if destinations_error:
            stub.add_client_error("list_publishing_destinations", service_error_code=destinations_error,
                                  http_status_code=403)
        else:
            stub.add_response("list_publishing_destinations", {"Destinations": destinations or []})
    return script


def _findings(stub: Stubber, findings: list[dict[str, Any]], pages: int, get_error: str | None,
              list_error: str | None) -> None:
    base = {"DetectorId": "d1", "FindingCriteria": OPEN_HIGH, "SortCriteria": OLDEST_FIRST, "MaxResults": 50}
    if list_error:
        stub.add_client_error("list_findings", service_error_code=list_error, http_status_code=403)
        return
    ids = [f["Id"] for f in findings]
    per = max(1, -(-len(ids) // pages))
    chunks = [ids[i:i + per] for i in range(0, len(ids), per)] or [[]]
    for n, chunk in enumerate(chunks):
        body: dict[str, Any] = {"FindingIds": chunk}
        if n + 1 < len(chunks):
            body["NextToken"] = f"t{n + 1}"
        stub.add_response("list_findings", body, {**base, **({"NextToken": f"t{n}"} if n else {})})
    if not ids:
        return
    get = {"DetectorId": "d1", "FindingIds": ids[:50], "SortCriteria": OLDEST_FIRST}
    if get_error:
        stub.add_client_error("get_findings", service_error_code=get_error, http_status_code=403,
                              expected_params=get)
    else:
        stub.add_response("get_findings", {"Findings": findings[:50]}, get)


def test_old_high_finding_fails() -> None:
    inv = stubbed_scan("guardduty", ["us-east-1"], detector_script([gd_finding(1, 30), gd_finding(2, 1)]), now=NOW)
    [d] = inv.of(GuardDutyDetector)
    assert d.open_high_findings == 2 and d.oldest_high_findings is not None
    assert [f.id for f in d.oldest_high_findings] == ["f1", "f2"]
    assert d.oldest_high_findings[0].created_at == NOW - timedelta(days=30)
    [f] = findings_of(evaluate(inv), FINDINGS)
    assert f.status.value == "fail"
    assert f.message == ("2 high-severity finding(s) unarchived; oldest CryptoCurrency:EC2/BitcoinTool.B!DNS "
                         "(severity 8) has been open 30 days (limit 7)")


def test_recent_findings_pass_and_many_pages_are_counted() -> None:
    recent = [gd_finding(n, 2) for n in range(120)]
    inv = stubbed_scan("guardduty", ["us-east-1"], detector_script(recent, pages=3), now=NOW)
    [d] = inv.of(GuardDutyDetector)
    assert d.open_high_findings == 120 and d.oldest_high_findings is not None
    assert len(d.oldest_high_findings) == 50  # one GetFindings batch: the oldest
    [f] = findings_of(evaluate(inv), FINDINGS)
    assert (f.status.value, f.message) == ("pass", "120 high-severity finding(s) open, all within 7 days")


def test_no_open_finding_passes_without_get_findings() -> None:
    inv = stubbed_scan("guardduty", ["us-east-1"], detector_script([]), now=NOW)
    assert by_name(evaluate(inv), FINDINGS) == {"us-east-1": "pass"}


@pytest.mark.parametrize("failing", ["list_findings", "get_findings"])
def test_denied_findings_reads_are_error(failing: str) -> None:
    script = detector_script([gd_finding(1, 30)], **{"list_error" if failing == "list_findings" else "get_error":
                                                       "AccessDeniedException"})
    ev = evaluate(stubbed_scan("guardduty", ["us-east-1"], script, now=NOW))
    [f] = findings_of(ev, FINDINGS)
    action = "guardduty:ListFindings" if failing == "list_findings" else "guardduty:GetFindings"
    assert f.status.value == "error" and action in f.message
    assert by_name(ev, CONTROL) == {"us-east-1": "pass"}  # the detector itself was read


def test_denied_list_detectors_is_error_for_findings_too(access, seed) -> None:  # type: ignore[no-untyped-def]
    seed("guardduty", "us-east-1").create_detector(Enable=True)
    access.hooks.append(("before-call", deny({"guardduty:ListDetectors"})))
    found = findings_of(evaluate(scan(access, ["guardduty"], regions=["us-east-1"])), FINDINGS)
    assert [f.status.value for f in found] == ["error"] and "guardduty:ListDetectors" in found[0].message


def test_permissions_cover_every_call() -> None:
    assert set(PERMISSIONS) == {*DETECTOR_READS, "guardduty:ListFindings", "guardduty:GetFindings", DESTINATIONS}


# -- findings export --------------------------------------------------------------------------------

DESTINATIONS = "guardduty:ListPublishingDestinations"
EXPORTED = "guardduty.findings_exported"


def test_findings_export_destinations() -> None:
    s3 = [{"DestinationId": "dest1", "DestinationType": "S3", "Status": "PUBLISHING"}]
    inv = stubbed_scan("guardduty", ["us-east-1"], detector_script([], destinations=s3), now=NOW)
    [d] = inv.of(GuardDutyDetector)
    assert d.publishing_destinations is not None and d.publishing_destinations[0].status == "PUBLISHING"
    [f] = findings_of(evaluate(inv), EXPORTED)
    assert (f.status.value, f.message) == ("pass", "findings are exported to S3 (dest1)")
    stopped = [{"DestinationId": "dest1", "DestinationType": "S3", "Status": "STOPPED"}]
    ev = evaluate(stubbed_scan("guardduty", ["us-east-1"], detector_script([], destinations=stopped), now=NOW))
    assert by_name(ev, EXPORTED) == {"us-east-1": "fail"}


def test_denied_destinations_are_error_for_the_export_only() -> None:
    script = detector_script([], destinations_error="AccessDeniedException")
    ev = evaluate(stubbed_scan("guardduty", ["us-east-1"], script, now=NOW))
    [f] = findings_of(ev, EXPORTED)
    assert f.status.value == "error" and DESTINATIONS in f.message
    assert by_name(ev, CONTROL) == {"us-east-1": "pass"} and by_name(ev, FINDINGS) == {"us-east-1": "pass"}


def test_moto_detectors_export_nothing(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    ev = evaluate(scan(access, ["guardduty"], regions=REGIONS))
    assert by_name(ev, EXPORTED) == {"us-east-1": "fail", "eu-west-1": "skip", "us-west-2": "skip"}
