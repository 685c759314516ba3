"""Log group controls end to end on moto's server, and ERROR (never PASS or FAIL) when the listing is denied."""

from __future__ import annotations

from typing import Any

from assay.collect.session import AwsAccess
from assay.demo.estate import logs as logs_estate
from assay.faults import deny
from assay.models.resources.logs_policies import LogsResourcePolicies
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/logs"
POLICIES = "logs.resource_policies_not_public"
IDS = ["logs.log_group_retention_meets_minimum", "logs.log_group_encrypted_with_kms", "logs.log_group_events_expire"]


def _groups(seed: Any) -> None:
    logs = seed("logs")
    logs.create_log_group(logGroupName="audit", kmsKeyId=KEY)
    logs.put_retention_policy(logGroupName="audit", retentionInDays=400)
    logs.create_log_group(logGroupName="batch")
    logs.put_retention_policy(logGroupName="batch", retentionInDays=30)
    seed("logs", "eu-west-1").create_log_group(logGroupName="forever")


def test_log_group_verdicts(access: AwsAccess, seed: Any) -> None:
    _groups(seed)
    ev = evaluate(scan(access, ["logs"], regions=["us-east-1", "eu-west-1"]))
    assert by_name(ev, IDS[0]) == {"audit": "pass", "batch": "fail", "forever": "pass"}
    assert by_name(ev, IDS[1]) == {"audit": "pass", "batch": "fail", "forever": "fail"}
    assert by_name(ev, IDS[2]) == {"audit": "pass", "batch": "pass", "forever": "fail"}
    messages = {f.resource_name: f.message for f in findings_of(ev, IDS[0])}
    assert messages["batch"] == "events are deleted after 30 days, less than the 365-day minimum"


def test_retention_minimum_from_parameters(access: AwsAccess, seed: Any) -> None:
    _groups(seed)
    ev = evaluate(scan(access, ["logs"]), params={IDS[0]: {"min_days": 30}})
    assert by_name(ev, IDS[0]) == {"audit": "pass", "batch": "pass"}


def test_denied_listing_is_error(access: AwsAccess, seed: Any) -> None:
    _groups(seed)
    access.hooks.append(("before-call", deny({"logs:DescribeLogGroups"}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["logs"]))
    for cid in IDS:
        found = findings_of(ev, cid)
        assert [f.status.value for f in found] == ["error"] and "logs:DescribeLogGroups" in found[0].message


def test_resource_policies(access: AwsAccess, seed: Any) -> None:
    logs_estate.seed(seed, ["us-east-1", "eu-west-1"])
    inv = scan(access, ["logs"], regions=["us-east-1", "eu-west-1"])
    records = {r.region: r for r in inv.of(LogsResourcePolicies)}
    assert records["us-east-1"].policies is not None
    assert set(records["us-east-1"].policies) == {"pass-route53-query-logs"}
    ev = evaluate(inv)
    assert by_name(ev, POLICIES) == {"us-east-1": "pass", "eu-west-1": "fail"}
    access.hooks.append(("before-call", deny({"logs:DescribeResourcePolicies"}, code="AccessDeniedException")))
    denied = findings_of(evaluate(scan(access, ["logs"], regions=["us-east-1"])), POLICIES)
    assert [f.status.value for f in denied] == ["error"] and "logs:DescribeResourcePolicies" in denied[0].message
