"""CloudWatch alarms on security events in CloudTrail logs (metric filter + alarm per event class).

Each control passes when a multi-region, logging trail delivers management events to a CloudWatch
Logs log group, that log group has a metric filter whose pattern covers the events, and an alarm
on the filter's metric has an enabled alarm action. These controls share one evaluator and differ
only in the EventSpec they pass it. Two further controls judge every metric alarm on its own: it
has an action, and its actions are enabled; and one asks that every region running workloads has an alarm.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assay.controls.messages import names
from assay.controls.registry import Remediation, control
from assay.models.base import Account, Resource, resource_class
from assay.models.findings import Error, Fail, Outcome, Pass, Skip, Status
from assay.models.inventory import CoverageStatus, Inventory
from assay.models.resources.cloudtrail import Trail
from assay.models.resources.cloudwatch import MetricAlarm
from assay.models.resources.logs import MetricFilter

NEEDS = ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors",
         "logs:DescribeMetricFilters", "cloudwatch:DescribeAlarms"]

# ---------------------------------------------------------------------------------------------
# Filter patterns

Term = tuple[str, str, str]  # (JSON field without "$.", "=" or "!=", value without quotes)

# One comparison in a JSON filter pattern, e.g. `$.eventName = "CreateTrail"` or `($.errorCode=AccessDenied*)`.
_COMPARISON = re.compile(r'\$\.\s*([\w.\[\]]+)\s*(!=|=)\s*("[^"]*"|[^\s&|()}]+)')


def pattern_terms(pattern: str) -> set[Term]:
    """The comparisons a filter pattern makes, normalised: whitespace, quotes and order do not matter."""
    return {(f.replace(" ", ""), op, v.strip('"').strip()) for f, op, v in _COMPARISON.findall(pattern)}


@dataclass(frozen=True)
class EventSpec:
    """What a metric filter must contain to catch one class of security events."""

    what: str  # "root user activity": used in messages
    # Every group must be met by at least one of its terms (a group lists equivalent spellings).
    requires: tuple[tuple[Term, ...], ...]
    needs_reads: bool  # the events include read-only calls: the trail must record read events too
    example: str  # a pattern that meets the spec, for the remediation text

    def missing(self, pattern: str) -> list[str]:
        """The required conditions the pattern lacks, written as pattern text; [] when it covers all."""
        terms = pattern_terms(pattern)
        return [f"$.{g[0][0]} {g[0][1]} {g[0][2]}" for g in self.requires if not terms & set(g)]


def _any_event(what: str, *names: str) -> EventSpec:
    """A spec for "any of these API calls", all of them changes (write events)."""
    return EventSpec(what, tuple((("eventName", "=", n),) for n in names), needs_reads=False,
                     example="{ " + " || ".join(f"($.eventName = {n})" for n in names) + " }")


ROOT_USAGE = EventSpec(
    "root user activity",
    ((("userIdentity.type", "=", "Root"),), (("eventType", "!=", "AwsServiceEvent"),)), needs_reads=True,
    example='{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
    '&& $.eventType != "AwsServiceEvent" }')
UNAUTHORIZED_CALLS = EventSpec(
    "unauthorized API calls",
    ((("errorCode", "=", "*UnauthorizedOperation"),), (("errorCode", "=", "AccessDenied*"),)), needs_reads=True,
    example='{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }')
CONSOLE_NO_MFA = EventSpec(
    "console sign-in without MFA",
    ((("eventName", "=", "ConsoleLogin"),),
     (("additionalEventData.MFAUsed", "!=", "Yes"), ("additionalEventData.MFAUsed", "=", "No"))),
    needs_reads=True,
    example='{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }')
IAM_POLICY_CHANGES = _any_event(
    "IAM policy changes", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion",
    "PutUserPolicy", "PutGroupPolicy", "PutRolePolicy", "DeleteUserPolicy", "DeleteGroupPolicy", "DeleteRolePolicy",
    "AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy", "DetachUserPolicy", "DetachGroupPolicy",
    "DetachRolePolicy")
CLOUDTRAIL_CHANGES = _any_event(
    "CloudTrail configuration changes", "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging")
SECURITY_GROUP_CHANGES = _any_event(
    "security group changes", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup")
NACL_CHANGES = _any_event(
    "network ACL changes", "CreateNetworkAcl", "DeleteNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAclEntry",
    "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation")
CONSOLE_AUTH_FAILURES = EventSpec(
    "failed console sign-ins",
    ((("eventName", "=", "ConsoleLogin"),), (("errorMessage", "=", "Failed authentication"),)), needs_reads=True,
    example='{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }')
KMS_KEY_DISABLED_OR_DELETED = _any_event(
    "customer-managed KMS keys disabled or scheduled for deletion", "DisableKey", "ScheduleKeyDeletion")
CONFIG_CHANGES = _any_event(
    "AWS Config configuration changes", "StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
    "PutConfigurationRecorder")
S3_BUCKET_POLICY_CHANGES = _any_event(
    "S3 bucket policy and ACL changes", "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle",
    "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle",
    "DeleteBucketReplication")
NETWORK_GATEWAY_CHANGES = _any_event(
    "network gateway changes", "CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
    "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway")
ROUTE_TABLE_CHANGES = _any_event(
    "route table changes", "CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
    "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable")
# The ClassicLink calls of older benchmark patterns are not required: AWS retired EC2-Classic in 2022.
VPC_CHANGES = _any_event(
    "VPC changes", "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
    "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection")
ORGANIZATIONS_CHANGES = _any_event(
    "AWS Organizations changes", "AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit",
    "CreatePolicy", "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy",
    "DetachPolicy", "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization",
    "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit")

# ---------------------------------------------------------------------------------------------
# The shared evaluator

# How far a trail's chain got before it broke; the deepest gap is the most useful one to report.
NO_TRAIL, NO_FILTER, NO_ALARM, NO_ACTION = range(4)
_STAGE_LABELS = ("no qualifying trail", "no metric filter", "no alarm", "alarm without action")


@dataclass(frozen=True)
class Gap:
    stage: int
    message: str


def _trail_gaps(trail: Trail, spec: EventSpec) -> tuple[list[str], list[str]]:
    """(what the trail definitely lacks, what could not be confirmed because a read is missing)."""
    gaps: list[str] = []
    unknown: list[str] = []
    if not trail.is_multi_region:
        gaps.append("is not multi-region")
    if trail.is_logging is None:
        unknown.append("logging status was not collected")
    elif not trail.is_logging:
        gaps.append("is not logging")
    if trail.management_events is None:
        unknown.append("event selectors were not collected")
    elif trail.management_events != "All" and (spec.needs_reads or trail.management_events != "WriteOnly"):
        recorded = trail.management_events or "no"
        gaps.append(f"records {recorded} management events, not {'All' if spec.needs_reads else 'write'}")
    if not trail.cloudwatch_logs_log_group_arn:
        gaps.append("does not deliver to CloudWatch Logs")
    return gaps, unknown


def _log_group(arn: str) -> tuple[str, str, str] | None:
    """(account, region, name) from arn:aws:logs:<region>:<account>:log-group:<name>[:*]."""
    parts = arn.split(":")
    if len(parts) < 7 or parts[2] != "logs" or parts[5] != "log-group":
        return None
    return parts[4], parts[3], parts[6]


def _filters_on(inv: Inventory, located: tuple[str, str, str]) -> list[MetricFilter]:
    """The metric filters of one (account, region, log group), in inventory order."""
    def index() -> dict[tuple[str, str, str], list[MetricFilter]]:
        out: dict[tuple[str, str, str], list[MetricFilter]] = {}
        for f in inv.of(MetricFilter):
            out.setdefault((f.account_id, f.region, f.log_group_name), []).append(f)
        return out

    return inv.memo(("cloudwatch.filters_by_log_group",), index).get(located, [])


def _chain(trail: Trail, inv: Inventory, spec: EventSpec) -> Gap | Outcome:
    """Follow trail -> log group -> metric filter -> alarm -> action. Pass, or (stage, what broke)."""
    located = _log_group(trail.cloudwatch_logs_log_group_arn or "")
    if located is None:
        return Gap(NO_TRAIL, f"trail {trail.display_name} delivers to an unreadable log group ARN")
    account_id, region, group = located
    if account_id not in inv.account_ids():  # e.g. an organization trail owned by the management account
        return Error(f"log group {group} of trail {trail.display_name} is in account {account_id}, not scanned")
    if region not in inv.scanned_regions(account_id):
        return Error(f"log group {group} of trail {trail.display_name} is in {region}, which was not scanned")
    on_group = _filters_on(inv, located)
    filters = [f for f in on_group if not spec.missing(f.pattern)]
    if not filters:
        partial = [f for f in on_group if len(spec.missing(f.pattern)) < len(spec.requires)]
        hint = "".join(f"; filter {f.display_name} lacks {', '.join(spec.missing(f.pattern))}" for f in partial[:2])
        return Gap(NO_FILTER, f"log group {group} ({region}) has no metric filter for {spec.what}{hint}")
    alarms = inv.in_account(MetricAlarm, account_id, region)
    silent: list[str] = []
    for f in filters:
        for t in f.transformations:
            for a in alarms:
                if not a.watches(t.namespace, t.metric_name, t.dimensions):
                    continue
                if a.actions_enabled and a.alarm_actions:
                    return Pass(f"alarm {a.display_name} on {t.namespace}/{t.metric_name} (filter "
                                f"{f.display_name} on log group {group}) notifies {', '.join(a.alarm_actions)}")
                why = "has its actions disabled" if a.alarm_actions else "has no alarm action"
                silent.append(f"alarm {a.display_name} on {t.namespace}/{t.metric_name} {why}")
    if silent:
        return Gap(NO_ACTION, "; ".join(silent))
    metrics = [f"{t.namespace}/{t.metric_name} (filter {f.display_name})" for f in filters for t in f.transformations]
    return Gap(NO_ALARM, f"no alarm watches {', '.join(metrics) or 'the filters, which publish no metric'}")


def alarm_configured(account: Account, inv: Inventory, spec: EventSpec) -> Outcome:
    """The verdict for one event class: Pass on the first complete chain; else the deepest gap."""
    trails = inv.in_account(Trail, account.account_id)
    if not trails:
        return Fail(f"no qualifying trail: the account has no CloudTrail trail, so {spec.what} cannot alarm")
    gaps: list[Gap] = []
    unconfirmed: list[str] = []
    for trail in trails:
        definite, unknown = _trail_gaps(trail, spec)
        if definite:
            gaps.append(Gap(NO_TRAIL, f"trail {trail.display_name} {', '.join(definite)}"))
            continue
        result = _chain(trail, inv, spec)
        if isinstance(result, Gap):
            gaps.append(result)
        elif result.status is Status.PASS and unknown:
            unconfirmed.append(f"trail {trail.display_name}: {', '.join(unknown)}")
        elif result.status is Status.ERROR:
            unconfirmed.append(result.message)
        else:
            return result
    if unconfirmed:
        return Error("could not confirm: " + "; ".join(unconfirmed))
    deepest = max(g.stage for g in gaps)
    return Fail(f"{_STAGE_LABELS[deepest]}: " + "; ".join(g.message for g in gaps if g.stage == deepest))


# ---------------------------------------------------------------------------------------------
# The controls


def _remediation(spec: EventSpec, metric: str) -> Remediation:
    pattern = spec.example
    return Remediation(
        console="CloudWatch console > Log groups > the log group your multi-region CloudTrail trail delivers to > "
        f"Metric filters > Create metric filter with the pattern below, metric namespace CloudTrailMetrics and "
        f"metric name {metric} (value 1); then select the filter > Create alarm: Sum >= 1 over 5 minutes, "
        f"notify an SNS topic your security team subscribes to. Pattern: {pattern}",
        cli=f"aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name {metric} \\\n"
        f"  --filter-pattern '{pattern}' \\\n"
        f"  --metric-transformations metricName={metric},metricNamespace=CloudTrailMetrics,metricValue=1\n"
        f"aws cloudwatch put-metric-alarm --alarm-name {metric} --metric-name {metric} \\\n"
        "  --namespace CloudTrailMetrics --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 \\\n"
        "  --comparison-operator GreaterThanOrEqualToThreshold --alarm-actions <sns-topic-arn>",
        terraform=f'resource "aws_cloudwatch_log_metric_filter" "{metric.lower()}" {{\n'
        f'  name           = "{metric}"\n  log_group_name = aws_cloudwatch_log_group.trail.name\n'
        f"  pattern        = {_hcl(pattern)}\n"
        f'  metric_transformation {{\n    name      = "{metric}"\n    namespace = "CloudTrailMetrics"\n'
        f'    value     = "1"\n  }}\n}}\n\n'
        f'resource "aws_cloudwatch_metric_alarm" "{metric.lower()}" {{\n  alarm_name          = "{metric}"\n'
        f'  metric_name         = "{metric}"\n  namespace           = "CloudTrailMetrics"\n'
        '  statistic           = "Sum"\n  period              = 300\n  evaluation_periods  = 1\n'
        '  threshold           = 1\n  comparison_operator = "GreaterThanOrEqualToThreshold"\n'
        "  alarm_actions       = [aws_sns_topic.security_alerts.arn]\n}",
    )


def _hcl(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_WHY = ("CloudTrail records the activity, but only an alarm makes someone look at it in time; "
        "SOC 2 expects security events to be detected and evaluated (CC7.2, CC7.3).")


@control(
    id="cloudwatch.alarm_root_account_usage",
    title="An alarm with an action fires on root user activity recorded by CloudTrail",
    severity="high", needs=NEEDS,
    rationale="The root user bypasses IAM policies and should almost never be used; any sign-in or API call as "
    "root is either a planned break-glass action or a compromise, and both deserve an immediate alert. " + _WHY,
    remediation=_remediation(ROOT_USAGE, "RootAccountUsage"),
)
def alarm_root_account_usage(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, ROOT_USAGE)


@control(
    id="cloudwatch.alarm_unauthorized_api_calls",
    title="An alarm with an action fires on unauthorized API calls recorded by CloudTrail",
    severity="medium", needs=NEEDS,
    rationale="Bursts of AccessDenied and UnauthorizedOperation errors are an early sign of stolen credentials "
    "probing what they can reach, or of a misconfigured deployment; alerting on them shortens the time to "
    "notice either. " + _WHY,
    remediation=_remediation(UNAUTHORIZED_CALLS, "UnauthorizedAPICalls"),
)
def alarm_unauthorized_api_calls(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, UNAUTHORIZED_CALLS)


@control(
    id="cloudwatch.alarm_console_signin_without_mfa",
    title="An alarm with an action fires on console sign-ins without MFA",
    severity="medium", needs=NEEDS,
    rationale="A console session opened with a password alone is the easiest path for a phished or reused "
    "password; an alert on every sign-in without MFA shows where the MFA requirement is not enforced. " + _WHY,
    remediation=_remediation(CONSOLE_NO_MFA, "ConsoleSigninWithoutMFA"),
)
def alarm_console_signin_without_mfa(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, CONSOLE_NO_MFA)


@control(
    id="cloudwatch.alarm_iam_policy_changes",
    title="An alarm with an action fires on IAM policy changes",
    severity="medium", needs=NEEDS,
    rationale="Creating, attaching or rewriting IAM policies changes who can do what; an alert on each change "
    "lets the team confirm it went through change management and catch privilege escalation. " + _WHY,
    remediation=_remediation(IAM_POLICY_CHANGES, "IAMPolicyChanges"),
)
def alarm_iam_policy_changes(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, IAM_POLICY_CHANGES)


@control(
    id="cloudwatch.alarm_cloudtrail_config_changes",
    title="An alarm with an action fires on CloudTrail configuration changes",
    severity="medium", needs=NEEDS,
    rationale="Stopping, deleting or redirecting a trail is how an intruder hides their tracks; an alert on "
    "any trail change protects the audit log that every other detective control relies on. " + _WHY,
    remediation=_remediation(CLOUDTRAIL_CHANGES, "CloudTrailChanges"),
)
def alarm_cloudtrail_config_changes(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, CLOUDTRAIL_CHANGES)


@control(
    id="cloudwatch.alarm_security_group_changes",
    title="An alarm with an action fires on security group changes",
    severity="medium", needs=NEEDS,
    rationale="Security groups are the instance-level firewall; an unreviewed rule change can expose a "
    "database or admin port to the internet within seconds, so each change should reach a person. " + _WHY,
    remediation=_remediation(SECURITY_GROUP_CHANGES, "SecurityGroupChanges"),
)
def alarm_security_group_changes(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, SECURITY_GROUP_CHANGES)


@control(
    id="cloudwatch.alarm_nacl_changes",
    title="An alarm with an action fires on network ACL changes",
    severity="medium", needs=NEEDS,
    rationale="Network ACLs filter traffic for whole subnets; an unexpected entry or association change can "
    "open or cut off a network segment, and an alert lets the team verify it was intended. " + _WHY,
    remediation=_remediation(NACL_CHANGES, "NetworkACLChanges"),
)
def alarm_nacl_changes(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, NACL_CHANGES)



@control(
    id="cloudwatch.alarm_console_auth_failures",
    title="An alarm with an action fires on failed console sign-ins",
    severity="medium", needs=NEEDS,
    rationale="Repeated failed console sign-ins are the signature of password guessing or credential stuffing "
    "against IAM users; an alert lets the team lock the targeted user or tighten MFA before a guess succeeds. "
    + _WHY,
    remediation=_remediation(CONSOLE_AUTH_FAILURES, "ConsoleAuthFailures"),
)
def alarm_console_auth_failures(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, CONSOLE_AUTH_FAILURES)


@control(
    id="cloudwatch.alarm_kms_key_disabled_or_deleted",
    title="An alarm with an action fires when a KMS key is disabled or scheduled for deletion",
    severity="medium", needs=NEEDS,
    rationale="Data encrypted under a KMS key becomes unreadable once the key is disabled or deleted, so "
    "disabling or scheduling deletion of a key is either a planned retirement or an attack on availability "
    "(ransom by key deletion); an alert gives the team the waiting period to cancel a deletion. " + _WHY,
    remediation=_remediation(KMS_KEY_DISABLED_OR_DELETED, "KMSKeyDisabledOrDeleted"),
)
def alarm_kms_key_disabled_or_deleted(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, KMS_KEY_DISABLED_OR_DELETED)


@control(
    id="cloudwatch.alarm_config_changes",
    title="An alarm with an action fires on AWS Config configuration changes",
    severity="medium", needs=NEEDS,
    rationale="AWS Config records the history of every resource's configuration; stopping the recorder or "
    "redirecting its delivery channel erases the change record auditors and investigators rely on, so any "
    "such change should reach a person. " + _WHY,
    remediation=_remediation(CONFIG_CHANGES, "AWSConfigChanges"),
)
def alarm_config_changes(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, CONFIG_CHANGES)


@control(
    id="cloudwatch.alarm_s3_bucket_policy_changes",
    title="An alarm with an action fires on S3 bucket policy and ACL changes",
    severity="medium", needs=NEEDS,
    rationale="A bucket policy or ACL change can make data public or grant another account access in one call; "
    "an alert on each change lets the team confirm it was reviewed before data leaks. " + _WHY,
    remediation=_remediation(S3_BUCKET_POLICY_CHANGES, "S3BucketPolicyChanges"),
)
def alarm_s3_bucket_policy_changes(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, S3_BUCKET_POLICY_CHANGES)


@control(
    id="cloudwatch.alarm_network_gateway_changes",
    title="An alarm with an action fires on network gateway changes",
    severity="medium", needs=NEEDS,
    rationale="Internet and customer gateways are the doors between a VPC and the outside; creating, attaching "
    "or detaching one changes what can reach the network, and should be visible to the team at once. " + _WHY,
    remediation=_remediation(NETWORK_GATEWAY_CHANGES, "NetworkGatewayChanges"),
)
def alarm_network_gateway_changes(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, NETWORK_GATEWAY_CHANGES)


@control(
    id="cloudwatch.alarm_route_table_changes",
    title="An alarm with an action fires on route table changes",
    severity="medium", needs=NEEDS,
    rationale="Routes decide where traffic goes; a changed route can send private traffic through the internet "
    "or an attacker-controlled appliance, so route changes deserve an alert. " + _WHY,
    remediation=_remediation(ROUTE_TABLE_CHANGES, "RouteTableChanges"),
)
def alarm_route_table_changes(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, ROUTE_TABLE_CHANGES)


@control(
    id="cloudwatch.alarm_vpc_changes",
    title="An alarm with an action fires on VPC changes",
    severity="medium", needs=NEEDS,
    rationale="Creating or deleting VPCs, changing their attributes or peering them with other networks "
    "changes the network boundary itself; an alert lets the team check each change against an approved "
    "request. " + _WHY,
    remediation=_remediation(VPC_CHANGES, "VPCChanges"),
)
def alarm_vpc_changes(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, VPC_CHANGES)


@control(
    id="cloudwatch.alarm_organizations_changes",
    title="An alarm with an action fires on AWS Organizations changes",
    severity="medium", needs=NEEDS,
    rationale="Organizations changes move accounts between guardrails, edit service control policies or remove "
    "an account from the organization altogether; each can silently lift controls across many accounts, so "
    "they should alert. Outside the management account the alarm still catches attempts such as leaving the "
    "organization. " + _WHY,
    remediation=_remediation(ORGANIZATIONS_CHANGES, "OrganizationsChanges"),
)
def alarm_organizations_changes(account: Account, inv: Inventory) -> Outcome:
    return alarm_configured(account, inv, ORGANIZATIONS_CHANGES)


# ---------------------------------------------------------------------------------------------
# Every metric alarm


@control(
    id="cloudwatch.alarm_has_action",
    title="CloudWatch metric alarms notify or act when they fire",
    severity="low",
    needs=["cloudwatch:DescribeAlarms"],
    rationale="An alarm that changes state without an action only colours a dashboard nobody may be watching; "
    "an alarm action (an SNS topic, an Auto Scaling or EC2 action, a Systems Manager incident) is what turns "
    "a detected condition into a response (CC7.2, CC7.3, CC7.4). With the parameter "
    "require_insufficient_data_action the alarm must also act when its data stops arriving, which catches a "
    "monitored source that went silent.",
    remediation=Remediation(
        console="CloudWatch console > Alarms > All alarms > select the alarm > Actions > Edit > Configure actions: "
        "add a notification to an SNS topic your on-call team subscribes to for the In alarm state (and for "
        "Insufficient data if required) > Update alarm.",
        cli="aws cloudwatch describe-alarms --alarm-names <alarm>  # note its settings, then put it again with:\n"
        "aws cloudwatch put-metric-alarm --alarm-name <alarm> <existing settings> \\\n"
        "  --alarm-actions <sns-topic-arn> --insufficient-data-actions <sns-topic-arn>",
        terraform='resource "aws_cloudwatch_metric_alarm" "example" {\n'
        "  alarm_actions             = [aws_sns_topic.oncall.arn]\n"
        "  insufficient_data_actions = [aws_sns_topic.oncall.arn]\n}",
    ),
)
def alarm_has_action(alarm: MetricAlarm, *, require_insufficient_data_action: bool = False) -> Outcome:
    if not alarm.alarm_actions:
        return Fail("no action runs when the alarm fires")
    if require_insufficient_data_action and not alarm.insufficient_data_actions:
        return Fail("no action runs when the alarm has insufficient data")
    return Pass(f"fires {', '.join(alarm.alarm_actions)}")


@control(
    id="cloudwatch.alarm_actions_enabled",
    title="CloudWatch metric alarms have their actions enabled",
    severity="medium",
    needs=["cloudwatch:DescribeAlarms"],
    rationale="Disabling an alarm's actions keeps it looking configured while it silently stops notifying "
    "anyone; it is a common leftover of maintenance windows and a quiet way to blind monitoring. Monitoring "
    "only works if the alerts reach people (CC4.2, CC7.2).",
    remediation=Remediation(
        console="CloudWatch console > Alarms > All alarms > select the alarm > Actions > Enable actions.",
        cli="aws cloudwatch enable-alarm-actions --alarm-names <alarm>",
        terraform='resource "aws_cloudwatch_metric_alarm" "example" {\n  actions_enabled = true\n}',
    ),
)
def alarm_actions_enabled(alarm: MetricAlarm) -> Outcome:
    configured = alarm.alarm_actions + alarm.ok_actions + alarm.insufficient_data_actions
    if not configured:
        return Skip("the alarm has no actions to enable")
    if alarm.actions_enabled:
        return Pass("actions are enabled")
    return Fail(f"actions are disabled: {', '.join(configured)} will not run")


# ---------------------------------------------------------------------------------------------
# Alarms where workloads run

# Resource types that show a region runs a workload worth watching: compute, data stores, queues and
# streams, and the front doors (load balancers, APIs) in front of them.
WORKLOAD_TYPES = [
    "AWS::EC2::Instance", "AWS::Lambda::Function", "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster", "AWS::DynamoDB::Table", "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::CacheCluster", "AWS::Redshift::Cluster", "AWS::OpenSearchService::Domain",
    "AWS::Neptune::DBCluster", "AWS::DAX::Cluster", "AWS::EFS::FileSystem", "AWS::SQS::Queue",
    "AWS::Kinesis::Stream", "AWS::MSK::Cluster", "AWS::AmazonMQ::Broker", "AWS::StepFunctions::StateMachine",
    "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer",
    "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api",
]
_READ = (CoverageStatus.COMPLETE, CoverageStatus.NOT_ENABLED)


def _producers(types: tuple[str, ...]) -> set[str]:
    """The collector services that list the given resource types (unknown type names raise KeyError)."""
    from assay.collect.registry import load_collectors

    wanted = {resource_class(t) for t in types}
    return {spec.service for spec in load_collectors().values() if wanted & set(spec.produces)}


def _read_shards(inv: Inventory) -> dict[str, set[tuple[str, str]]]:
    """account -> the (region, service) shards read in full or not enabled, for every account at once."""
    out: dict[str, set[tuple[str, str]]] = {}
    for c in inv.coverage:
        if c.status in _READ:
            out.setdefault(c.account_id, set()).add((c.region, c.service))
    return out


@control(
    id="cloudwatch.alarms_configured",
    title="Every region that runs workloads has at least one CloudWatch metric alarm",
    severity="low",
    needs=["cloudwatch:DescribeAlarms"],
    rationale="Metrics are recorded whether or not anyone watches them; a region that runs instances, "
    "functions, databases, queues or APIs but has no metric alarm at all relies on someone noticing errors, "
    "saturation or an outage by chance. At least one alarm in each such region is the minimum sign that its "
    "components are monitored for anomalies (CC7.2); what each alarm watches and whom it notifies is for "
    "the team to design, and cloudwatch.alarm_has_action checks that it notifies someone. The resource "
    "types that count as workloads are the workload_types parameter; regions monitored from elsewhere go "
    "in exempt_regions.",
    remediation=Remediation(
        console="CloudWatch console (in the region named in the finding) > Alarms > All alarms > Create alarm > "
        "Select metric: a metric of the workload (e.g. Lambda Errors, RDS CPUUtilization or FreeStorageSpace, "
        "ALB HTTPCode_Target_5XX_Count, SQS ApproximateAgeOfOldestMessage) > set the threshold > notify an SNS "
        "topic the on-call team subscribes to > Create alarm.",
        cli="aws cloudwatch put-metric-alarm --region <region> --alarm-name orders-api-5xx \\\n"
        "  --namespace AWS/ApplicationELB --metric-name HTTPCode_Target_5XX_Count \\\n"
        "  --dimensions Name=LoadBalancer,Value=app/<name>/<id> --statistic Sum --period 300 \\\n"
        "  --evaluation-periods 1 --threshold 10 --comparison-operator GreaterThanOrEqualToThreshold \\\n"
        "  --alarm-actions <sns-topic-arn>",
        terraform='resource "aws_cloudwatch_metric_alarm" "orders_errors" {\n'
        '  alarm_name          = "orders-function-errors"\n  namespace           = "AWS/Lambda"\n'
        '  metric_name         = "Errors"\n  dimensions          = { FunctionName = aws_lambda_function.orders.'
        'function_name }\n  statistic           = "Sum"\n  period              = 300\n'
        "  evaluation_periods  = 1\n  threshold           = 1\n"
        '  comparison_operator = "GreaterThanOrEqualToThreshold"\n'
        "  alarm_actions       = [aws_sns_topic.oncall.arn]\n}",
    ),
)
def alarms_configured(
    account: Account, inv: Inventory, *, workload_types: list[str] = WORKLOAD_TYPES,
    exempt_regions: list[str] = [],  # noqa: B006
) -> Outcome:
    """Account-level: one finding per account naming each region with workloads and no alarm.

    A region where no workload was found counts only if every service that lists workloads was read there;
    otherwise it may hide unwatched workloads, and the finding is ERROR.
    """
    types = tuple(workload_types)
    services = inv.memo(("cloudwatch.workload_services", types), lambda: _producers(types))
    read = inv.memo(("cloudwatch.read_shards",), lambda: _read_shards(inv)).get(account.account_id, set())
    alarms = Counter(a.region for a in inv.in_account(MetricAlarm, account.account_id))
    workloads: dict[str, list[Resource]] = {}
    for t in types:
        for r in inv.in_account(resource_class(t), account.account_id):
            workloads.setdefault(r.region, []).append(r)
    watched, unwatched, unknown = [], [], []
    for region in inv.scanned_regions(account.account_id):
        if region in exempt_regions:
            continue
        found = workloads.get(region, [])
        if found and alarms[region]:
            watched.append(f"{region} ({alarms[region]} alarm(s))")
        elif found:
            shown = names((r.display_name for r in found), limit=3, sep=", ")
            unwatched.append(f"{region} ({len(found)} workload resource(s): {shown})")
        elif not alarms[region] and (missing := sorted(s for s in services if (region, s) not in read)):
            unknown.append(f"{region} ({', '.join(missing)} not read)")
    if unwatched:
        return Fail("no CloudWatch metric alarm in " + "; ".join(unwatched))
    if unknown:
        return Error("could not tell whether these regions run workloads: " + "; ".join(unknown))
    if watched:
        return Pass("every region that runs workloads has metric alarms: " + ", ".join(watched))
    return Skip("no workload found in any scanned region")
