"""KMS controls: key rotation, key policies, keys scheduled for deletion."""

from __future__ import annotations

from assay.controls.policy import grants_everyone_unconditionally
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.kms import KmsKey


def _customer_symmetric(key: KmsKey) -> bool:
    return key.manager == "CUSTOMER" and key.spec == "SYMMETRIC_DEFAULT" and key.origin == "AWS_KMS"


@control(
    id="kms.key_rotation_enabled",
    title="Customer-managed symmetric KMS keys rotate automatically",
    severity="medium",
    needs=["kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus"],
    rationale="Automatic rotation limits the amount of data protected by one key version and how long "
    "a compromised key version stays useful, as key management under CC6.1 expects.",
    remediation=Remediation(
        console="KMS console > Customer managed keys > select the key > Key rotation tab > check "
        "'Automatically rotate this KMS key every year' > Save.",
        cli="aws kms enable-key-rotation --key-id <key-id>",
        terraform='resource "aws_kms_key" "example" {\n  enable_key_rotation = true\n}',
    ),
)
def key_rotation_enabled(key: KmsKey) -> Outcome:
    if not _customer_symmetric(key):
        return Skip(f"automatic rotation applies to customer-managed symmetric keys ({key.manager}, {key.spec})")
    if key.state in ("PendingDeletion", "PendingReplicaDeletion"):
        return Skip("key is scheduled for deletion")
    if key.rotation_enabled is None:
        return Error("rotation status was not collected")
    return Pass("automatic rotation is enabled") if key.rotation_enabled else Fail("automatic rotation is disabled")


@control(
    id="kms.key_policy_not_public",
    title="No KMS key policy grants access to everyone without a condition",
    severity="critical",
    needs=["kms:ListKeys", "kms:DescribeKey", "kms:GetKeyPolicy"],
    rationale="A key policy that allows Principal '*' without conditions lets any AWS account use or "
    "manage the key, defeating encryption at rest as an access boundary (CC6.1).",
    remediation=Remediation(
        console="KMS console > the key > Key policy > Edit: replace Principal \"*\" with the account root "
        "or specific roles, or add a Condition such as aws:PrincipalOrgID.",
        cli="aws kms get-key-policy --key-id <key-id> --policy-name default --output text > policy.json\n"
        "# edit policy.json to remove the public statement, then:\n"
        "aws kms put-key-policy --key-id <key-id> --policy-name default --policy file://policy.json",
        terraform='resource "aws_kms_key" "example" {\n  policy = data.aws_iam_policy_document.key.json\n'
        '  # principals limited to this account or named roles; no "*" without a condition\n}',
    ),
)
def key_policy_not_public(key: KmsKey) -> Outcome:
    if key.manager != "CUSTOMER":
        return Skip("AWS-managed keys have policies AWS controls")
    if key.policy is None:
        return Error("key policy was not collected")
    public = grants_everyone_unconditionally(key.policy)
    if public:
        return Fail(f"key policy allows everyone without a condition: {', '.join(public)}")
    return Pass("key policy grants no unconditional public access")


@control(
    id="kms.key_not_pending_deletion",
    title="No customer-managed KMS key is scheduled for deletion unnoticed",
    severity="medium",
    needs=["kms:ListKeys", "kms:DescribeKey"],
    rationale="Deleting a KMS key makes everything encrypted under it unrecoverable; a scheduled deletion "
    "must be a reviewed decision, so it is reported for confirmation (CC6.1).",
    remediation=Remediation(
        console="KMS console > Customer managed keys > the key > Key actions > Cancel key deletion "
        "(then re-enable the key) if the deletion was not intended.",
        cli="aws kms cancel-key-deletion --key-id <key-id>\naws kms enable-key --key-id <key-id>",
        terraform='# Keep the key in configuration; "terraform plan" shows a planned destroy of\n'
        '# aws_kms_key before it happens. Set deletion_window_in_days = 30 for the longest grace period.',
    ),
)
def key_not_pending_deletion(key: KmsKey) -> Outcome:
    if key.manager != "CUSTOMER":
        return Skip("AWS-managed key")
    if key.state in ("PendingDeletion", "PendingReplicaDeletion"):
        return Fail(f"key is scheduled for deletion on {key.deletion_date or 'an unknown date'}")
    return Pass(f"key is not scheduled for deletion (state {key.state})")
