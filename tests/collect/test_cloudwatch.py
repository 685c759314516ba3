"""Logs and CloudWatch collectors against moto's server; security-event alarm controls end to end;
and ERROR (never PASS or FAIL) for the alarm controls whenever a read they need is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.registry import collectors_by_service
from assay.controls.cloudwatch import NEEDS
from assay.faults import deny
from assay.models.resources.cloudwatch import MetricAlarm, MetricRef
from assay.models.resources.logs import LogGroup, MetricFilter, MetricTransformation
from tests.helpers import ACCOUNT, by_name, evaluate, scan

REGIONS = ["us-east-1", "eu-west-1"]
GROUP = "audit-trail"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:security-alerts"
ALARM_IDS = [
    "cloudwatch.alarm_root_account_usage", "cloudwatch.alarm_unauthorized_api_calls",
    "cloudwatch.alarm_console_signin_without_mfa", "cloudwatch.alarm_iam_policy_changes",
    "cloudwatch.alarm_cloudtrail_config_changes", "cloudwatch.alarm_security_group_changes",
    "cloudwatch.alarm_nacl_changes",
]
# The further benchmark alarms: this estate has no filter for them, so they fail (and error when denied).
MORE_IDS = [
    "cloudwatch.alarm_console_auth_failures", "cloudwatch.alarm_kms_key_disabled_or_deleted",
    "cloudwatch.alarm_config_changes", "cloudwatch.alarm_s3_bucket_policy_changes",
    "cloudwatch.alarm_network_gateway_changes", "cloudwatch.alarm_route_table_changes", "cloudwatch.alarm_vpc_changes",
    "cloudwatch.alarm_organizations_changes",
]
ALARM_IDS += MORE_IDS
# The CloudTrail collector is written separately; the end-to-end verdicts need it.
SERVICES = ["logs", "cloudwatch", "cloudtrail"]


def _filter(logs: Any, name: str, pattern: str, metric: str, dimensions: dict[str, str] | None = None) -> None:
    transformation: dict[str, Any] = {"metricName": metric, "metricNamespace": "CISBenchmark", "metricValue": "1"}
    if dimensions:
        transformation["dimensions"] = dimensions
    logs.put_metric_filter(logGroupName=GROUP, filterName=name, filterPattern=pattern,
                           metricTransformations=[transformation])


def _alarm(cw: Any, name: str, metric: str, **over: Any) -> None:
    params: dict[str, Any] = dict(
        AlarmName=name, MetricName=metric, Namespace="CISBenchmark", Statistic="Sum", Period=300,
        EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[TOPIC], ActionsEnabled=True)
    cw.put_metric_alarm(**{**params, **over})


def _trail(seed: Any) -> None:
    seed("s3").create_bucket(Bucket="northwind-audit-trail-logs")
    ct = seed("cloudtrail")
    ct.create_trail(
        Name="org-trail", S3BucketName="northwind-audit-trail-logs", IsMultiRegionTrail=True,
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{GROUP}:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/cloudtrail-to-logs")
    ct.start_logging(Name="org-trail")
    # moto answers GetEventSelectors with no selector when none was put; AWS shows the default (All).
    ct.put_event_selectors(TrailName="org-trail",
                           EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}])


def _estate(seed: Any) -> None:
    logs = seed("logs")
    logs.create_log_group(logGroupName=GROUP, kmsKeyId=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/audit")
    logs.put_retention_policy(logGroupName=GROUP, retentionInDays=365)
    _trail(seed)
    cw = seed("cloudwatch")
    # root usage: filter, alarm with an action -> pass
    _filter(logs, "root-usage", '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
            '&& $.eventType != "AwsServiceEvent" }', "RootUsage")
    _alarm(cw, "root-usage", "RootUsage")
    # unauthorized calls: the alarm has no action -> fail
    _filter(logs, "unauthorized", '{($.errorCode="*UnauthorizedOperation")||($.errorCode="AccessDenied*")}',
            "Unauthorized")
    _alarm(cw, "unauthorized", "Unauthorized", AlarmActions=[])
    # console sign-in without MFA: the alarm's actions are disabled -> fail
    _filter(logs, "console-no-mfa", '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
            "ConsoleNoMfa")
    _alarm(cw, "console-no-mfa", "ConsoleNoMfa", ActionsEnabled=False)
    # IAM policy changes: a filter and no alarm -> fail
    _filter(logs, "iam-policy", "{ ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || "
            "($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || "
            "($.eventName=PutUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || "
            "($.eventName=DeleteUserPolicy) || ($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || "
            "($.eventName=AttachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=AttachRolePolicy) || "
            "($.eventName=DetachUserPolicy) || ($.eventName=DetachGroupPolicy) || ($.eventName=DetachRolePolicy) }",
            "IamPolicy")
    # CloudTrail changes: a metric-math alarm reading the filter's metric -> pass
    _filter(logs, "trail-changes", "{($.eventName=StopLogging)||($.eventName=DeleteTrail)||($.eventName=UpdateTrail)"
            "||($.eventName=StartLogging)||($.eventName=CreateTrail)}", "TrailChanges", {"user": "$.userIdentity.arn"})
    cw.put_metric_alarm(
        AlarmName="trail-changes", EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[TOPIC], ActionsEnabled=True,
        Metrics=[{"Id": "m1", "ReturnData": True, "MetricStat": {
            "Metric": {"Namespace": "CISBenchmark", "MetricName": "TrailChanges",
                       "Dimensions": [{"Name": "user", "Value": "arn:aws:iam::123456789012:user/ops"}]},
            "Period": 300, "Stat": "Sum"}}])
    # security groups: the filter misses DeleteSecurityGroup -> fail
    _filter(logs, "security-groups", "{ ($.eventName = AuthorizeSecurityGroupIngress) || "
            "($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || "
            "($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) }", "SecurityGroups")
    _alarm(cw, "security-groups", "SecurityGroups")
    # network ACLs: only an alarm, in another region, on a metric nothing publishes here -> fail
    _alarm(seed("cloudwatch", "eu-west-1"), "nacl-changes", "NaclChanges")


def test_collects_log_groups_filters_and_alarms(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["logs", "cloudwatch"], regions=REGIONS)
    assert inv.complete
    (group,) = inv.of(LogGroup)
    assert (group.name, group.region, group.retention_in_days) == (GROUP, "us-east-1", 365)
    assert group.kms_key_id == f"arn:aws:kms:us-east-1:{ACCOUNT}:key/audit"
    assert group.arn == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{GROUP}"
    filters = {f.name: f for f in inv.of(MetricFilter)}
    assert set(filters) == {"root-usage", "unauthorized", "console-no-mfa", "iam-policy", "trail-changes",
                            "security-groups"}
    trail_changes = filters["trail-changes"]
    assert trail_changes.log_group_name == GROUP and "StopLogging" in trail_changes.pattern
    assert trail_changes.transformations == (
        MetricTransformation(metric_name="TrailChanges", namespace="CISBenchmark", value="1", dimensions=("user",)),)
    alarms = {(a.region, a.name): a for a in inv.of(MetricAlarm)}
    assert set(alarms) == {("us-east-1", n) for n in ("root-usage", "unauthorized", "console-no-mfa",
                                                       "trail-changes", "security-groups")} | {
        ("eu-west-1", "nacl-changes")}
    root = alarms[("us-east-1", "root-usage")]
    assert root.metrics == (MetricRef(namespace="CISBenchmark", metric_name="RootUsage"),)
    assert root.actions_enabled and root.alarm_actions == (TOPIC,)
    assert root.arn == f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:root-usage"
    assert alarms[("us-east-1", "console-no-mfa")].actions_enabled is False
    assert alarms[("us-east-1", "unauthorized")].alarm_actions == ()
    assert alarms[("us-east-1", "trail-changes")].metrics == (
        MetricRef(namespace="CISBenchmark", metric_name="TrailChanges", dimensions=("user",)),)


def test_alarm_controls_end_to_end(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, SERVICES, regions=REGIONS))
    verdicts = {cid: by_name(ev, cid)[ACCOUNT] for cid in ALARM_IDS}
    assert verdicts == {
        "cloudwatch.alarm_root_account_usage": "pass", "cloudwatch.alarm_unauthorized_api_calls": "fail",
        "cloudwatch.alarm_console_signin_without_mfa": "fail", "cloudwatch.alarm_iam_policy_changes": "fail",
        "cloudwatch.alarm_cloudtrail_config_changes": "pass", "cloudwatch.alarm_security_group_changes": "fail",
        "cloudwatch.alarm_nacl_changes": "fail", **{cid: "fail" for cid in MORE_IDS},
    }
    messages = {f.control_id: f.message for f in ev.findings if f.control_id in ALARM_IDS}
    assert messages["cloudwatch.alarm_unauthorized_api_calls"] == (
        "alarm without action: alarm unauthorized on CISBenchmark/Unauthorized has no alarm action")
    assert "has its actions disabled" in messages["cloudwatch.alarm_console_signin_without_mfa"]
    assert messages["cloudwatch.alarm_iam_policy_changes"] == (
        "no alarm: no alarm watches CISBenchmark/IamPolicy (filter iam-policy)")
    assert "lacks $.eventName = DeleteSecurityGroup" in messages["cloudwatch.alarm_security_group_changes"]
    assert messages["cloudwatch.alarm_nacl_changes"].startswith("no metric filter: log group audit-trail")
    assert messages["cloudwatch.alarm_vpc_changes"].startswith("no metric filter: log group audit-trail (us-east-1) "
                                                               "has no metric filter for VPC changes")
    per_alarm = {cid: by_name(ev, cid) for cid in ("cloudwatch.alarm_has_action", "cloudwatch.alarm_actions_enabled")}
    assert per_alarm["cloudwatch.alarm_has_action"]["unauthorized"] == "fail"
    assert per_alarm["cloudwatch.alarm_has_action"]["root-usage"] == "pass"
    assert per_alarm["cloudwatch.alarm_actions_enabled"]["console-no-mfa"] == "fail"
    assert per_alarm["cloudwatch.alarm_actions_enabled"]["unauthorized"] == "skip"


def test_stopped_trail_fails_every_alarm_control(access: Any, seed: Any) -> None:
    _estate(seed)
    seed("cloudtrail").stop_logging(Name="org-trail")
    ev = evaluate(scan(access, SERVICES, regions=REGIONS))
    for cid in ALARM_IDS:
        (finding,) = [f for f in ev.findings if f.control_id == cid]
        assert finding.status.value == "fail"
        assert finding.message == "no qualifying trail: trail org-trail is not logging"


# Every read the alarm controls depend on: the collectors' own listings, and the trail reads.
DENIABLE = sorted({"logs:DescribeMetricFilters", "cloudwatch:DescribeAlarms"}
                  | {a for a in NEEDS if a.startswith("cloudtrail:")})


@pytest.mark.parametrize("action", DENIABLE)
def test_denied_read_is_error_never_pass_or_fail(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action})))
    ev = evaluate(scan(access, SERVICES, regions=REGIONS))
    for cid in ALARM_IDS:
        found = [f for f in ev.findings if f.control_id == cid]
        assert [f.status.value for f in found] == ["error"], (cid, [f.message for f in found])
        assert action in found[0].message
    assert not ev.inventory.complete


def test_every_collector_permission_is_covered() -> None:
    declared = {p for svc in ("logs", "cloudwatch") for spec in collectors_by_service()[svc] for p in spec.permissions}
    # DescribeLogGroups and DescribeResourcePolicies feed no alarm control (the log group and resource policy
    # controls are tested in tests/collect/test_logs.py); every other read must be deniable above
    others = {"logs:DescribeLogGroups", "logs:DescribeResourcePolicies"}
    assert declared - others <= set(DENIABLE)
    assert declared - others <= set(NEEDS)


def test_denied_log_groups_leave_alarm_verdicts_alone(access: Any, seed: Any) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({"logs:DescribeLogGroups"})))
    inv = scan(access, SERVICES, regions=REGIONS)
    assert inv.of(LogGroup) == [] and len(inv.of(MetricFilter)) == 6
    ev = evaluate(inv)
    statuses = {by_name(ev, cid)[ACCOUNT] for cid in ALARM_IDS}
    assert "error" not in statuses
    assert any(e.operation == "logs:DescribeLogGroups" for e in inv.errors)


# -- an alarm in every region that runs workloads -------------------------------------------------

COVERAGE = "cloudwatch.alarms_configured"
QUEUES_ONLY = {COVERAGE: {"workload_types": ["AWS::SQS::Queue"]}}


def _queues(seed: Any) -> None:
    seed("sqs", "us-east-1").create_queue(QueueName="orders")
    seed("sqs", "eu-west-1").create_queue(QueueName="eu-orders")
    _alarm(seed("cloudwatch", "us-east-1"), "orders-backlog", "ApproximateAgeOfOldestMessage")


def test_alarms_configured_where_workloads_run(access: Any, seed: Any) -> None:
    _queues(seed)
    [found] = [f for f in evaluate(scan(access, ["cloudwatch", "sqs"], regions=REGIONS)).findings
               if f.control_id == COVERAGE]
    assert (found.status.value, found.message) == (
        "fail", "no CloudWatch metric alarm in eu-west-1 (1 workload resource(s): eu-orders)")
    _alarm(seed("cloudwatch", "eu-west-1"), "eu-orders-backlog", "ApproximateAgeOfOldestMessage")
    ev = evaluate(scan(access, ["cloudwatch", "sqs"], regions=REGIONS))
    assert by_name(ev, COVERAGE) == {ACCOUNT: "pass"}


def test_alarms_configured_unlisted_region_is_error(access: Any, seed: Any) -> None:
    seed("sqs", "us-east-1").create_queue(QueueName="orders")
    _alarm(seed("cloudwatch", "us-east-1"), "orders-backlog", "ApproximateAgeOfOldestMessage")
    inv = scan(access, ["cloudwatch", "sqs"], regions=REGIONS)
    assert by_name(evaluate(inv, params=QUEUES_ONLY), COVERAGE) == {ACCOUNT: "pass"}  # eu-west-1 has no queue
    # the other workload services were not collected: eu-west-1 may run anything
    [found] = [f for f in evaluate(inv).findings if f.control_id == COVERAGE]
    assert found.status.value == "error" and found.message.startswith(
        "could not tell whether these regions run workloads: eu-west-1 (")
    access.hooks.append(("before-call", deny({"sqs:ListQueues"}, regions={"eu-west-1"})))
    denied = evaluate(scan(access, ["cloudwatch", "sqs"], regions=REGIONS), params=QUEUES_ONLY)
    [found] = [f for f in denied.findings if f.control_id == COVERAGE]
    assert (found.status.value, found.message) == (
        "error", "could not tell whether these regions run workloads: eu-west-1 (sqs not read)")


def test_alarms_configured_denied_alarm_listing_is_error(access: Any, seed: Any) -> None:
    _queues(seed)
    access.hooks.append(("before-call", deny({"cloudwatch:DescribeAlarms"})))
    ev = evaluate(scan(access, ["cloudwatch", "sqs"], regions=REGIONS))
    [found] = [f for f in ev.findings if f.control_id == COVERAGE]
    assert found.status.value == "error" and "cloudwatch:DescribeAlarms" in found.message
