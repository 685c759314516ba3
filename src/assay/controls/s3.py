"""S3 controls, and `public_exposure`, the one reading of "is this bucket public" other controls reuse."""

from __future__ import annotations

from assay.controls.policy import grants_everyone_unconditionally
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.inventory import Inventory
from assay.models.resources.s3 import UNKNOWN_REGION, PublicAccessBlock, S3AccountPublicAccessBlock, S3Bucket

# Every read public_exposure depends on; controls that call it list these in `needs`.
PUBLIC_EXPOSURE_NEEDS = [
    "s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketPublicAccessBlock", "s3:GetBucketPolicyStatus",
    "s3:GetBucketAcl", "s3:GetBucketPolicy", "s3:GetAccountPublicAccessBlock",
]


def account_block(inv: Inventory, account_id: str) -> S3AccountPublicAccessBlock | None:
    return next((b for b in inv.of(S3AccountPublicAccessBlock) if b.account_id == account_id), None)


def _neutraliser(blocks: dict[str, PublicAccessBlock], switch: str) -> str:
    """Which levels have the switch on, e.g. "bucket-level"; "" when none has."""
    return " and ".join(f"{level}-level" for level, b in blocks.items() if getattr(b, switch))


def public_exposure(bucket: S3Bucket, account_block: S3AccountPublicAccessBlock | None) -> Outcome:
    """Fail when the bucket is public through its ACL or policy and no Block Public Access setting
    neutralises that; Error when any input was not read; Pass otherwise.

    A public ACL grant (AllUsers/AuthenticatedUsers) is neutralised by IgnorePublicAcls, a public
    policy by RestrictPublicBuckets, at bucket or account level. BlockPublicAcls and BlockPublicPolicy
    only refuse new public settings, so alone they neutralise nothing already in place. Every input
    counts as needed, so the verdict matches what the engine gives when one of these reads failed.
    """
    if bucket.region == UNKNOWN_REGION:
        return Error("public access could not be evaluated: the bucket's region was not read "
                     "(s3:GetBucketLocation), so none of its settings were")
    own = bucket.public_access_block
    acct = account_block.config if account_block is not None else None
    grants, policy, policy_public = bucket.acl_public_grants, bucket.policy, bucket.policy_is_public
    if own is None or acct is None or grants is None or policy is None or policy_public is None:
        missing = [label for label, value in (
            ("bucket public access block (s3:GetBucketPublicAccessBlock)", own),
            ("bucket ACL (s3:GetBucketAcl)", grants),
            ("bucket policy status (s3:GetBucketPolicyStatus)", policy_public),
            ("bucket policy (s3:GetBucketPolicy)", policy),
            ("account public access block (s3:GetAccountPublicAccessBlock)", acct),
        ) if value is None]
        return Error(f"public access could not be evaluated; not collected: {', '.join(missing)}")
    blocks = {"bucket": own, "account": acct}
    exposures: list[tuple[str, str, str]] = []  # (what makes it public, the switch, levels where it is on)
    if grants:
        exposures.append((f"ACL grants to {', '.join(grants)}", "IgnorePublicAcls",
                          _neutraliser(blocks, "ignore_public_acls")))
    public_statements = grants_everyone_unconditionally(policy)
    if policy_public or public_statements:
        what = "a public bucket policy" + (f" ({', '.join(public_statements)})" if public_statements else "")
        exposures.append((what, "RestrictPublicBuckets", _neutraliser(blocks, "restrict_public_buckets")))
    open_ = [what for what, _, by in exposures if not by]
    if open_:
        return Fail(f"publicly accessible through {' and '.join(open_)}; no bucket- or account-level public "
                    "access block neutralises it")
    if exposures:
        return Pass("not publicly accessible: " + "; ".join(f"{what} neutralised by {by} {switch}"
                                                            for what, switch, by in exposures))
    return Pass("not publicly accessible: no public ACL grant and no public bucket policy")


@control(
    id="s3.bucket_not_public",
    title="S3 buckets are not publicly accessible",
    severity="high",
    needs=PUBLIC_EXPOSURE_NEEDS,
    rationale="A bucket readable or writable by anyone exposes whatever it stores to the internet, and "
    "public writes let outsiders plant or destroy data. Restricting logical access to information assets "
    "to authorised users is the core of CC6.1, and keeping data from unauthorised external parties is "
    "what CC6.6 and C1.1 ask for; S3 Block Public Access gives a verifiable guardrail for both.",
    remediation=Remediation(
        console="S3 console > the bucket > Permissions: under 'Block public access (bucket settings)' choose "
        "Edit and turn on all four settings; remove AllUsers/AuthenticatedUsers grants from the ACL and any "
        "bucket-policy statement whose Principal is \"*\" without a restricting condition. To protect every "
        "bucket at once, use 'Block Public Access settings for this account' in the S3 console menu.",
        cli="aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true\n"
        "# or for the whole account:\n"
        "aws s3control put-public-access-block --account-id <account-id> --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        terraform='resource "aws_s3_bucket_public_access_block" "example" {\n'
        "  bucket                  = aws_s3_bucket.example.id\n"
        "  block_public_acls       = true\n  ignore_public_acls      = true\n"
        "  block_public_policy     = true\n  restrict_public_buckets = true\n}\n"
        '# account-wide: resource "aws_s3_account_public_access_block" with the same four arguments',
    ),
)
def bucket_not_public(bucket: S3Bucket, inv: Inventory) -> Outcome:
    return public_exposure(bucket, account_block(inv, bucket.account_id))
