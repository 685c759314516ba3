"""AWS WAF (v2) controls on regional web ACLs: they log, publish metrics, and enforce their rules."""

from __future__ import annotations

from assay.collect.aws.wafv2 import GET_ACL, LIST_ACTION, LIST_LOGGING
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.wafv2 import WebAcl

_UPDATE = ("aws wafv2 get-web-acl --scope REGIONAL --name <acl> --id <id>  # note the LockToken and rules\n"
           "aws wafv2 update-web-acl --scope REGIONAL --name <acl> --id <id> --lock-token <token> \\\n"
           "  --default-action Allow={} --rules file://rules.json --visibility-config ")


@control(
    id="wafv2.web_acl_logging_enabled",
    title="AWS WAF web ACLs log the requests they inspect",
    severity="medium",
    needs=[LIST_ACTION, LIST_LOGGING],
    rationale="WAF logs record every inspected request with the rule that matched and the action taken. They "
    "are the evidence of attacks blocked at the edge, the data to tune rules that block legitimate users, "
    "and the trail to follow when an attack got through (CC7.2, CC7.3; A1.2 for availability attacks).",
    remediation=Remediation(
        console="AWS WAF console > Web ACLs (the ACL's region) > the web ACL > Logging and metrics > Enable "
        "logging: choose a CloudWatch Logs group, S3 bucket or Firehose stream whose name starts with "
        "aws-waf-logs- > Save. Redact authorization headers and cookies in the logging configuration.",
        cli="aws wafv2 put-logging-configuration --logging-configuration \\\n"
        "  ResourceArn=<web-acl-arn>,LogDestinationConfigs=arn:aws:logs:<region>:<account>:log-group:"
        "aws-waf-logs-<name>",
        terraform='resource "aws_wafv2_web_acl_logging_configuration" "edge" {\n'
        "  resource_arn            = aws_wafv2_web_acl.edge.arn\n"
        "  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]  # named aws-waf-logs-*\n}",
    ),
)
def web_acl_logging_enabled(acl: WebAcl) -> Outcome:
    if acl.log_destinations is None:
        return Error(f"the logging configurations ({LIST_LOGGING}) were not read")
    if acl.log_destinations:
        return Pass(f"logs to {', '.join(acl.log_destinations)}")
    return Fail("the web ACL has no logging configuration: inspected requests are not recorded")


@control(
    id="wafv2.web_acl_metrics_enabled",
    title="AWS WAF web ACLs and all their rules publish CloudWatch metrics",
    severity="low",
    needs=[LIST_ACTION, GET_ACL],
    rationale="Per-rule CloudWatch metrics count allowed, blocked and counted requests, which is what alarms "
    "and dashboards use to notice an attack or a rule suddenly blocking real users. A web ACL or rule "
    "without metrics acts unseen (A1.2, CC7.2).",
    remediation=Remediation(
        console="AWS WAF console > Web ACLs > the web ACL > Rules: edit each rule and, under Visibility "
        "configuration, enable CloudWatch metrics; for the web ACL itself, use the CLI or infrastructure code.",
        cli=_UPDATE + "SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=<acl>\n"
        "# in rules.json, set VisibilityConfig.CloudWatchMetricsEnabled to true for every rule",
        terraform='resource "aws_wafv2_web_acl" "edge" {\n  visibility_config {\n'
        "    cloudwatch_metrics_enabled = true\n    sampled_requests_enabled   = true\n"
        '    metric_name                = "edge"\n  }\n  # and the same block, enabled, in every rule\n}',
    ),
)
def web_acl_metrics_enabled(acl: WebAcl) -> Outcome:
    if acl.metrics_enabled is None or acl.rules is None:
        return Error(f"the web ACL's configuration ({GET_ACL}) was not read")
    silent = (["the web ACL itself"] if not acl.metrics_enabled else []) + [
        f"rule {r.name}" for r in acl.rules if not r.metrics_enabled]
    if silent:
        return Fail(f"CloudWatch metrics are disabled for {', '.join(silent)}")
    return Pass(f"the web ACL and its {len(acl.rules)} rule(s) publish CloudWatch metrics")


@control(
    id="wafv2.web_acl_rules_enforced",
    title="AWS WAF web ACLs have rules, and none only counts matches",
    severity="medium",
    needs=[LIST_ACTION, GET_ACL],
    rationale="A web ACL protects nothing if it has no rules and allows by default, and a rule (or rule group) "
    "left in Count mode after testing only records the attacks it was meant to stop. Either leaves the "
    "resource looking protected while requests pass through (CC6.6, CC7.2).",
    remediation=Remediation(
        console="AWS WAF console > Web ACLs > the web ACL > Rules: add rules (e.g. the AWS managed core rule "
        "set); for each rule in Count mode, Edit > Action: Block (for a rule group: Override rule group action: "
        "none) > Save, after checking its counted matches in the logs for false positives.",
        cli=_UPDATE + "SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=<acl>\n"
        "# in rules.json, replace \"Action\": {\"Count\": {}} by {\"Block\": {}} and "
        "\"OverrideAction\": {\"Count\": {}} by {\"None\": {}}",
        terraform='resource "aws_wafv2_web_acl" "edge" {\n  rule {\n    name     = "aws-common"\n'
        "    priority = 0\n    override_action {\n      none {}\n    }\n    statement {\n"
        "      managed_rule_group_statement {\n        vendor_name = \"AWS\"\n"
        '        name        = "AWSManagedRulesCommonRuleSet"\n      }\n    }\n'
        '    visibility_config {\n      cloudwatch_metrics_enabled = true\n      sampled_requests_enabled   = true\n'
        '      metric_name                = "aws-common"\n    }\n  }\n}',
    ),
)
def web_acl_rules_enforced(acl: WebAcl) -> Outcome:
    if acl.rules is None or acl.default_action is None:
        return Error(f"the web ACL's configuration ({GET_ACL}) was not read")
    if not acl.rules:
        if acl.default_action == "Block":
            return Pass("no rules, and the default action blocks every request")
        return Fail(f"the web ACL has no rules: every request gets the default action {acl.default_action}")
    counting = [f"{'rule group' if r.rule_group else 'rule'} {r.name}" for r in acl.rules if r.action == "Count"]
    if counting:
        return Fail(f"only counting, not blocking: {', '.join(counting)}")
    return Pass(f"{len(acl.rules)} rule(s), none in Count mode")
