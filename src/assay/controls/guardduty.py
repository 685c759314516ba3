"""GuardDuty controls: threat detection switched on in every region, and its serious findings dealt with."""

from __future__ import annotations

from datetime import datetime

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.guardduty import GuardDutyDetector


@control(
    id="guardduty.enabled_in_region",
    title="GuardDuty has an enabled detector in every scanned region",
    severity="high",
    needs=["guardduty:ListDetectors", "guardduty:GetDetector"],
    rationale="GuardDuty watches CloudTrail management events, VPC flow logs and DNS queries for signs of "
    "compromise such as stolen credentials being used, crypto-mining, or instances talking to known "
    "malicious hosts. SOC 2 expects the organisation to detect anomalies and malicious activity (CC7.2, "
    "CC6.8) and to have the means to identify security events before they become incidents (CC7.1). "
    "Attackers favour regions nobody looks at, so detection only counts if every region is covered, "
    "including those where no workload is expected.",
    remediation=Remediation(
        console="GuardDuty console > switch to the region named in the finding > Get started > Enable "
        "GuardDuty. For a suspended detector: Settings > General > Re-enable GuardDuty. In an AWS "
        "Organization, the delegated administrator can enable it for all member accounts at once.",
        cli="# no detector in the region:\naws guardduty create-detector --enable --region <region>\n"
        "# a suspended detector:\naws guardduty update-detector --detector-id <detector-id> --enable "
        "--region <region>",
        terraform='# one per region, e.g. with a provider alias per region\n'
        'resource "aws_guardduty_detector" "main" {\n  provider = aws.eu_west_1\n  enable   = true\n}',
    ),
)
def enabled_in_region(detector: GuardDutyDetector) -> Outcome:
    if detector.detector_id is None:
        return Fail(f"no GuardDuty detector exists in {detector.region}")
    if detector.status is None:
        return Error(f"status of detector {detector.detector_id} was not read")
    if detector.status == "ENABLED":
        frequency = detector.finding_publishing_frequency or "unknown"
        return Pass(f"detector {detector.detector_id} is enabled in {detector.region} "
                    f"(findings published every {frequency.lower().replace('_', ' ')})")
    return Fail(f"detector {detector.detector_id} in {detector.region} is {detector.status.lower()} (suspended)")


@control(
    id="guardduty.high_findings_addressed",
    title="No high-severity GuardDuty finding stays unarchived longer than the response period",
    severity="high",
    needs=["guardduty:ListDetectors", "guardduty:ListFindings", "guardduty:GetFindings"],
    rationale="Detection only helps if someone responds. A high or critical GuardDuty finding (severity 7 "
    "and above) means a resource is likely compromised or being attacked; SOC 2 expects security events "
    "to be evaluated (CC7.3) and responded to within a defined time (CC7.4). A finding left unarchived for "
    "more than the response period shows that the incident process did not pick it up. Archiving after "
    "triage, or a suppression rule for known benign activity, is how a handled finding is closed.",
    remediation=Remediation(
        console="GuardDuty console > the region > Findings > filter Severity: High and Critical, Current > "
        "open each finding, investigate the affected resource (isolate or rotate credentials as needed), "
        "then Actions > Archive. Recurring benign findings: Actions > Suppress findings to create a rule.",
        cli="aws guardduty list-findings --detector-id <detector-id> --region <region> --finding-criteria "
        "'{\"Criterion\": {\"severity\": {\"GreaterThanOrEqual\": 7}, \"service.archived\": "
        "{\"Equals\": [\"false\"]}}}'\n"
        "aws guardduty archive-findings --detector-id <detector-id> --region <region> --finding-ids <id> ...",
        terraform="# Findings are handled by people, not Terraform. Known benign patterns become suppression "
        'rules:\nresource "aws_guardduty_filter" "benign_scanner" {\n  detector_id = aws_guardduty_detector.main.id\n'
        '  name        = "internal-vulnerability-scanner"\n  action      = "ARCHIVE"\n  rank        = 1\n'
        '  finding_criteria {\n    criterion {\n      field  = "type"\n'
        '      equals = ["Recon:EC2/Portscan"]\n    }\n  }\n}',
    ),
)
def high_findings_addressed(detector: GuardDutyDetector, now: datetime, *, max_open_days: int = 7) -> Outcome:
    if detector.detector_id is None:
        return Skip(f"no GuardDuty detector in {detector.region}, so no findings (guardduty.enabled_in_region "
                    "fails there)")
    if detector.open_high_findings is None:
        return Error(f"findings of detector {detector.detector_id} were not listed")
    if detector.open_high_findings == 0:
        return Pass("no unarchived finding of high or critical severity")
    if detector.oldest_high_findings is None:
        return Error(f"{detector.open_high_findings} open high-severity finding(s), but their dates were not read")
    ages = [((now - f.created_at).days, f) for f in detector.oldest_high_findings if f.created_at is not None]
    late = [(days, f) for days, f in ages if days > max_open_days]
    if late:
        days, oldest = late[0]
        more = "" if len(late) == 1 else f"; {len(late)} of the oldest {len(ages)} are over the limit"
        return Fail(f"{detector.open_high_findings} high-severity finding(s) unarchived; oldest {oldest.finding_type} "
                    f"(severity {oldest.severity:g}) has been open {days} days (limit {max_open_days}){more}")
    if len(ages) < len(detector.oldest_high_findings):
        return Error("some open high-severity findings have no creation date")
    return Pass(f"{detector.open_high_findings} high-severity finding(s) open, all within {max_open_days} days")
