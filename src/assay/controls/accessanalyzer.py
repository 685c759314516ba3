"""IAM Access Analyzer controls: an external-access analyzer in every region, and no open findings."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.accessanalyzer import AccessAnalyzerRegion

LIST_ANALYZERS = "access-analyzer:ListAnalyzers"
LIST_FINDINGS = "access-analyzer:ListFindings"


@control(
    id="accessanalyzer.enabled_in_region",
    title="IAM Access Analyzer has an active external-access analyzer in every scanned region",
    severity="medium",
    needs=[LIST_ANALYZERS],
    rationale="Access Analyzer reads resource policies (S3 buckets, KMS keys, IAM role trusts, queues, "
    "secrets, snapshots...) and reports every one that lets someone outside the account or organisation in. "
    "It is the continuous check that access granted by policy matches what the organisation intended "
    "(CC6.1, CC6.3), and it turns an accidental public share into a finding someone can act on (CC7.1). "
    "Analyzers are regional, so a region without one is a region where such grants go unnoticed.",
    remediation=Remediation(
        console="IAM console > Access analyzer > switch to the region > Create analyzer > Finding type: External "
        "access; Zone of trust: current account (or the organisation, from the management or delegated "
        "administrator account) > Create analyzer.",
        cli="aws accessanalyzer create-analyzer --region <region> --analyzer-name external-access --type ACCOUNT",
        terraform='resource "aws_accessanalyzer_analyzer" "external" {\n  analyzer_name = "external-access"\n'
        '  type          = "ACCOUNT"  # or "ORGANIZATION" from the delegated administrator\n}\n'
        "# one per region, e.g. with a provider alias per region",
    ),
)
def enabled_in_region(analyzer: AccessAnalyzerRegion) -> Outcome:
    if analyzer.analyzer_name is None:
        others = f" (present but not counted: {', '.join(analyzer.others)})" if analyzer.others else ""
        return Fail(f"no active external-access analyzer in {analyzer.region}{others}")
    kind = (analyzer.analyzer_type or "").lower()
    return Pass(f"analyzer {analyzer.analyzer_name} ({kind} zone of trust) is active in {analyzer.region}")


@control(
    id="accessanalyzer.no_active_external_findings",
    title="IAM Access Analyzer has no unresolved findings of public or cross-account access",
    severity="high",
    needs=[LIST_ANALYZERS, LIST_FINDINGS],
    rationale="An active Access Analyzer finding is a resource whose policy grants access to the public or to "
    "another account, and that nobody has yet removed or archived as intended. Each one is either a data "
    "exposure (C1.1, CC6.1) or an unreviewed trust relationship (CC6.3); leaving them open means the "
    "organisation's detection works but its response does not (CC7.3, CC7.4).",
    remediation=Remediation(
        console="IAM console > Access analyzer > the region > Findings (Active) > open each finding: if the "
        "access is not intended, change the resource's policy (the finding links to it) and choose Rescan; "
        "if it is intended, Archive it, or create an archive rule for that known partner account.",
        cli="aws accessanalyzer list-findings --region <region> --analyzer-arn <analyzer-arn> "
        "--filter '{\"status\": {\"eq\": [\"ACTIVE\"]}}'\n"
        "# intended access: archive it\naws accessanalyzer update-findings --region <region> --analyzer-arn "
        "<analyzer-arn> --ids <finding-id> --status ARCHIVED\n"
        "# or fix the resource policy, then\naws accessanalyzer start-resource-scan --analyzer-arn <analyzer-arn> "
        "--resource-arn <resource-arn>",
        terraform='# intended, recurring access: an archive rule\nresource "aws_accessanalyzer_archive_rule" '
        '"partner" {\n  analyzer_name = aws_accessanalyzer_analyzer.external.analyzer_name\n'
        '  rule_name     = "partner-account"\n  filter {\n    criteria = "principal.AWS"\n'
        '    eq       = ["<partner-account-id>"]\n  }\n}\n'
        "# unintended access: fix the resource's policy in its own resource block",
    ),
)
def no_active_external_findings(analyzer: AccessAnalyzerRegion) -> Outcome:
    if analyzer.analyzer_name is None:
        return Skip(f"no external-access analyzer in {analyzer.region}, so no findings exist to review "
                    "(accessanalyzer.enabled_in_region fails there)")
    if analyzer.active_findings is None or analyzer.public_findings is None:
        return Error(f"findings of analyzer {analyzer.analyzer_name} were not listed")
    if analyzer.active_findings == 0:
        return Pass(f"analyzer {analyzer.analyzer_name} has no active findings")
    shown = "; ".join(f"{f.resource} ({'public' if f.public else 'cross-account'})" for f in analyzer.sample[:5])
    more = f" (+{analyzer.active_findings - 5} more)" if analyzer.active_findings > 5 else ""
    return Fail(f"{analyzer.active_findings} active finding(s), {analyzer.public_findings} public: {shown}{more}")
