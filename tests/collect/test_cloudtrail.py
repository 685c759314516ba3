"""CloudTrail collector against moto's server, the demo estate's verdicts, and ERROR (never PASS or FAIL)
for every CloudTrail control whose reads are denied."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assay.collect.aws.cloudtrail import data_events, excluded_sources, management_events
from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import cloudtrail as cloudtrail_estate
from assay.demo.estate import s3 as s3_estate
from assay.faults import deny
from assay.models.resources.cloudtrail import DataEvents, Trail
from tests.collect.test_s3 import make_bucket, public_policy, s3_access
from tests.helpers import by_name, evaluate, findings_of, scan

__all__ = ["s3_access"]  # the fixture, shared with the S3 collector tests

REGIONS = ["us-east-1", "eu-west-1"]
PER_TRAIL = ["cloudtrail.log_file_validation_enabled", "cloudtrail.delivers_to_cloudwatch_logs",
             "cloudtrail.logs_encrypted_with_kms", "cloudtrail.bucket_not_public",
             "cloudtrail.bucket_access_logging_enabled"]
MULTI = "cloudtrail.multi_region_trail_logging"
ACCOUNT_WIDE = [MULTI, "cloudtrail.s3_data_events_logged", "cloudtrail.security_trail_configured"]
_BY_TRAIL = {"pass-audit": "pass", "fail-sandbox": "fail", "central": "fail"}
BASELINE = {**{c: {"123456789012": "pass"} for c in ACCOUNT_WIDE}, **{c: _BY_TRAIL for c in PER_TRAIL[:3]},
            # the central trail's bucket is not in the scan
            "cloudtrail.bucket_not_public": {**_BY_TRAIL, "central": "error"},
            "cloudtrail.bucket_access_logging_enabled": {**_BY_TRAIL, "central": "error"}}


def estate(seed: Any) -> None:
    """A compliant multi-region trail, a bare regional one with a public bucket, and one whose bucket is
    deleted (as if it lived in a central logging account)."""
    make_bucket(seed, "pass-trail-logs", "us-east-1")
    make_bucket(seed, "access-logs", "us-east-1").put_bucket_policy(Bucket="access-logs", Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
                                                "Action": "s3:PutObject", "Resource": "arn:aws:s3:::access-logs/*"}]}))
    seed("s3").put_bucket_logging(Bucket="pass-trail-logs", BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "trail/"}})
    logs = seed("logs")
    logs.create_log_group(logGroupName="trail-events")
    group = logs.describe_log_groups()["logGroups"][0]["arn"]
    key = seed("kms").create_key()["KeyMetadata"]["Arn"]
    ct = seed("cloudtrail")
    ct.create_trail(Name="pass-audit", S3BucketName="pass-trail-logs", IsMultiRegionTrail=True,
                    EnableLogFileValidation=True, KmsKeyId=key, CloudWatchLogsLogGroupArn=group,
                    CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/trail-to-logs")
    ct.put_event_selectors(TrailName="pass-audit", EventSelectors=[{"ReadWriteType": "All", "DataResources": [
        {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}])
    ct.start_logging(Name="pass-audit")

    make_bucket(seed, "fail-public-trail-logs", "eu-west-1").put_bucket_policy(
        Bucket="fail-public-trail-logs", Policy=public_policy("fail-public-trail-logs"))
    seed("cloudtrail", "eu-west-1").create_trail(Name="fail-sandbox", S3BucketName="fail-public-trail-logs")

    make_bucket(seed, "elsewhere-logs", "eu-west-1")
    seed("cloudtrail", "eu-west-1").create_trail(Name="central", S3BucketName="elsewhere-logs")
    seed("s3", "eu-west-1").delete_bucket(Bucket="elsewhere-logs")


def test_collects_each_trail_once_in_its_home_region(s3_access: AwsAccess, seed: Any) -> None:
    estate(seed)
    inv = scan(s3_access, ["cloudtrail", "s3"], regions=REGIONS)
    assert inv.complete
    trails = {t.name: t for t in inv.of(Trail)}
    assert sorted(trails) == ["central", "fail-sandbox", "pass-audit"]  # the multi-region trail is not repeated
    audit = trails["pass-audit"]
    assert (audit.region, audit.home_region, audit.is_multi_region) == ("us-east-1", "us-east-1", True)
    assert audit.arn == "arn:aws:cloudtrail:us-east-1:123456789012:trail/pass-audit"
    assert (audit.is_logging, audit.management_events, audit.latest_cloudwatch_logs_delivery_error) == \
        (True, "All", "")
    assert audit.log_file_validation and audit.kms_key_id and audit.cloudwatch_logs_log_group_arn
    assert audit.data_events == (DataEvents(resource_type="AWS::S3::Object"),)
    assert (audit.include_global_service_events, audit.excluded_management_sources) == (True, ())
    sandbox = trails["fail-sandbox"]
    assert (sandbox.region, sandbox.is_multi_region, sandbox.is_logging) == ("eu-west-1", False, False)
    assert sandbox.management_events == ""  # moto's default: no selectors (AWS would default to All)

    ev = evaluate(inv)
    assert {control_id: by_name(ev, control_id) for control_id in BASELINE} == BASELINE
    messages = {f.resource_name: f.message for f in findings_of(ev, "cloudtrail.bucket_not_public")}
    assert messages["fail-sandbox"].startswith("log bucket fail-public-trail-logs is publicly accessible")
    assert "elsewhere-logs is not in the scanned inventory" in messages["central"]


def test_write_only_advanced_selectors_fail_the_multi_region_control(s3_access: AwsAccess, seed: Any) -> None:
    estate(seed)
    seed("cloudtrail").put_event_selectors(TrailName="pass-audit", AdvancedEventSelectors=[{
        "Name": "writes", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]},
                                             {"Field": "readOnly", "Equals": ["false"]}]}])
    ev = evaluate(scan(s3_access, ["cloudtrail", "s3"], regions=REGIONS))
    [finding] = findings_of(ev, MULTI)
    assert finding.status.value == "fail"
    assert finding.message == "no multi-region trail logs all management events: " \
                              "pass-audit records only write management events"


def test_trail_control_without_s3_in_the_scan_is_error(access: AwsAccess, seed: Any) -> None:
    estate(seed)
    ev = evaluate(scan(access, ["cloudtrail"], regions=REGIONS))
    [finding] = findings_of(ev, "cloudtrail.bucket_not_public")
    assert finding.status.value == "error" and "not collected in this scan: s3" in finding.message


CT_ACTIONS = sorted(next(s for s in load_collectors().values() if s.service == "cloudtrail").permissions)
BUCKET_ACTIONS = sorted((set(load_controls()["cloudtrail.bucket_not_public"].needs)
                         | set(load_controls()["cloudtrail.bucket_access_logging_enabled"].needs)) - set(CT_ACTIONS))


@pytest.mark.parametrize("action", CT_ACTIONS + BUCKET_ACTIONS)
def test_denied_read_is_error_never_pass_or_fail(s3_access: AwsAccess, seed: Any, action: str) -> None:
    estate(seed)
    s3_access.hooks.append(("before-call", deny({action})))
    inv = scan(s3_access, ["cloudtrail", "s3"], regions=REGIONS)
    assert {e.operation for e in inv.errors} == {action}
    ev = evaluate(inv)
    controls = load_controls()
    checked = 0
    for control_id in [*ACCOUNT_WIDE, *PER_TRAIL]:
        found = findings_of(ev, control_id)
        if action in controls[control_id].needs:
            assert found and {f.status.value for f in found} == {"error"}, (control_id, by_name(ev, control_id))
            assert any(action in f.message for f in found), control_id
            checked += 1
        elif action in CT_ACTIONS:
            assert by_name(ev, control_id) == BASELINE[control_id]  # controls that do not need it still judge
    assert checked >= 1


# -- how GetEventSelectors answers become management_events --------------------------------------

def adv(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]},
                                                           *fields]}]}


@pytest.mark.parametrize("answer, expected", [
    ({"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": True}]}, "All"),
    ({"EventSelectors": [{"ReadWriteType": "ReadOnly"}, {"ReadWriteType": "WriteOnly"}]}, "All"),
    ({"EventSelectors": [{"ReadWriteType": "WriteOnly"}]}, "WriteOnly"),
    ({"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": False}]}, ""),
    ({"EventSelectors": [{"ReadWriteType": "All", "ExcludeManagementEventSources": ["kms.amazonaws.com"]}]}, "All"),
    ({"EventSelectors": [], "AdvancedEventSelectors": []}, ""),
    (adv(), "All"),
    (adv({"Field": "readOnly", "Equals": ["true"]}), "ReadOnly"),
    (adv({"Field": "readOnly", "NotEquals": ["true"]}), "WriteOnly"),
    (adv({"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]}), "All"),
    (adv({"Field": "eventSource", "Equals": ["iam.amazonaws.com"]}), ""),
    ({"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                                     {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}]},
     ""),
])
def test_management_events(answer: dict[str, Any], expected: str) -> None:
    assert management_events(answer) == expected


# -- how GetEventSelectors answers become data events and excluded sources ------------------------

S3 = "AWS::S3::Object"


def data(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, *fields]}]}


@pytest.mark.parametrize("answer, expected", [
    ({"EventSelectors": [{"ReadWriteType": "All", "DataResources": [{"Type": S3, "Values": ["arn:aws:s3"]}]}]},
     (DataEvents(resource_type=S3),)),
    ({"EventSelectors": [{"ReadWriteType": "WriteOnly", "DataResources": [{"Type": S3, "Values": ["arn:aws:s3:::"]}]}]},
     (DataEvents(resource_type=S3, reads=False),)),
    ({"EventSelectors": [{"DataResources": [{"Type": S3, "Values": ["arn:aws:s3:::payroll/"]}]}]},
     (DataEvents(resource_type=S3, arn_prefixes=("arn:aws:s3:::payroll/",)),)),
    ({"EventSelectors": [{"ReadWriteType": "All", "DataResources": [
        {"Type": "AWS::Lambda::Function", "Values": ["arn:aws:lambda"]}]}]},
     (DataEvents(resource_type="AWS::Lambda::Function"),)),
    (data({"Field": "resources.type", "Equals": [S3]}), (DataEvents(resource_type=S3),)),
    (data({"Field": "resources.type", "Equals": [S3]}, {"Field": "readOnly", "Equals": ["true"]}),
     (DataEvents(resource_type=S3, writes=False),)),
    (data({"Field": "resources.type", "Equals": [S3]}, {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::"]}),
     (DataEvents(resource_type=S3),)),
    (data({"Field": "resources.type", "Equals": [S3]}, {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::hr/"]}),
     (DataEvents(resource_type=S3, arn_prefixes=("arn:aws:s3:::hr/",)),)),
    # exclusions and event-name filters no longer record every access: not counted
    (data({"Field": "resources.type", "Equals": [S3]}, {"Field": "resources.ARN", "NotStartsWith": ["arn:aws:s3:::x"]}),
     ()),
    (data({"Field": "resources.type", "Equals": [S3]}, {"Field": "eventName", "Equals": ["PutObject"]}), ()),
    (adv(), ()),
])
def test_data_events(answer: dict[str, Any], expected: tuple[DataEvents, ...]) -> None:
    assert data_events(answer) == expected


def test_excluded_management_sources() -> None:
    classic = {"EventSelectors": [{"ExcludeManagementEventSources": ["kms.amazonaws.com"]}]}
    assert excluded_sources(classic) == ("kms.amazonaws.com",)
    assert excluded_sources(adv({"Field": "eventSource", "NotEquals": ["rdsdata.amazonaws.com"]})) == (
        "rdsdata.amazonaws.com",)
    assert excluded_sources({"EventSelectors": [{"IncludeManagementEvents": False,
                                                 "ExcludeManagementEventSources": ["kms.amazonaws.com"]}]}) == ()


# -- the demo estate ------------------------------------------------------------------------------

def test_demo_estate_reaches_the_verdicts_its_names_promise(s3_access: AwsAccess, endpoint: str) -> None:
    from assay.demo.server import seed_client

    def client(service: str, region: str) -> Any:
        return seed_client(endpoint, service, region)

    s3_estate.seed(client, REGIONS)
    cloudtrail_estate.seed(client, REGIONS)
    ev = evaluate(scan(s3_access, ["cloudtrail", "s3"], regions=REGIONS))
    assert by_name(ev, MULTI) == {"123456789012": "pass"}
    judged = 0
    for control_id in [*PER_TRAIL, "s3.bucket_not_public"]:
        for name, status in by_name(ev, control_id).items():
            expected = "pass" if "pass-" in name else "fail" if "fail-" in name else None
            assert status == expected, (control_id, name, status)
            judged += 1
    assert judged == 5 * 2 + len(by_name(ev, "s3.bucket_not_public"))  # every trail, every bucket
    assert {"pass", "fail"} <= set(by_name(ev, "s3.bucket_not_public").values())

