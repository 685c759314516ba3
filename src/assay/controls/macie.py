"""Amazon Macie controls: sensitive-data discovery runs wherever S3 holds data."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.macie2 import MacieSession
from assay.models.resources.s3 import UNKNOWN_REGION, S3Bucket


@control(
    id="macie.enabled_where_s3_holds_data",
    title="Amazon Macie is enabled in every region that has S3 buckets",
    severity="medium",
    needs=["macie2:GetMacieSession", "s3:ListAllMyBuckets"],
    rationale="Confidentiality commitments can only be kept for data the entity knows it holds. Macie "
    "inventories S3 buckets and discovers personal data, credentials and other sensitive content in them, "
    "and flags buckets that are public, shared or unencrypted, which is how confidential information is "
    "identified and its protection verified (C1.1) and how stored data is brought under access controls "
    "(CC6.1). A region whose buckets Macie does not watch can accumulate sensitive data nobody classified. "
    "Regions without buckets have nothing for Macie to examine and are not applicable.",
    remediation=Remediation(
        console="Amazon Macie console > switch to the bucket's region > Get started > Enable Macie; on a paused "
        "account: Settings > Suspend or re-enable > Enable Macie. Then configure automated sensitive data "
        "discovery or a discovery job for the buckets.",
        cli="aws macie2 enable-macie --region <region> --status ENABLED\n"
        "# a paused account:\naws macie2 update-macie-session --region <region> --status ENABLED",
        terraform='resource "aws_macie2_account" "main" {\n  status = "ENABLED"\n}',
    ),
)
def enabled_where_s3_holds_data(session: MacieSession, inv: Inventory) -> Outcome:
    here = sorted(b.display_name for b in inv.in_account(S3Bucket, session.account_id, session.region))
    if session.status == "ENABLED":
        return Pass(f"Macie is enabled in {session.region}" + (f" ({len(here)} bucket(s))" if here else ""))
    state = f"Macie is {session.status.lower()}" if session.status else "Macie is not enabled"
    if here:
        shown = ", ".join(here[:5]) + (f" (+{len(here) - 5} more)" if len(here) > 5 else "")
        return Fail(f"{state} in {session.region}, which holds {len(here)} bucket(s): {shown}")
    unplaced = sorted(b.display_name for b in inv.in_account(S3Bucket, session.account_id, UNKNOWN_REGION))
    if unplaced:  # a bucket whose region could not be read may be here
        return Error(f"{state} in {session.region}, and the region of bucket(s) {', '.join(unplaced[:5])} "
                     "was not read")
    return Skip(f"{session.region} holds no S3 bucket")
