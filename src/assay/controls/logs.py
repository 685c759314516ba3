"""CloudWatch Logs controls: log groups keep their events long enough and encrypt them with a KMS key."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Fail, Outcome, Pass
from assay.models.resources.logs import LogGroup

DESCRIBE = "logs:DescribeLogGroups"


@control(
    id="logs.log_group_retention_meets_minimum",
    title="CloudWatch Logs log groups keep events for at least the minimum retention period",
    severity="medium",
    needs=[DESCRIBE],
    rationale="Logs are the evidence that monitoring happened and the raw material of any investigation. "
    "An intrusion is often found weeks or months after it began, and an auditor samples events across the whole "
    "audit period, so a group that deletes events after a few days leaves nothing to examine (CC7.2, CC7.3) "
    "and cannot show that logs are retained as the retention policy promises (C1.2). Groups set to never "
    "expire pass. The minimum is a parameter, 365 days by default.",
    remediation=Remediation(
        console="CloudWatch console > Logs > Log groups > select the group > Actions > Edit retention setting > "
        "choose at least 1 year (or Never expire) > Save.",
        cli="aws logs put-retention-policy --log-group-name <group> --retention-in-days 365",
        terraform='resource "aws_cloudwatch_log_group" "app" {\n  name              = "app"\n'
        "  retention_in_days = 365\n}",
    ),
)
def log_group_retention_meets_minimum(group: LogGroup, *, min_days: int = 365) -> Outcome:
    if group.retention_in_days is None:
        return Pass("events never expire")
    if group.retention_in_days >= min_days:
        return Pass(f"events are kept for {group.retention_in_days} days (minimum {min_days})")
    return Fail(f"events are deleted after {group.retention_in_days} days, less than the {min_days}-day minimum")


@control(
    id="logs.log_group_encrypted_with_kms",
    title="CloudWatch Logs log groups are encrypted with a KMS key",
    severity="low",
    needs=[DESCRIBE],
    rationale="CloudWatch Logs always encrypts stored events, but with a key only the service controls. "
    "Associating a customer-managed KMS key puts a separately audited permission (kms:Decrypt) between the "
    "events and anyone who can read the group, records every use of the key in CloudTrail, and lets access "
    "be cut off by disabling the key. Logs often carry request payloads, tokens and personal data, so they "
    "merit the same protection as the systems that write them (CC6.1, C1.1).",
    remediation=Remediation(
        console="KMS console: create a symmetric key whose key policy allows the principal "
        "logs.<region>.amazonaws.com to use it for this account's log groups. Then associate it with the log "
        "group (the console has no option for this; use the CLI below or your infrastructure code).",
        cli="aws logs associate-kms-key --log-group-name <group> \\\n"
        "  --kms-key-id arn:aws:kms:<region>:<account>:key/<key-id>",
        terraform='resource "aws_cloudwatch_log_group" "app" {\n  name       = "app"\n'
        "  kms_key_id = aws_kms_key.logs.arn\n}",
    ),
)
def log_group_encrypted_with_kms(group: LogGroup) -> Outcome:
    if group.kms_key_id:
        return Pass(f"encrypted with {group.kms_key_id}")
    return Fail("encrypted only with a key owned by CloudWatch Logs: no KMS key is associated")
