"""CloudWatch security-event alarm controls: pure functions over a hand-built inventory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from assay.controls import cloudwatch as cw
from assay.controls.registry import load_controls
from assay.models.base import Account, Resource
from assay.models.findings import Outcome, Status
from assay.models.inventory import (
    AccountInfo,
    Coverage,
    CoverageStatus,
    Inventory,
    RegionInfo,
    RegionStatus,
    ScanMeta,
)
from assay.models.resources.cloudtrail import Trail
from assay.models.resources.cloudwatch import MetricAlarm, MetricRef
from assay.models.resources.lambda_ import LambdaFunction
from assay.models.resources.logs import MetricFilter, MetricTransformation

ACCT = "123456789012"
GROUP = "audit-trail"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCT}:log-group:{GROUP}:*"
TOPIC = f"arn:aws:sns:us-east-1:{ACCT}:security-alerts"

# Control function, its spec, and a pattern written the way people do (spacing, quoting, order vary).
CASES: dict[str, tuple[Callable[..., Outcome], cw.EventSpec, str]] = {
    "cloudwatch.alarm_root_account_usage": (
        cw.alarm_root_account_usage, cw.ROOT_USAGE,
        '{$.eventType!="AwsServiceEvent"&&$.userIdentity.invokedBy NOT EXISTS&&$.userIdentity.type="Root"}'),
    "cloudwatch.alarm_unauthorized_api_calls": (
        cw.alarm_unauthorized_api_calls, cw.UNAUTHORIZED_CALLS,
        '{ (($.errorCode = "AccessDenied*") || ($.errorCode="*UnauthorizedOperation")) '
        '&& ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }'),
    "cloudwatch.alarm_console_signin_without_mfa": (
        cw.alarm_console_signin_without_mfa, cw.CONSOLE_NO_MFA,
        '{ ($.additionalEventData.MFAUsed  !=  "Yes") && ($.eventName = "ConsoleLogin") '
        '&& ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'),
    "cloudwatch.alarm_iam_policy_changes": (
        cw.alarm_iam_policy_changes, cw.IAM_POLICY_CHANGES,
        "{($.eventName=DetachGroupPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachUserPolicy)||"
        "($.eventName=AttachUserPolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachRolePolicy)||"
        "($.eventName=DeletePolicyVersion)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicy)||"
        "($.eventName=CreatePolicy)||($.eventName=PutUserPolicy)||($.eventName=PutRolePolicy)||"
        "($.eventName=PutGroupPolicy)||($.eventName=DeleteUserPolicy)||($.eventName=DeleteRolePolicy)||"
        "($.eventName=DeleteGroupPolicy)}"),
    "cloudwatch.alarm_cloudtrail_config_changes": (
        cw.alarm_cloudtrail_config_changes, cw.CLOUDTRAIL_CHANGES,
        '{ ($.eventName = "StopLogging") ||\n ($.eventName = "StartLogging") || ($.eventName = "DeleteTrail") ||\n'
        ' ($.eventName = "UpdateTrail") || ($.eventName = "CreateTrail") }'),
    "cloudwatch.alarm_security_group_changes": (
        cw.alarm_security_group_changes, cw.SECURITY_GROUP_CHANGES,
        "{ ($.eventName = DeleteSecurityGroup) || ($.eventName = CreateSecurityGroup) || "
        "($.eventName = RevokeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || "
        "($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = AuthorizeSecurityGroupIngress) }"),
    "cloudwatch.alarm_nacl_changes": (
        cw.alarm_nacl_changes, cw.NACL_CHANGES,
        "{ ($.eventName = ReplaceNetworkAclAssociation) || ($.eventName = ReplaceNetworkAclEntry) || "
        "($.eventName = DeleteNetworkAclEntry) || ($.eventName = CreateNetworkAclEntry) || "
        "($.eventName = DeleteNetworkAcl) || ($.eventName = CreateNetworkAcl) }"),
    "cloudwatch.alarm_console_auth_failures": (
        cw.alarm_console_auth_failures, cw.CONSOLE_AUTH_FAILURES,
        '{ ($.errorMessage="Failed authentication") && ($.eventName=ConsoleLogin) }'),
    "cloudwatch.alarm_kms_key_disabled_or_deleted": (
        cw.alarm_kms_key_disabled_or_deleted, cw.KMS_KEY_DISABLED_OR_DELETED,
        "{($.eventSource=kms.amazonaws.com)&&(($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}"),
    "cloudwatch.alarm_config_changes": (
        cw.alarm_config_changes, cw.CONFIG_CHANGES,
        "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || "
        "($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || "
        "($.eventName = PutConfigurationRecorder)) }"),
    "cloudwatch.alarm_s3_bucket_policy_changes": (
        cw.alarm_s3_bucket_policy_changes, cw.S3_BUCKET_POLICY_CHANGES,
        "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || "
        "($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) "
        "|| ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || "
        "($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"),
    "cloudwatch.alarm_network_gateway_changes": (
        cw.alarm_network_gateway_changes, cw.NETWORK_GATEWAY_CHANGES,
        "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || "
        "($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || "
        "($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"),
    "cloudwatch.alarm_route_table_changes": (
        cw.alarm_route_table_changes, cw.ROUTE_TABLE_CHANGES,
        "{($.eventSource=ec2.amazonaws.com)&&(($.eventName=CreateRoute)||($.eventName=CreateRouteTable)||"
        "($.eventName=ReplaceRoute)||($.eventName=ReplaceRouteTableAssociation)||($.eventName=DeleteRouteTable)||"
        "($.eventName=DeleteRoute)||($.eventName=DisassociateRouteTable))}"),
    "cloudwatch.alarm_vpc_changes": (
        cw.alarm_vpc_changes, cw.VPC_CHANGES,
        "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || "
        "($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || "
        "($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || "
        "($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || "
        "($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"),
    "cloudwatch.alarm_organizations_changes": (
        cw.alarm_organizations_changes, cw.ORGANIZATIONS_CHANGES,
        "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = \"AcceptHandshake\") || "
        "($.eventName = \"AttachPolicy\") || ($.eventName = \"CreateAccount\") || "
        "($.eventName = \"CreateOrganizationalUnit\") || ($.eventName = \"CreatePolicy\") || "
        "($.eventName = \"DeclineHandshake\") || ($.eventName = \"DeleteOrganization\") || "
        "($.eventName = \"DeleteOrganizationalUnit\") || ($.eventName = \"DeletePolicy\") || "
        "($.eventName = \"DetachPolicy\") || ($.eventName = \"DisablePolicyType\") || "
        "($.eventName = \"EnablePolicyType\") || ($.eventName = \"InviteAccountToOrganization\") || "
        "($.eventName = \"LeaveOrganization\") || ($.eventName = \"MoveAccount\") || "
        "($.eventName = \"RemoveAccountFromOrganization\") || ($.eventName = \"UpdatePolicy\") || "
        "($.eventName = \"UpdateOrganizationalUnit\")) }"),
}
IDS = list(CASES)


def trail(name: str = "org-trail", **over: Any) -> Trail:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:cloudtrail:us-east-1:{ACCT}:trail/{name}", id=name, name=name, account_id=ACCT,
        region="us-east-1", home_region="us-east-1", is_multi_region=True, log_file_validation=True,
        is_logging=True, management_events="All", cloudwatch_logs_log_group_arn=GROUP_ARN,
    )
    return Trail(**{**base, **over})


def mfilter(pattern: str, metric: str = "SecurityEvents", name: str = "security-events", group: str = GROUP,
            region: str = "us-east-1", dimensions: tuple[str, ...] = ()) -> MetricFilter:
    return MetricFilter(
        arn=f"arn:aws:logs:{region}:{ACCT}:log-group:{group}:metric-filter:{name}", id=f"{group}/{name}",
        name=name, account_id=ACCT, region=region, log_group_name=group, pattern=pattern,
        transformations=(MetricTransformation(metric_name=metric, namespace="CISBenchmark", value="1",
                                              dimensions=dimensions),),
    )


def alarm(metric: str = "SecurityEvents", name: str = "security-events-alarm", region: str = "us-east-1",
          **over: Any) -> MetricAlarm:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:cloudwatch:{region}:{ACCT}:alarm:{name}", id=name, name=name, account_id=ACCT,
        region=region, metrics=(MetricRef(namespace="CISBenchmark", metric_name=metric),),
        actions_enabled=True, alarm_actions=(TOPIC,),
    )
    return MetricAlarm(**{**base, **over})


def inventory(*resources: Resource, regions: tuple[str, ...] = ("us-east-1", "eu-west-1")) -> Inventory:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    return Inventory(
        meta=ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now),
        accounts=[AccountInfo(account_id=ACCT)],
        regions=[RegionInfo(account_id=ACCT, region=r, status=RegionStatus.SCANNED) for r in regions],
        coverage=[], resources=resources, errors=[],
    )


def run(cid: str, *resources: Resource, **kw: Any) -> Outcome:
    inv = inventory(*resources, **kw)
    return CASES[cid][0](inv.account(ACCT), inv)


# -- the chain, for every control ----------------------------------------------------------------


@pytest.mark.parametrize("cid", IDS)
def test_pass_with_trail_filter_alarm_and_action(cid: str) -> None:
    out = run(cid, trail(), mfilter(CASES[cid][2]), alarm())
    assert out.status is Status.PASS, out.message
    assert "security-events-alarm" in out.message and TOPIC in out.message


@pytest.mark.parametrize("cid", IDS)
def test_fail_without_any_trail(cid: str) -> None:
    out = run(cid, mfilter(CASES[cid][2]), alarm())
    assert out.status is Status.FAIL
    assert out.message.startswith("no qualifying trail")


@pytest.mark.parametrize("cid", IDS)
def test_fail_when_the_trail_does_not_qualify(cid: str) -> None:
    out = run(cid, trail(is_multi_region=False, cloudwatch_logs_log_group_arn=None), mfilter(CASES[cid][2]), alarm())
    assert out == (Status.FAIL, "no qualifying trail: trail org-trail is not multi-region, "
                                "does not deliver to CloudWatch Logs")
    stopped = run(cid, trail(is_logging=False), mfilter(CASES[cid][2]), alarm())
    assert stopped == (Status.FAIL, "no qualifying trail: trail org-trail is not logging")


@pytest.mark.parametrize("cid", IDS)
def test_fail_without_a_matching_filter(cid: str) -> None:
    out = run(cid, trail(), mfilter('{ $.eventName = "GetObject" }'), alarm())
    assert out.status is Status.FAIL
    assert out.message.startswith(f"no metric filter: log group {GROUP} (us-east-1) has no metric filter for "
                                  f"{CASES[cid][1].what}")


@pytest.mark.parametrize("cid", IDS)
def test_fail_when_the_filter_has_no_alarm(cid: str) -> None:
    out = run(cid, trail(), mfilter(CASES[cid][2]), alarm(metric="SomethingElse"))
    assert out == (Status.FAIL, "no alarm: no alarm watches CISBenchmark/SecurityEvents (filter security-events)")


@pytest.mark.parametrize("cid", IDS)
def test_fail_when_the_alarm_has_no_action(cid: str) -> None:
    out = run(cid, trail(), mfilter(CASES[cid][2]), alarm(alarm_actions=()))
    assert out == (Status.FAIL, "alarm without action: alarm security-events-alarm on CISBenchmark/SecurityEvents "
                                "has no alarm action")
    disabled = run(cid, trail(), mfilter(CASES[cid][2]), alarm(actions_enabled=False))
    assert disabled.status is Status.FAIL and "has its actions disabled" in disabled.message


@pytest.mark.parametrize("cid", IDS)
def test_error_when_trail_status_was_not_read(cid: str) -> None:
    out = run(cid, trail(is_logging=None), mfilter(CASES[cid][2]), alarm())
    assert out == (Status.ERROR, "could not confirm: trail org-trail: logging status was not collected")
    selectors = run(cid, trail(management_events=None), mfilter(CASES[cid][2]), alarm())
    assert selectors.status is Status.ERROR and "event selectors were not collected" in selectors.message


@pytest.mark.parametrize("cid", IDS)
def test_unknown_trail_does_not_hide_a_confirmed_one(cid: str) -> None:
    out = run(cid, trail("a-unknown", is_logging=None), trail("b-good"), mfilter(CASES[cid][2]), alarm())
    assert out.status is Status.PASS


@pytest.mark.parametrize("cid", IDS)
def test_unknown_trail_never_passes_even_if_a_chain_breaks_later(cid: str) -> None:
    # the unknown trail's chain breaks at the alarm: that is a definite FAIL, whatever the status
    out = run(cid, trail(is_logging=None), mfilter(CASES[cid][2]))
    assert out.status is Status.FAIL and out.message.startswith("no alarm")


# -- pattern matching ----------------------------------------------------------------------------


@pytest.mark.parametrize("cid", IDS)
def test_example_and_hand_written_patterns_meet_their_spec(cid: str) -> None:
    spec = CASES[cid][1]
    assert spec.missing(spec.example) == []
    assert spec.missing(CASES[cid][2]) == []
    assert spec.missing("") == [f"$.{g[0][0]} {g[0][1]} {g[0][2]}" for g in spec.requires]


def test_pattern_terms_normalise_spacing_and_quotes() -> None:
    spaced = '{ ( $.eventName  =  "CreateTrail" ) || ($. eventName=UpdateTrail) }'
    assert cw.pattern_terms(spaced) == {("eventName", "=", "CreateTrail"), ("eventName", "=", "UpdateTrail")}
    assert cw.pattern_terms('{$.additionalEventData.MFAUsed!="Yes"}') == {("additionalEventData.MFAUsed", "!=", "Yes")}
    # >=, <= and NOT EXISTS are not equality terms and are ignored, not misread
    assert cw.pattern_terms("{ $.latency >= 5 && $.userIdentity.invokedBy NOT EXISTS }") == set()


def test_filter_missing_one_event_fails_and_names_it() -> None:
    pattern = CASES["cloudwatch.alarm_cloudtrail_config_changes"][2].replace('($.eventName = "StopLogging") ||', "")
    out = run("cloudwatch.alarm_cloudtrail_config_changes", trail(), mfilter(pattern), alarm())
    assert out.status is Status.FAIL
    assert "filter security-events lacks $.eventName = StopLogging" in out.message


def test_event_names_are_case_sensitive() -> None:
    # CloudTrail event names are case-sensitive, so a lower-case pattern never matches a real event
    pattern = CASES["cloudwatch.alarm_nacl_changes"][2].replace("CreateNetworkAcl)", "createnetworkacl)")
    assert cw.NACL_CHANGES.missing(pattern) == ["$.eventName = CreateNetworkAcl"]


def test_mfa_condition_may_be_written_as_equals_no() -> None:
    pattern = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed = "No") }'
    assert cw.CONSOLE_NO_MFA.missing(pattern) == []
    assert cw.CONSOLE_NO_MFA.missing('{ $.eventName = "ConsoleLogin" }') == ["$.additionalEventData.MFAUsed != Yes"]


def test_root_filter_must_exclude_service_events() -> None:
    assert cw.ROOT_USAGE.missing('{ $.userIdentity.type = "Root" }') == ["$.eventType != AwsServiceEvent"]


def test_unauthorized_needs_both_error_codes() -> None:
    missing = cw.UNAUTHORIZED_CALLS.missing('{ $.errorCode = "AccessDenied*" }')
    assert missing == ["$.errorCode = *UnauthorizedOperation"]


# -- where things live ---------------------------------------------------------------------------


def test_filter_on_another_log_group_or_alarm_in_another_region_does_not_count() -> None:
    cid = "cloudwatch.alarm_security_group_changes"
    other_group = run(cid, trail(), mfilter(CASES[cid][2], group="app-logs"), alarm())
    assert other_group.status is Status.FAIL and other_group.message.startswith("no metric filter")
    other_region = run(cid, trail(), mfilter(CASES[cid][2]), alarm(region="eu-west-1"))
    assert other_region.status is Status.FAIL and other_region.message.startswith("no alarm")


def test_alarm_must_select_the_filters_dimensions() -> None:
    cid = "cloudwatch.alarm_iam_policy_changes"
    dimensioned = mfilter(CASES[cid][2], dimensions=("userName",))
    assert run(cid, trail(), dimensioned, alarm()).message.startswith("no alarm")
    selecting = alarm(metrics=(MetricRef(namespace="CISBenchmark", metric_name="SecurityEvents",
                                         dimensions=("userName",)),))
    assert run(cid, trail(), dimensioned, selecting).status is Status.PASS


def test_metric_math_alarm_counts() -> None:
    cid = "cloudwatch.alarm_nacl_changes"
    math = alarm(metrics=(MetricRef(namespace="Other", metric_name="X"),
                          MetricRef(namespace="CISBenchmark", metric_name="SecurityEvents")))
    assert run(cid, trail(), mfilter(CASES[cid][2]), math).status is Status.PASS


def test_write_only_trail_covers_changes_but_not_reads() -> None:
    write_only = trail(management_events="WriteOnly")
    changes = "cloudwatch.alarm_iam_policy_changes"
    assert run(changes, write_only, mfilter(CASES[changes][2]), alarm()).status is Status.PASS
    root = "cloudwatch.alarm_root_account_usage"
    out = run(root, write_only, mfilter(CASES[root][2]), alarm())
    assert out == (Status.FAIL, "no qualifying trail: trail org-trail records WriteOnly management events, not All")
    none = run(changes, trail(management_events=""), mfilter(CASES[changes][2]), alarm())
    assert none == (Status.FAIL, "no qualifying trail: trail org-trail records no management events, not write")


def test_log_group_outside_the_scan_is_error() -> None:
    cid = "cloudwatch.alarm_root_account_usage"
    eu = trail(cloudwatch_logs_log_group_arn=f"arn:aws:logs:eu-west-1:{ACCT}:log-group:{GROUP}:*")
    out = run(cid, eu, regions=("us-east-1",))
    assert out == (Status.ERROR, f"could not confirm: log group {GROUP} of trail org-trail is in eu-west-1, "
                                 "which was not scanned")
    central = trail(cloudwatch_logs_log_group_arn=f"arn:aws:logs:us-east-1:999999999999:log-group:{GROUP}:*")
    out = run(cid, central, mfilter(CASES[cid][2]), alarm())
    assert out.status is Status.ERROR and "account 999999999999" in out.message


def test_deepest_gap_is_reported_across_trails() -> None:
    cid = "cloudwatch.alarm_cloudtrail_config_changes"
    out = run(cid, trail("a-local", is_multi_region=False), trail("b-org"), mfilter(CASES[cid][2]))
    assert out == (Status.FAIL, "no alarm: no alarm watches CISBenchmark/SecurityEvents (filter security-events)")


def test_registration() -> None:
    controls = load_controls()
    for cid in IDS:
        c = controls[cid]
        assert c.account_level and c.subject is Account
        assert c.severity.value == ("high" if cid == "cloudwatch.alarm_root_account_usage" else "medium")
        assert {"cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "logs:DescribeMetricFilters",
                "cloudwatch:DescribeAlarms"} <= set(c.needs)
        assert c.remediation.cli.count("aws ") == 2 and "aws_cloudwatch_metric_alarm" in c.remediation.terraform


# -- the further benchmark patterns ----------------------------------------------------------------


def test_console_auth_failures_needs_the_error_message() -> None:
    assert cw.CONSOLE_AUTH_FAILURES.missing('{ $.eventName = ConsoleLogin }') == [
        "$.errorMessage = Failed authentication"]


def test_kms_filter_must_catch_both_disable_and_deletion() -> None:
    assert cw.KMS_KEY_DISABLED_OR_DELETED.missing("{ $.eventName = DisableKey }") == [
        "$.eventName = ScheduleKeyDeletion"]


def test_vpc_filter_need_not_name_retired_classiclink_calls() -> None:
    without = CASES["cloudwatch.alarm_vpc_changes"][2].split(" || ($.eventName = AttachClassicLinkVpc)")[0] + " }"
    assert "ClassicLink" not in without and cw.VPC_CHANGES.missing(without) == []
    assert cw.VPC_CHANGES.missing(without.replace("($.eventName = ModifyVpcAttribute) || ", "")) == [
        "$.eventName = ModifyVpcAttribute"]


def test_organizations_filter_missing_one_call_fails_with_its_name() -> None:
    cid = "cloudwatch.alarm_organizations_changes"
    pattern = CASES[cid][2].replace('($.eventName = "LeaveOrganization") || ', "")
    out = run(cid, trail(), mfilter(pattern), alarm())
    assert out.status is Status.FAIL and "lacks $.eventName = LeaveOrganization" in out.message


# -- every metric alarm ------------------------------------------------------------------------------


def test_alarm_has_action() -> None:
    assert cw.alarm_has_action(alarm()) == (Status.PASS, f"fires {TOPIC}")
    assert cw.alarm_has_action(alarm(alarm_actions=(), ok_actions=(TOPIC,))) == (
        Status.FAIL, "no action runs when the alarm fires")


def test_alarm_has_action_can_require_an_insufficient_data_action() -> None:
    assert cw.alarm_has_action(alarm(), require_insufficient_data_action=True) == (
        Status.FAIL, "no action runs when the alarm has insufficient data")
    both = alarm(insufficient_data_actions=(TOPIC,))
    assert cw.alarm_has_action(both, require_insufficient_data_action=True).status is Status.PASS


def test_alarm_actions_enabled() -> None:
    assert cw.alarm_actions_enabled(alarm()) == (Status.PASS, "actions are enabled")
    assert cw.alarm_actions_enabled(alarm(actions_enabled=False)) == (
        Status.FAIL, f"actions are disabled: {TOPIC} will not run")
    ok_only = alarm(alarm_actions=(), ok_actions=("arn:aws:sns:us-east-1:123456789012:ok",), actions_enabled=False)
    assert cw.alarm_actions_enabled(ok_only).status is Status.FAIL
    assert cw.alarm_actions_enabled(alarm(alarm_actions=(), actions_enabled=False)) == (
        Status.SKIP, "the alarm has no actions to enable")


def test_per_alarm_controls_are_registered_per_alarm() -> None:
    controls = load_controls()
    for cid in ("cloudwatch.alarm_has_action", "cloudwatch.alarm_actions_enabled"):
        assert controls[cid].subject is MetricAlarm and controls[cid].needs == ("cloudwatch:DescribeAlarms",)
    assert controls["cloudwatch.alarm_has_action"].params == {"require_insufficient_data_action": False}


# -- an alarm where workloads run -------------------------------------------------------------------

REGIONS = ("us-east-1", "eu-west-1")
WORKLOAD_SERVICES = sorted(cw._producers(tuple(cw.WORKLOAD_TYPES)))


def function(name: str, region: str = "us-east-1", acct: str = ACCT) -> LambdaFunction:
    return LambdaFunction(arn=f"arn:aws:lambda:{region}:{acct}:function:{name}", id=name, name=name,
                          account_id=acct, region=region)


def read_everywhere(*resources: Resource, unread: tuple[tuple[str, str], ...] = ()) -> Inventory:
    """An inventory whose workload listings were read in both regions, except the (region, service) pairs given."""
    inv = inventory(*resources, regions=REGIONS)
    inv.coverage = [Coverage(account_id=ACCT, region=r, service=s,
                             status=CoverageStatus.DENIED if (r, s) in unread else CoverageStatus.COMPLETE)
                    for r in REGIONS for s in WORKLOAD_SERVICES]
    return inv


def alarms_verdict(inv: Inventory, **kw: Any) -> Outcome:
    return cw.alarms_configured(inv.account(ACCT), inv, **kw)


def test_alarms_configured_where_workloads_run() -> None:
    assert {"lambda", "ec2", "rds", "sqs"} <= set(WORKLOAD_SERVICES)
    watched = read_everywhere(function("orders"), alarm())
    assert alarms_verdict(watched) == (
        Status.PASS, "every region that runs workloads has metric alarms: us-east-1 (1 alarm(s))")
    # a region with an alarm but no workload, and one with a workload but no alarm
    unwatched = read_everywhere(function("orders"), function("a", "eu-west-1"), function("b", "eu-west-1"),
                                function("c", "eu-west-1"), function("d", "eu-west-1"), alarm(region="us-east-1"))
    assert alarms_verdict(unwatched) == (
        Status.FAIL, "no CloudWatch metric alarm in eu-west-1 (4 workload resource(s): a, b, c (+1 more))")
    # an alarm without actions still counts here (alarm_has_action judges it)
    silent = read_everywhere(function("orders"), alarm(alarm_actions=()))
    assert alarms_verdict(silent).status is Status.PASS
    # another account's alarm does not watch this account's workloads
    other = read_everywhere(function("orders"), alarm().model_copy(update={"account_id": "999999999999"}))
    assert alarms_verdict(other).status is Status.FAIL


def test_alarms_configured_parameters() -> None:
    unwatched = read_everywhere(function("orders", "eu-west-1"), alarm())
    assert alarms_verdict(unwatched, exempt_regions=["eu-west-1"]).status is Status.SKIP
    assert alarms_verdict(unwatched, workload_types=["AWS::SQS::Queue"]).status is Status.SKIP
    assert alarms_verdict(unwatched).status is Status.FAIL


def test_alarms_configured_without_workloads_is_not_applicable() -> None:
    assert alarms_verdict(read_everywhere()) == (Status.SKIP, "no workload found in any scanned region")
    assert alarms_verdict(read_everywhere(alarm())).status is Status.SKIP


def test_alarms_configured_unread_workload_listing_is_error_never_pass() -> None:
    # eu-west-1 has no alarm, and its Lambda functions were not listed: it may run unwatched workloads
    inv = read_everywhere(function("orders"), alarm(), unread=(("eu-west-1", "lambda"),))
    out = alarms_verdict(inv)
    assert out == (Status.ERROR, "could not tell whether these regions run workloads: eu-west-1 (lambda not read)")
    # a service not collected at all is as unknown as a denied one
    assert alarms_verdict(inventory(function("orders"), alarm(), regions=REGIONS)).status is Status.ERROR
    # a region with an alarm needs no workload listing; a definite gap elsewhere still fails
    assert alarms_verdict(read_everywhere(function("orders"), unread=(("eu-west-1", "lambda"),))).status \
        is Status.FAIL
    assert alarms_verdict(read_everywhere(function("orders"), alarm(), alarm(region="eu-west-1"),
                                          unread=(("eu-west-1", "lambda"),))).status is Status.PASS
