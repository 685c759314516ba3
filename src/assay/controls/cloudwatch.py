"""CloudWatch alarms on security events in CloudTrail logs (metric filter + alarm per event class).

Each control passes when a multi-region, logging trail delivers management events to a CloudWatch
Logs log group, that log group has a metric filter whose pattern covers the events, and an alarm
on the filter's metric has an enabled alarm action. The seven controls share one evaluator and
differ only in the EventSpec they pass it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assay.controls.registry import Remediation, control
from assay.models.base import Account
from assay.models.findings import Error, Fail, Outcome, Pass, Status
from assay.models.inventory import Inventory
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
    filters = [f for f in inv.of(MetricFilter) if (f.account_id, f.region, f.log_group_name) == located
               and not spec.missing(f.pattern)]
    if not filters:
        partial = [f for f in inv.of(MetricFilter) if (f.account_id, f.region, f.log_group_name) == located
                   and len(spec.missing(f.pattern)) < len(spec.requires)]
        hint = "".join(f"; filter {f.display_name} lacks {', '.join(spec.missing(f.pattern))}" for f in partial[:2])
        return Gap(NO_FILTER, f"log group {group} ({region}) has no metric filter for {spec.what}{hint}")
    alarms = [a for a in inv.of(MetricAlarm) if (a.account_id, a.region) == (account_id, region)]
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
    trails = [t for t in inv.of(Trail) if t.account_id == account.account_id]
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
