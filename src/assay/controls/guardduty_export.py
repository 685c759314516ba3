"""GuardDuty control on keeping the record of detected threats: findings exported beyond GuardDuty's own
90-day retention."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.guardduty import GuardDutyDetector


@control(
    id="guardduty.findings_exported",
    title="GuardDuty detectors export their findings to S3",
    severity="low",
    needs=["guardduty:ListDetectors", "guardduty:GetDetector", "guardduty:ListPublishingDestinations"],
    rationale="GuardDuty deletes findings 90 days after they were last updated. Its detections of credential "
    "misuse and data exfiltration are the evidence an investigation, a breach assessment or an auditor asks "
    "for months later; exporting them to an S3 bucket keeps a complete record for as long as the bucket's "
    "retention says. That is the record of detected security events to evaluate (CC7.3) and of detected "
    "unauthorised access to data, personal data included (P6.3).",
    remediation=Remediation(
        console="GuardDuty console > the region > Settings > Findings export options > S3 bucket > Configure "
        "now: choose or create a bucket and a KMS key (the console shows the bucket and key policies to add) "
        "> Save. Repeat in every region with a detector, or export from the delegated administrator.",
        cli="aws guardduty create-publishing-destination --detector-id <detector-id> --destination-type S3 "
        "--destination-properties DestinationArn=arn:aws:s3:::<bucket>,KmsKeyArn=<kms-key-arn>",
        terraform='resource "aws_guardduty_publishing_destination" "s3" {\n'
        "  detector_id     = aws_guardduty_detector.main.id\n"
        "  destination_arn = aws_s3_bucket.findings.arn\n  kms_key_arn     = aws_kms_key.findings.arn\n}",
    ),
)
def findings_exported(detector: GuardDutyDetector) -> Outcome:
    if detector.detector_id is None:
        return Skip(f"no GuardDuty detector in {detector.region} (guardduty.enabled_in_region fails there)")
    if detector.status is not None and detector.status != "ENABLED":
        return Skip(f"detector {detector.detector_id} is suspended and produces no findings "
                    "(guardduty.enabled_in_region fails it)")
    if detector.publishing_destinations is None:
        return Error(f"the publishing destinations of detector {detector.detector_id} were not read")
    publishing = [d for d in detector.publishing_destinations if d.status == "PUBLISHING"]
    if publishing:
        return Pass(f"findings are exported to {publishing[0].destination_type} ({publishing[0].id})")
    if detector.publishing_destinations:
        states = ", ".join(f"{d.id} {d.status.lower()}" for d in detector.publishing_destinations)
        return Fail(f"no export destination is publishing: {states}")
    return Fail(f"detector {detector.detector_id} exports no findings: they are deleted after 90 days")
