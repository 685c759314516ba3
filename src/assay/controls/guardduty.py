"""GuardDuty controls: threat detection switched on in every region."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
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
