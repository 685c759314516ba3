"""CloudWatch Logs controls: pure functions over log groups."""

from __future__ import annotations

from typing import Any

from assay.controls import logs, logs_disposal, logs_policies
from assay.controls.registry import load_controls
from assay.models.findings import Status
from assay.models.resources.logs import LogGroup
from assay.models.resources.logs_policies import LogsResourcePolicies

ACCOUNT = "123456789012"


def group(**over: Any) -> LogGroup:
    base: dict[str, Any] = dict(arn=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:app", id="app", name="app",
                                account_id=ACCOUNT, region="us-east-1", retention_in_days=365)
    return LogGroup(**{**base, **over})


def test_retention_meets_minimum() -> None:
    assert logs.log_group_retention_meets_minimum(group()) == (
        Status.PASS, "events are kept for 365 days (minimum 365)")
    assert logs.log_group_retention_meets_minimum(group(retention_in_days=None)) == (Status.PASS, "events never expire")
    assert logs.log_group_retention_meets_minimum(group(retention_in_days=180)) == (
        Status.FAIL, "events are deleted after 180 days, less than the 365-day minimum")


def test_retention_minimum_is_a_parameter() -> None:
    assert logs.log_group_retention_meets_minimum(group(retention_in_days=180), min_days=90).status is Status.PASS
    assert logs.log_group_retention_meets_minimum(group(retention_in_days=400), min_days=731).status is Status.FAIL
    assert load_controls()["logs.log_group_retention_meets_minimum"].params == {"min_days": 365}


def test_kms_encryption() -> None:
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234"
    assert logs.log_group_encrypted_with_kms(group(kms_key_id=key)) == (Status.PASS, f"encrypted with {key}")
    out = logs.log_group_encrypted_with_kms(group())
    assert out.status is Status.FAIL and "no KMS key is associated" in out.message


def test_registration() -> None:
    controls = load_controls()
    for cid in ("logs.log_group_retention_meets_minimum", "logs.log_group_encrypted_with_kms"):
        assert controls[cid].subject is LogGroup and controls[cid].needs == ("logs:DescribeLogGroups",)


def test_log_group_events_expire() -> None:
    f = logs_disposal.log_group_events_expire
    assert f(group()) == (Status.PASS, "events are deleted after 365 days")
    assert f(group(retention_in_days=None)) == (Status.FAIL, "log group app keeps events forever (Never expire)")
    assert f(group(retention_in_days=3653), max_days=731).status is Status.FAIL
    assert f(group(retention_in_days=400), max_days=731).status is Status.PASS


def policies(docs: dict[str, Any] | None) -> LogsResourcePolicies:
    return LogsResourcePolicies(arn=f"arn:aws:logs:us-east-1:{ACCOUNT}:resource-policy:*", id="us-east-1",
                                name="us-east-1", account_id=ACCOUNT, region="us-east-1", policies=docs)


def test_resource_policies_not_public() -> None:
    f = logs_policies.resource_policies_not_public
    route53 = {"Statement": [{"Sid": "Route53", "Effect": "Allow", "Principal": {"Service": "route53.amazonaws.com"},
                              "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*",
                              "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]}
    anyone = {"Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "logs:*",
                             "Resource": "*"}]}
    assert f(policies({"route53": route53})) == (Status.PASS, "none of 1 resource policies grants access to everyone")
    assert f(policies({"route53": route53, "debug": anyone})) == \
        (Status.FAIL, "resource policies allow everyone with no condition: debug (Anyone)")
    assert f(policies({})).status is Status.SKIP
    assert f(policies(None)).status is Status.ERROR
    assert f(policies({"broken": None})).status is Status.ERROR
