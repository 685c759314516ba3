"""AWS WAF Classic controls: leftover Classic web ACLs log their traffic, and none are left unmigrated.

WAF Classic reached end of support on 30 September 2025. Its web ACLs still filter traffic until they
are migrated to AWS WAF (v2), whose web ACLs controls/wafv2.py judges.
"""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.base import GLOBAL, Account
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.inventory import Inventory
from assay.models.resources.waf_classic import ClassicWebAcl, WafClassicWebAcl, WafRegionalWebAcl

LOGGING_RATIONALE = (
    "WAF logs record every request a web ACL inspected, the rule that matched and the action taken. Without "
    "them attacks the web ACL blocked, and requests it let through, cannot be reviewed or investigated "
    "(CC7.2, CC7.3). A WAF Classic web ACL logs to a Kinesis Data Firehose stream whose name starts with "
    "aws-waf-logs-. It is judged as long as it exists, although it should be migrated to AWS WAF "
    "(waf_classic.web_acls_migrated), whose logging wafv2.web_acl_logging_enabled checks."
)


def _logging(acl: ClassicWebAcl) -> Outcome:
    if acl.log_destinations is None:
        return Error("the web ACL's logging configuration was not read")
    if acl.log_destinations:
        return Pass(f"requests are logged to {', '.join(acl.log_destinations)}")
    return Fail("the WAF Classic web ACL does not log the requests it inspects")


@control(
    id="waf_classic.web_acl_logging_enabled",
    title="Global AWS WAF Classic web ACLs (CloudFront) log the requests they inspect",
    severity="medium",
    needs=["waf:ListWebACLs", "waf:ListLoggingConfigurations"],
    rationale=LOGGING_RATIONALE,
    remediation=Remediation(
        console="AWS WAF console > Switch to AWS WAF Classic > Filter: Global (CloudFront) > Web ACLs > the web "
        "ACL > Logging > Enable logging > choose a Kinesis Data Firehose stream named aws-waf-logs-... > Create; "
        "better, migrate the web ACL to AWS WAF and turn logging on there.",
        cli="aws waf put-logging-configuration --logging-configuration "
        "ResourceArn=arn:aws:waf::<account>:webacl/<web-acl-id>,"
        "LogDestinationConfigs=arn:aws:firehose:us-east-1:<account>:deliverystream/aws-waf-logs-<name>",
        terraform='resource "aws_waf_web_acl" "edge" {\n  # ...\n  logging_configuration {\n'
        "    log_destination = aws_kinesis_firehose_delivery_stream.waf.arn\n  }\n}",
    ),
)
def web_acl_logging_enabled(acl: WafClassicWebAcl) -> Outcome:
    return _logging(acl)


@control(
    id="waf_classic.regional_web_acl_logging_enabled",
    title="Regional AWS WAF Classic web ACLs log the requests they inspect",
    severity="medium",
    needs=["waf-regional:ListWebACLs", "waf-regional:ListLoggingConfigurations"],
    rationale=LOGGING_RATIONALE,
    remediation=Remediation(
        console="AWS WAF console > Switch to AWS WAF Classic > Filter: the region > Web ACLs > the web ACL > "
        "Logging > Enable logging > choose a Kinesis Data Firehose stream named aws-waf-logs-... > Create; "
        "better, migrate the web ACL to AWS WAF and turn logging on there.",
        cli="aws waf-regional put-logging-configuration --region <region> --logging-configuration "
        "ResourceArn=arn:aws:waf-regional:<region>:<account>:webacl/<web-acl-id>,"
        "LogDestinationConfigs=arn:aws:firehose:<region>:<account>:deliverystream/aws-waf-logs-<name>",
        terraform='resource "aws_wafregional_web_acl" "app" {\n  # ...\n  logging_configuration {\n'
        "    log_destination = aws_kinesis_firehose_delivery_stream.waf.arn\n  }\n}",
    ),
)
def regional_web_acl_logging_enabled(acl: WafRegionalWebAcl) -> Outcome:
    return _logging(acl)


@control(
    id="waf_classic.web_acls_migrated",
    title="No AWS WAF Classic web ACLs remain: all are migrated to AWS WAF",
    severity="low",
    needs=["waf:ListWebACLs", "waf-regional:ListWebACLs"],
    rationale="AWS WAF Classic reached end of support on 30 September 2025: it receives no new features, and "
    "its rules lack what AWS WAF (v2) offers, such as managed rule groups kept current against new threats, "
    "bot control and finer rate limits. A web ACL left on Classic protects with rules that are no longer "
    "maintained, like a runtime past its support date (CC7.1). The account passes when no Classic web ACL "
    "remains, globally or in any scanned region.",
    remediation=Remediation(
        console="AWS WAF console > Switch to AWS WAF Classic > Web ACLs > the web ACL > Migrate web ACL: choose "
        "an S3 bucket for the migration template, deploy the CloudFormation stack it creates, move the "
        "protected resources to the new web ACL, then delete the Classic one.",
        cli="aws wafv2 create-web-acl --name <name> --scope REGIONAL --default-action Allow={} "
        "--visibility-config SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=<name> "
        "--rules file://rules.json\naws waf-regional delete-web-acl --web-acl-id <id> --change-token <token>",
        terraform='resource "aws_wafv2_web_acl" "app" {\n  name  = "app"\n  scope = "REGIONAL"\n'
        "  default_action {\n    allow {}\n  }\n  # rules, visibility_config ...\n}",
    ),
)
def web_acls_migrated(account: Account, inv: Inventory) -> Outcome:
    left = sorted(
        f"{acl.display_name} ({'CloudFront' if acl.region == GLOBAL else acl.region})"
        for kind in (WafClassicWebAcl, WafRegionalWebAcl)
        for acl in inv.in_account(kind, account.account_id)
    )
    if not left:
        return Pass("no AWS WAF Classic web ACL remains")
    more = f" (+{len(left) - 3} more)" if len(left) > 3 else ""
    return Fail(f"{len(left)} AWS WAF Classic web ACL(s) still to migrate: {', '.join(left[:3])}{more}")
