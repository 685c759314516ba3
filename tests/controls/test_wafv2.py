"""AWS WAF (v2) web ACL controls: pure functions over WebAcl."""

from __future__ import annotations

from typing import Any

from assay.controls import wafv2
from assay.models.findings import Status
from assay.models.resources.wafv2 import WafRule, WebAcl

ACCOUNT = "123456789012"
LOG_GROUP = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:aws-waf-logs-edge"


def acl(**over: Any) -> WebAcl:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/edge/1", id="1", account_id=ACCOUNT,
        region="us-east-1", name="edge", load_balancer_arns=[], api_gateway_stage_arns=[], default_action="Allow",
        metrics_enabled=True, rules=(WafRule(name="aws-common", rule_group=True),), log_destinations=(LOG_GROUP,))
    return WebAcl(**{**base, **over})


def test_logging() -> None:
    assert wafv2.web_acl_logging_enabled(acl()) == (Status.PASS, f"logs to {LOG_GROUP}")
    assert wafv2.web_acl_logging_enabled(acl(log_destinations=())).status is Status.FAIL
    out = wafv2.web_acl_logging_enabled(acl(log_destinations=None))
    assert out.status is Status.ERROR and "wafv2:ListLoggingConfigurations" in out.message


def test_metrics() -> None:
    assert wafv2.web_acl_metrics_enabled(acl()) == (
        Status.PASS, "the web ACL and its 1 rule(s) publish CloudWatch metrics")
    quiet = acl(metrics_enabled=False, rules=(WafRule(name="a"), WafRule(name="b", metrics_enabled=False)))
    assert wafv2.web_acl_metrics_enabled(quiet) == (
        Status.FAIL, "CloudWatch metrics are disabled for the web ACL itself, rule b")
    out = wafv2.web_acl_metrics_enabled(acl(rules=None, metrics_enabled=None))
    assert out.status is Status.ERROR and "wafv2:GetWebACL" in out.message


def test_rules_enforced() -> None:
    assert wafv2.web_acl_rules_enforced(acl()) == (Status.PASS, "1 rule(s), none in Count mode")
    counting = acl(rules=(WafRule(name="sqli", action="Block"), WafRule(name="bots", action="Count"),
                          WafRule(name="aws-common", action="Count", rule_group=True)))
    assert wafv2.web_acl_rules_enforced(counting) == (
        Status.FAIL, "only counting, not blocking: rule bots, rule group aws-common")
    assert wafv2.web_acl_rules_enforced(acl(rules=())) == (
        Status.FAIL, "the web ACL has no rules: every request gets the default action Allow")
    # an empty web ACL that blocks by default does enforce something: everything is blocked
    assert wafv2.web_acl_rules_enforced(acl(rules=(), default_action="Block")).status is Status.PASS
    assert wafv2.web_acl_rules_enforced(acl(rules=None, default_action=None)).status is Status.ERROR
