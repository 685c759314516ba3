"""Security Hub controls: the hub is on in every scanned region and runs at least one standard."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.securityhub import SecurityHubHub


def _standard(arn: str) -> str:
    """".../standards/<name>/v/<version>" -> "<name>"; an ARN of another shape as it is."""
    parts = arn.rsplit("/", 3)
    return parts[-3] if len(parts) == 4 else arn


@control(
    id="securityhub.enabled_with_standards",
    title="Security Hub is enabled in every scanned region with at least one security standard",
    severity="medium",
    needs=["securityhub:DescribeHub", "securityhub:GetEnabledStandards"],
    rationale="Security Hub gathers the findings of GuardDuty, Inspector, Macie, Access Analyzer and Config "
    "into one place and checks the account continuously against a security standard. That gives the security "
    "team one queue to monitor and triage (CC7.2, CC7.3) and a running measure of configuration against a "
    "baseline (CC7.1, CC4.1). A hub with no standard enabled only collects other services' findings and "
    "checks nothing itself.",
    remediation=Remediation(
        console="Security Hub console > switch to the region > Go to Security Hub > Enable Security Hub with "
        "'AWS Foundational Security Best Practices' ticked; on an existing hub: Security standards > "
        "the standard > Enable.",
        cli="aws securityhub enable-security-hub --region <region> --enable-default-standards\n"
        "# an existing hub without standards:\naws securityhub batch-enable-standards --region <region> "
        "--standards-subscription-requests StandardsArn=arn:aws:securityhub:<region>::standards/"
        "aws-foundational-security-best-practices/v/1.0.0",
        terraform='resource "aws_securityhub_account" "main" {}\n'
        'resource "aws_securityhub_standards_subscription" "fsbp" {\n'
        '  standards_arn = "arn:aws:securityhub:${var.region}::standards/aws-foundational-security-best-'
        'practices/v/1.0.0"\n  depends_on    = [aws_securityhub_account.main]\n}',
    ),
)
def enabled_with_standards(hub: SecurityHubHub) -> Outcome:
    if not hub.enabled:
        return Fail(f"Security Hub is not enabled in {hub.region}")
    if hub.standards is None:
        return Error(f"the standards of the hub in {hub.region} were not read")
    running = hub.running_standards
    if not running:
        states = ", ".join(f"{_standard(arn)} {status.lower()}" for arn, status in hub.standards.items())
        return Fail(f"Security Hub in {hub.region} runs no security standard" + (f" ({states})" if states else ""))
    return Pass(f"Security Hub in {hub.region} runs {', '.join(running)}")
