"""S3 controls, and `public_exposure`, the one reading of "is this bucket public" other controls reuse.

Every bucket control needs ListAllMyBuckets and GetBucketLocation besides its own read: a bucket whose
region was not read has none of its settings read either.
"""

from __future__ import annotations

import re
from typing import Any

from assay.controls.policy import as_list, grants_everyone_unconditionally, principal_is_everyone, statements
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.s3 import UNKNOWN_REGION, PublicAccessBlock, S3AccountPublicAccessBlock, S3Bucket

# Every read public_exposure depends on; controls that call it list these in `needs`.
PUBLIC_EXPOSURE_NEEDS = [
    "s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketPublicAccessBlock", "s3:GetBucketPolicyStatus",
    "s3:GetBucketAcl", "s3:GetBucketPolicy", "s3:GetAccountPublicAccessBlock",
]


def account_block(inv: Inventory, account_id: str) -> S3AccountPublicAccessBlock | None:
    return next(iter(inv.in_account(S3AccountPublicAccessBlock, account_id)), None)


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


# ---------------------------------------------------------------------------------------------------------
# Data protection: Block Public Access guardrails, TLS, encryption, recoverability, retention, monitoring.

LIST = ["s3:ListAllMyBuckets", "s3:GetBucketLocation"]  # every bucket control depends on these two reads
_SWITCHES = (("block_public_acls", "BlockPublicAcls"), ("ignore_public_acls", "IgnorePublicAcls"),
             ("block_public_policy", "BlockPublicPolicy"), ("restrict_public_buckets", "RestrictPublicBuckets"))
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def _not_read(what: str, action: str) -> Outcome:
    return Error(f"{what} was not collected ({action})")


@control(
    id="s3.account_public_access_block_enabled",
    title="S3 Block Public Access is fully enabled for the account",
    severity="high",
    needs=["s3:GetAccountPublicAccessBlock"],
    rationale="The account-level Block Public Access settings override every bucket's ACLs and policies, so "
    "one mistaken grant on one bucket cannot publish data. With all four switches on, public access to S3 is "
    "prevented by a single, auditable guardrail rather than by the care taken on each bucket, which is the kind "
    "of boundary protection CC6.1 and CC6.6 ask for.",
    remediation=Remediation(
        console="S3 console > 'Block Public Access settings for this account' (left menu) > Edit: tick 'Block all "
        "public access' > Save changes, and confirm. Buckets that must serve public content should do so through "
        "CloudFront with origin access control instead.",
        cli="aws s3control put-public-access-block --account-id <account-id> --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        terraform='resource "aws_s3_account_public_access_block" "this" {\n  block_public_acls       = true\n'
        "  ignore_public_acls      = true\n  block_public_policy     = true\n  restrict_public_buckets = true\n}",
    ),
)
def account_public_access_block_enabled(block: S3AccountPublicAccessBlock) -> Outcome:
    if block.config is None:
        return _not_read("the account's public access block", "s3:GetAccountPublicAccessBlock")
    off = [label for field, label in _SWITCHES if not getattr(block.config, field)]
    if off:
        return Fail(f"account-level Block Public Access is not fully on: {', '.join(off)} off")
    return Pass("all four account-level Block Public Access settings are on")


@control(
    id="s3.bucket_public_access_block_enabled",
    title="Every S3 Block Public Access setting is on for each bucket, at bucket or account level",
    severity="medium",
    needs=[*LIST, "s3:GetBucketPublicAccessBlock", "s3:GetAccountPublicAccessBlock"],
    rationale="A bucket that is private today can be opened tomorrow by one ACL or policy change. When all four "
    "Block Public Access settings apply to it (set on the bucket or inherited from the account), such a change "
    "is refused or ignored, which keeps confidential data inside its intended boundary (CC6.1, CC6.6, C1.1).",
    remediation=Remediation(
        console="S3 console > the bucket > Permissions > 'Block public access (bucket settings)' > Edit: tick "
        "'Block all public access' > Save changes. Or enable the same settings once for the whole account.",
        cli="aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        terraform='resource "aws_s3_bucket_public_access_block" "this" {\n  bucket                  = '
        "aws_s3_bucket.this.id\n  block_public_acls       = true\n  ignore_public_acls      = true\n"
        "  block_public_policy     = true\n  restrict_public_buckets = true\n}",
    ),
)
def bucket_public_access_block_enabled(bucket: S3Bucket, inv: Inventory) -> Outcome:
    acct = account_block(inv, bucket.account_id)
    if bucket.public_access_block is None:
        return _not_read("the bucket's public access block", "s3:GetBucketPublicAccessBlock")
    if acct is None or acct.config is None:
        return _not_read("the account's public access block", "s3:GetAccountPublicAccessBlock")
    own, shared = bucket.public_access_block, acct.config
    off = [label for field, label in _SWITCHES if not (getattr(own, field) or getattr(shared, field))]
    if off:
        return Fail(f"off at both bucket and account level: {', '.join(off)}")
    source = "bucket level" if own.all_enabled else "account level" if shared.all_enabled else \
        "bucket and account levels combined"
    return Pass(f"all four Block Public Access settings apply (set at {source})")


def _covers_all_s3_actions(statement: dict[str, Any]) -> bool:
    return any(str(a).lower() in ("*", "s3:*") for a in as_list(statement.get("Action")))


def _covers_objects(statement: dict[str, Any], bucket: str) -> bool:
    pattern = re.compile(rf"^arn:[^:]+:s3:::{re.escape(bucket.lower())}(/\*|\*)$")
    return any(r == "*" or pattern.match(str(r).lower()) for r in as_list(statement.get("Resource")))


def _denies_plain_http(statement: dict[str, Any]) -> bool:
    """aws:SecureTransport false, or s3:TlsVersion below 1.2 where an absent version (plain HTTP) also matches.

    A bare NumericLessThan on s3:TlsVersion does not count: HTTP requests carry no TLS version, so the
    condition never matches them and they are not denied.
    """
    for operator, keys in (statement.get("Condition") or {}).items():
        op = str(operator).lower()
        for key, value in (keys or {}).items():
            values = [str(v).lower() for v in as_list(value)]
            if key.lower() == "aws:securetransport" and op in ("bool", "boolifexists") and "false" in values:
                return True
            if key.lower() == "s3:tlsversion" and op == "numericlessthanifexists":
                return any(_number(v) >= 1.2 for v in values)
    return False


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


@control(
    id="s3.bucket_tls_required",
    title="S3 bucket policies deny requests that do not use TLS",
    severity="medium",
    needs=[*LIST, "s3:GetBucketPolicy"],
    rationale="S3 accepts plain HTTP unless the bucket policy refuses it. A Deny on aws:SecureTransport = false "
    "guarantees that objects and credentials never cross a network unencrypted, whatever client or SDK "
    "setting is used, which is how CC6.7 expects data in transit to be protected.",
    remediation=Remediation(
        console="S3 console > the bucket > Permissions > Bucket policy > Edit: add a statement with Effect Deny, "
        "Principal \"*\", Action \"s3:*\", Resource the bucket ARN and the bucket ARN followed by /*, and the "
        "condition Bool aws:SecureTransport = false. Save.",
        cli="aws s3api get-bucket-policy --bucket <bucket> --query Policy --output text > policy.json\n"
        "# add: {\"Sid\":\"DenyPlainHttp\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\n"
        "#   \"Resource\":[\"arn:aws:s3:::<bucket>\",\"arn:aws:s3:::<bucket>/*\"],\n"
        "#   \"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}\n"
        "aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json",
        terraform='data "aws_iam_policy_document" "tls_only" {\n  statement {\n    sid     = "DenyPlainHttp"\n'
        '    effect  = "Deny"\n    actions = ["s3:*"]\n    resources = [aws_s3_bucket.this.arn, '
        '"${aws_s3_bucket.this.arn}/*"]\n    principals {\n      type        = "*"\n      identifiers = ["*"]\n'
        '    }\n    condition {\n      test     = "Bool"\n      variable = "aws:SecureTransport"\n'
        '      values   = ["false"]\n    }\n  }\n}\n# attach with aws_s3_bucket_policy',
    ),
)
def bucket_tls_required(bucket: S3Bucket) -> Outcome:
    if bucket.policy is None:
        return _not_read("the bucket policy", "s3:GetBucketPolicy")
    if not bucket.policy:
        return Fail("no bucket policy: requests over plain HTTP are accepted")
    for n, st in enumerate(statements(bucket.policy)):
        if st.get("Effect") == "Deny" and principal_is_everyone(st.get("Principal")) \
                and _covers_all_s3_actions(st) and _covers_objects(st, bucket.name or bucket.id) \
                and _denies_plain_http(st):
            return Pass(f"bucket policy statement {st.get('Sid') or n + 1} denies requests without TLS")
    return Fail("no bucket policy statement denies s3:* to everyone when aws:SecureTransport is false")


def _default_encryption(bucket: S3Bucket) -> Outcome | None:
    """The verdict when the default encryption is unknown or absent; None when some algorithm is set."""
    if bucket.encryption_algorithm is None:
        return _not_read("default encryption", "s3:GetEncryptionConfiguration")
    if not bucket.encryption_algorithm:
        return Fail("no default encryption is configured: new objects may be stored unencrypted")
    return None


@control(
    id="s3.bucket_default_encryption",
    title="S3 buckets encrypt new objects by default",
    severity="medium",
    needs=[*LIST, "s3:GetEncryptionConfiguration"],
    rationale="Default encryption makes every new object encrypted at rest without relying on each writer to ask "
    "for it, protecting stored data against disclosure through lost media or mishandled storage (CC6.1, C1.1). "
    "AWS applies SSE-S3 to new buckets since 2023; a bucket without any default encryption is an exception "
    "worth seeing.",
    remediation=Remediation(
        console="S3 console > the bucket > Properties > Default encryption > Edit: choose SSE-KMS (or at least "
        "SSE-S3), enable the bucket key for SSE-KMS, and save.",
        cli="aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration "
        "'{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\"},"
        "\"BucketKeyEnabled\":true}]}'",
        terraform='resource "aws_s3_bucket_server_side_encryption_configuration" "this" {\n'
        "  bucket = aws_s3_bucket.this.id\n  rule {\n    apply_server_side_encryption_by_default {\n"
        '      sse_algorithm = "aws:kms"\n    }\n    bucket_key_enabled = true\n  }\n}',
    ),
)
def bucket_default_encryption(bucket: S3Bucket) -> Outcome:
    return _default_encryption(bucket) or Pass(f"new objects are encrypted by default ({bucket.encryption_algorithm})")


@control(
    id="s3.bucket_kms_encryption",
    title="S3 buckets encrypt new objects with an AWS KMS key by default",
    severity="low",
    needs=[*LIST, "s3:GetEncryptionConfiguration"],
    rationale="With SSE-KMS, reading an object also needs permission to use the KMS key, and every use of the "
    "key is logged in CloudTrail. That second, separately managed access boundary and its audit trail are "
    "what distinguish KMS from S3-managed keys for confidential data (CC6.1, C1.1); SSE-S3 alone protects only "
    "against physical loss of storage.",
    remediation=Remediation(
        console="S3 console > the bucket > Properties > Default encryption > Edit: choose 'Server-side encryption "
        "with AWS Key Management Service keys (SSE-KMS)', pick a customer managed key, enable the bucket key, save.",
        cli="aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration "
        "'{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\","
        "\"KMSMasterKeyID\":\"<key-arn>\"},\"BucketKeyEnabled\":true}]}'",
        terraform='resource "aws_s3_bucket_server_side_encryption_configuration" "this" {\n'
        "  bucket = aws_s3_bucket.this.id\n  rule {\n    apply_server_side_encryption_by_default {\n"
        '      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_key.data.arn\n    }\n'
        "    bucket_key_enabled = true\n  }\n}",
    ),
)
def bucket_kms_encryption(bucket: S3Bucket) -> Outcome:
    verdict = _default_encryption(bucket)
    if verdict is not None:
        return verdict
    if bucket.encryption_algorithm not in KMS_ALGORITHMS:
        return Fail(f"default encryption uses {bucket.encryption_algorithm}, not an AWS KMS key")
    key = bucket.encryption_kms_key_id or "the AWS managed key aws/s3"
    return Pass(f"new objects are encrypted with {bucket.encryption_algorithm} using {key}")


@control(
    id="s3.bucket_versioning_enabled",
    title="S3 buckets keep object versions",
    severity="medium",
    needs=[*LIST, "s3:GetBucketVersioning"],
    rationale="With versioning, an overwritten or deleted object can be restored from an earlier version, so an "
    "application bug, a mistaken deletion or ransomware that rewrites objects does not destroy data. That "
    "recoverability supports recovery from incidents (CC7.4) and the availability commitments of A1.2.",
    remediation=Remediation(
        console="S3 console > the bucket > Properties > Bucket Versioning > Edit > Enable > Save changes. Add a "
        "lifecycle rule that expires noncurrent versions to bound storage cost.",
        cli="aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled",
        terraform='resource "aws_s3_bucket_versioning" "this" {\n  bucket = aws_s3_bucket.this.id\n'
        '  versioning_configuration {\n    status = "Enabled"\n  }\n}',
    ),
)
def bucket_versioning_enabled(bucket: S3Bucket) -> Outcome:
    if bucket.versioning is None:
        return _not_read("the versioning status", "s3:GetBucketVersioning")
    if bucket.versioning == "Enabled":
        return Pass("versioning is enabled")
    return Fail("versioning is suspended" if bucket.versioning == "Suspended" else "versioning was never enabled")


@control(
    id="s3.bucket_mfa_delete_enabled",
    title="Versioned S3 buckets require MFA to delete versions or change versioning",
    severity="low",
    needs=[*LIST, "s3:GetBucketVersioning"],
    rationale="MFA delete makes permanently deleting an object version, or suspending versioning, require the "
    "root user's MFA device. Stolen access keys alone then cannot erase the version history that recovery "
    "depends on (CC6.1, CC7.4). It suits buckets whose history must survive a compromised administrator.",
    remediation=Remediation(
        console="Not available in the console: the bucket owner's root user enables it with the CLI or API, "
        "presenting the root MFA device's serial number and a current code.",
        cli="aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration "
        "Status=Enabled,MFADelete=Enabled --mfa '<root-mfa-serial> <code>'   # run with root credentials",
        terraform='resource "aws_s3_bucket_versioning" "this" {\n  bucket = aws_s3_bucket.this.id\n'
        '  mfa    = "<root-mfa-serial> <code>"\n  versioning_configuration {\n    status     = "Enabled"\n'
        '    mfa_delete = "Enabled"\n  }\n}',
    ),
)
def bucket_mfa_delete_enabled(bucket: S3Bucket) -> Outcome:
    if bucket.versioning is None or bucket.mfa_delete is None:
        return _not_read("the versioning status", "s3:GetBucketVersioning")
    if not bucket.versioning:
        return Skip("versioning was never enabled, so there is no version history to protect")
    return Pass("MFA delete is enabled") if bucket.mfa_delete else Fail("MFA delete is disabled")


@control(
    id="s3.bucket_access_logging_enabled",
    title="S3 buckets record server access logs",
    severity="medium",
    needs=[*LIST, "s3:GetBucketLogging"],
    rationale="Server access logs record each request made to a bucket, including object reads that CloudTrail "
    "records only when data events are bought. They are the evidence needed to detect and investigate "
    "unauthorised access to stored data (CC7.2, CC7.3).",
    remediation=Remediation(
        console="S3 console > the bucket > Properties > Server access logging > Edit > Enable, choose a "
        "destination bucket (not the bucket itself) and a prefix > Save changes.",
        cli="aws s3api put-bucket-logging --bucket <bucket> --bucket-logging-status "
        "'{\"LoggingEnabled\":{\"TargetBucket\":\"<log-bucket>\",\"TargetPrefix\":\"<bucket>/\"}}'",
        terraform='resource "aws_s3_bucket_logging" "this" {\n  bucket        = aws_s3_bucket.this.id\n'
        '  target_bucket = aws_s3_bucket.logs.id\n  target_prefix = "${aws_s3_bucket.this.id}/"\n}',
    ),
)
def bucket_access_logging_enabled(bucket: S3Bucket) -> Outcome:
    if bucket.logging_target_bucket is None:
        return _not_read("the logging configuration", "s3:GetBucketLogging")
    if bucket.logging_target_bucket:
        return Pass(f"server access logs are delivered to {bucket.logging_target_bucket}")
    return Fail("server access logging is disabled")


@control(
    id="s3.bucket_object_lock_enabled",
    title="S3 buckets have Object Lock enabled",
    severity="low",
    needs=[*LIST, "s3:GetBucketObjectLockConfiguration"],
    rationale="Object Lock stores objects write-once-read-many: a locked version cannot be overwritten or "
    "deleted before its retention ends, even by an administrator in compliance mode. For records that must be "
    "kept unaltered (audit evidence, regulated data) it turns a retention policy into an enforced one "
    "(C1.1, PI1.5).",
    remediation=Remediation(
        console="S3 console > the bucket > Properties > Object Lock > Edit > Enable (versioning must be on), then "
        "set a default retention mode and period. Older buckets may need AWS Support or a new bucket.",
        cli="aws s3api put-object-lock-configuration --bucket <bucket> --object-lock-configuration "
        "'{\"ObjectLockEnabled\":\"Enabled\",\"Rule\":{\"DefaultRetention\":{\"Mode\":\"GOVERNANCE\","
        "\"Days\":90}}}'",
        terraform='resource "aws_s3_bucket" "this" {\n  bucket              = "<bucket>"\n'
        '  object_lock_enabled = true\n}\nresource "aws_s3_bucket_object_lock_configuration" "this" {\n'
        '  bucket = aws_s3_bucket.this.id\n  rule {\n    default_retention {\n      mode = "GOVERNANCE"\n'
        "      days = 90\n    }\n  }\n}",
    ),
)
def bucket_object_lock_enabled(bucket: S3Bucket) -> Outcome:
    if bucket.object_lock_enabled is None:
        return _not_read("the Object Lock configuration", "s3:GetBucketObjectLockConfiguration")
    if not bucket.object_lock_enabled:
        return Fail("Object Lock is not enabled")
    retention = bucket.object_lock_default_retention
    return Pass(f"Object Lock is enabled ({f'default retention {retention}' if retention else 'no default retention'})")


@control(
    id="s3.bucket_replication_enabled",
    title="S3 buckets replicate objects to another bucket",
    severity="low",
    needs=[*LIST, "s3:GetReplicationConfiguration"],
    rationale="Replication keeps a second copy of every new object in another bucket, ideally in another region "
    "or account, so that data survives a regional outage or the loss of the source bucket. It supports the "
    "recovery and availability commitments of A1.2 and CC7.4.",
    remediation=Remediation(
        console="S3 console > the bucket > Management > Replication rules > Create replication rule: choose a "
        "destination bucket (another region or account), an IAM role, and save. Versioning must be on at both ends.",
        cli="aws s3api put-bucket-replication --bucket <bucket> --replication-configuration file://replication.json"
        "\n# replication.json: {\"Role\":\"<role-arn>\",\"Rules\":[{\"Status\":\"Enabled\",\"Priority\":1,"
        "\"Filter\":{},\"DeleteMarkerReplication\":{\"Status\":\"Disabled\"},"
        "\"Destination\":{\"Bucket\":\"arn:aws:s3:::<replica-bucket>\"}}]}",
        terraform='resource "aws_s3_bucket_replication_configuration" "this" {\n  bucket = aws_s3_bucket.this.id\n'
        '  role   = aws_iam_role.replication.arn\n  rule {\n    status = "Enabled"\n    filter {}\n'
        '    delete_marker_replication {\n      status = "Disabled"\n    }\n    destination {\n'
        "      bucket = aws_s3_bucket.replica.arn\n    }\n  }\n}",
    ),
)
def bucket_replication_enabled(bucket: S3Bucket, inv: Inventory) -> Outcome:
    if bucket.replication_destinations is None:
        return _not_read("the replication configuration", "s3:GetReplicationConfiguration")
    if not bucket.replication_destinations:
        return Fail("no enabled replication rule")
    regions = inv.memo("s3.bucket_regions", lambda: {b.arn: b.region for b in inv.of(S3Bucket)})
    where = [f"{d} ({regions[d]})" if d in regions else d for d in bucket.replication_destinations]
    return Pass(f"objects replicate to {', '.join(where)}")


@control(
    id="s3.bucket_lifecycle_configured",
    title="S3 buckets have an enabled lifecycle rule",
    severity="low",
    needs=[*LIST, "s3:GetLifecycleConfiguration"],
    rationale="Lifecycle rules expire or archive objects after a set time, so data is not kept longer than the "
    "retention the organisation committed to. Disposing of confidential information when it is no longer "
    "needed is what C1.2 asks for (and P4.2/P4.3 for personal information).",
    remediation=Remediation(
        console="S3 console > the bucket > Management > Lifecycle rules > Create lifecycle rule: choose the scope, "
        "set expiration (and noncurrent version expiration for versioned buckets) per the retention policy, save.",
        cli="aws s3api put-bucket-lifecycle-configuration --bucket <bucket> --lifecycle-configuration "
        "'{\"Rules\":[{\"ID\":\"retention\",\"Status\":\"Enabled\",\"Filter\":{},\"Expiration\":{\"Days\":365},"
        "\"NoncurrentVersionExpiration\":{\"NoncurrentDays\":30}}]}'",
        terraform='resource "aws_s3_bucket_lifecycle_configuration" "this" {\n  bucket = aws_s3_bucket.this.id\n'
        '  rule {\n    id     = "retention"\n    status = "Enabled"\n    filter {}\n    expiration {\n'
        "      days = 365\n    }\n    noncurrent_version_expiration {\n      noncurrent_days = 30\n    }\n"
        "  }\n}",
    ),
)
def bucket_lifecycle_configured(bucket: S3Bucket) -> Outcome:
    if bucket.lifecycle_rules is None:
        return _not_read("the lifecycle configuration", "s3:GetLifecycleConfiguration")
    enabled = [r.id for r in bucket.lifecycle_rules if r.enabled]
    if enabled:
        return Pass(f"enabled lifecycle rules: {', '.join(enabled)}")
    if bucket.lifecycle_rules:
        return Fail(f"every lifecycle rule is disabled ({', '.join(r.id for r in bucket.lifecycle_rules)})")
    return Fail("no lifecycle rule")


@control(
    id="s3.bucket_noncurrent_versions_expire",
    title="Versioned S3 buckets expire noncurrent object versions",
    severity="low",
    needs=[*LIST, "s3:GetBucketVersioning", "s3:GetLifecycleConfiguration"],
    rationale="In a versioned bucket, deleting an object only hides it: every earlier version stays stored. "
    "Without a rule that expires noncurrent versions, data the organisation believes it disposed of is "
    "retained indefinitely, contrary to its retention and disposal commitments (C1.2).",
    remediation=Remediation(
        console="S3 console > the bucket > Management > Lifecycle rules > Create lifecycle rule: tick 'Permanently "
        "delete noncurrent versions of objects', set the number of days, save.",
        cli="aws s3api put-bucket-lifecycle-configuration --bucket <bucket> --lifecycle-configuration "
        "'{\"Rules\":[{\"ID\":\"expire-old-versions\",\"Status\":\"Enabled\",\"Filter\":{},"
        "\"NoncurrentVersionExpiration\":{\"NoncurrentDays\":90}}]}'",
        terraform='resource "aws_s3_bucket_lifecycle_configuration" "this" {\n  bucket = aws_s3_bucket.this.id\n'
        '  rule {\n    id     = "expire-old-versions"\n    status = "Enabled"\n    filter {}\n'
        "    noncurrent_version_expiration {\n      noncurrent_days = 90\n    }\n  }\n}",
    ),
)
def bucket_noncurrent_versions_expire(bucket: S3Bucket) -> Outcome:
    if bucket.versioning is None:
        return _not_read("the versioning status", "s3:GetBucketVersioning")
    if not bucket.versioning:
        return Skip("versioning was never enabled: the bucket keeps no noncurrent versions")
    if bucket.lifecycle_rules is None:
        return _not_read("the lifecycle configuration", "s3:GetLifecycleConfiguration")
    expiring = [r.id for r in bucket.lifecycle_rules if r.enabled and r.expires_noncurrent]
    if expiring:
        return Pass(f"noncurrent versions expire under lifecycle rule {', '.join(expiring)}")
    return Fail(f"versioning is {bucket.versioning.lower()} but no enabled lifecycle rule expires noncurrent versions")


@control(
    id="s3.bucket_event_notifications_enabled",
    title="S3 buckets send event notifications",
    severity="info",
    needs=[*LIST, "s3:GetBucketNotification"],
    rationale="Event notifications (to SNS, SQS, Lambda or EventBridge) let the organisation react to object "
    "creation and deletion as it happens, for example to alert on unexpected deletions or to scan new uploads, "
    "which supports the evaluation of security events under CC7.3.",
    remediation=Remediation(
        console="S3 console > the bucket > Properties > Event notifications: create an event notification for the "
        "events to watch (e.g. object removed) with an SNS topic, SQS queue or Lambda function as destination, or "
        "turn on 'Send notifications to Amazon EventBridge'.",
        cli="aws s3api put-bucket-notification-configuration --bucket <bucket> --notification-configuration "
        "'{\"EventBridgeConfiguration\":{}}'",
        terraform='resource "aws_s3_bucket_notification" "this" {\n  bucket      = aws_s3_bucket.this.id\n'
        "  eventbridge = true\n}",
    ),
)
def bucket_event_notifications_enabled(bucket: S3Bucket) -> Outcome:
    if bucket.notification_targets is None:
        return _not_read("the notification configuration", "s3:GetBucketNotification")
    if bucket.notification_targets:
        return Pass(f"events are sent to {', '.join(bucket.notification_targets)}")
    return Fail("no event notification is configured")


@control(
    id="s3.bucket_has_classification_tag",
    title="S3 buckets carry a data classification tag",
    severity="low",
    needs=[*LIST, "s3:GetBucketTagging"],
    rationale="Protection, retention and disposal rules depend on what a bucket holds, and a bucket nobody "
    "classified gets whatever defaults its creator chose. A classification tag on every bucket records that "
    "its data was identified and at which level, and lets access policies, backup selections and Macie jobs "
    "follow the classification; it is how confidential information is identified where it is stored "
    "(C1.1). The tag keys are the required_tag_keys parameter; with allowed_values, each value must also be "
    "one of the organisation's levels (compared without regard to case).",
    remediation=Remediation(
        console="S3 console > the bucket > Properties > Tags > Edit > Add tag: key DataClassification, value the "
        "bucket's level under the data classification policy (e.g. public, internal, confidential, restricted) > "
        "Save changes. Note that PutBucketTagging replaces every tag, so keep the existing ones.",
        cli="aws s3api get-bucket-tagging --bucket <bucket>  # keep the existing tags in the new set\n"
        "aws s3api put-bucket-tagging --bucket <bucket> --tagging "
        "'TagSet=[{Key=DataClassification,Value=confidential},{Key=owner,Value=analytics}]'",
        terraform='resource "aws_s3_bucket" "reports" {\n  bucket = "example-reports"\n  tags = {\n'
        '    DataClassification = "confidential"\n  }\n}\n'
        '# or for every resource of the provider:\nprovider "aws" {\n  default_tags {\n'
        '    tags = { DataClassification = "internal" }\n  }\n}',
    ),
)
def bucket_has_classification_tag(
    bucket: S3Bucket, *, required_tag_keys: list[str] = ["DataClassification"],  # noqa: B006
    allowed_values: list[str] = [],  # noqa: B006
) -> Outcome:
    """required_tag_keys: tag keys (exact, case-sensitive like AWS) every bucket must carry with a value;
    allowed_values: if given, the values those tags may take (compared without regard to case)."""
    if not bucket.tags_read:
        return _not_read("the bucket's tags", "s3:GetBucketTagging")
    if not required_tag_keys:
        return Skip("required_tag_keys is empty: no tag is required")
    missing = [k for k in required_tag_keys if not bucket.tags.get(k, "").strip()]
    if missing:
        return Fail(f"bucket {bucket.display_name} has no value for tag {', '.join(missing)}")
    levels = {v.lower() for v in allowed_values}
    wrong = [f"{k}={bucket.tags[k]!r}" for k in required_tag_keys if levels and bucket.tags[k].strip().lower()
             not in levels]
    if wrong:
        return Fail(f"{', '.join(wrong)} is not one of the allowed values {', '.join(allowed_values)}")
    return Pass("classified: " + ", ".join(f"{k}={bucket.tags[k]}" for k in required_tag_keys))
