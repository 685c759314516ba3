"""Route 53 controls: DNS query logging on public zones."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.route53 import Route53HostedZone


@control(
    id="route53.public_zone_query_logging",
    title="Public Route 53 hosted zones log DNS queries to CloudWatch Logs",
    severity="low",
    needs=["route53:ListHostedZones", "route53:ListQueryLoggingConfigs"],
    rationale="DNS query logs show which names of a public domain are being resolved, from where and how often: "
    "the evidence for spotting reconnaissance, subdomain takeover attempts, DNS-based abuse and resolution "
    "failures that make a service unavailable (A1.2, CC7.2).",
    remediation=Remediation(
        console="Route 53 console > Hosted zones > the public zone > Configure query logging > choose or create a "
        "log group in us-east-1 (named /aws/route53/<zone>), grant Route 53 permission to write > Create.",
        cli="aws route53 create-query-logging-config --hosted-zone-id <zone-id> "
        "--cloud-watch-logs-log-group-arn arn:aws:logs:us-east-1:<account>:log-group:/aws/route53/<zone>",
        terraform='resource "aws_route53_query_log" "public" {\n'
        '  zone_id                  = aws_route53_zone.public.zone_id\n'
        '  cloudwatch_log_group_arn = aws_cloudwatch_log_group.dns.arn # in us-east-1\n}',
    ),
)
def public_zone_query_logging(zone: Route53HostedZone) -> Outcome:
    if zone.private:
        return Skip("private hosted zone: query logging applies to public zones (use Resolver query logs)")
    if zone.query_log_groups is None:
        return Error("query logging configurations were not read")
    if zone.query_log_groups:
        return Pass(f"DNS queries are logged to {', '.join(zone.query_log_groups)}")
    return Fail(f"public zone {zone.display_name} has no query logging configuration")
