"""S3 buckets of Northwind Analytics: private, public through an ACL or a policy, and public-but-neutralised.

The CloudTrail estate adds the two trail log buckets. No account-level public access block is set,
so each bucket's verdict rests on its own settings. Names carry the bucket_not_public verdict; the
raw analytics bucket is the model bucket (TLS-only, KMS, versioned with expiring old versions, logged,
replicated to the EU, notifying on deletions) and the audit evidence bucket is locked (WORM); these two
carry a data classification tag, the public website bucket none.
moto cannot show: MFA delete on (it ignores MFADelete), and AWS's default SSE-S3 on every bucket
(moto leaves a bucket unencrypted unless told, so unencrypted buckets fail s3.bucket_default_encryption).
"""

from __future__ import annotations

import json
from typing import Any

from assay.demo.estate import ClientFactory


def create_bucket(client: ClientFactory, name: str, region: str) -> Any:
    s3 = client("s3", region)
    extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=name, **extra)
    return s3


def block(*, block_acls: bool = True, ignore_acls: bool = True, block_policy: bool = True,
          restrict: bool = True) -> dict[str, bool]:
    return {"BlockPublicAcls": block_acls, "IgnorePublicAcls": ignore_acls, "BlockPublicPolicy": block_policy,
            "RestrictPublicBuckets": restrict}


def public_read_policy(bucket: str, principal: Any = "*") -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "PublicRead", "Effect": "Allow", "Principal": principal, "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/*"}]})


def tls_only(bucket: str) -> dict[str, Any]:
    return {"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def seed(client: ClientFactory, regions: list[str]) -> None:
    home, other = regions[0], regions[-1]
    account = "123456789012"

    logs = "northwind-pass-access-logs"
    create_bucket(client, logs, home).put_bucket_acl(Bucket=logs, ACL="log-delivery-write")  # not public

    raw = "northwind-pass-analytics-raw"
    s3 = create_bucket(client, raw, home)
    s3.put_public_access_block(Bucket=raw, PublicAccessBlockConfiguration=block())
    s3.put_bucket_versioning(Bucket=raw, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(Bucket=raw, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}]})
    s3.put_bucket_logging(Bucket=raw, BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": logs, "TargetPrefix": f"{raw}/"}})
    s3.put_bucket_policy(Bucket=raw, Policy=json.dumps({"Version": "2012-10-17", "Statement": [tls_only(raw)]}))
    s3.put_bucket_lifecycle_configuration(Bucket=raw, LifecycleConfiguration={"Rules": [
        {"ID": "expire-old-versions", "Status": "Enabled", "Filter": {},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 90}}]})
    s3.put_bucket_replication(Bucket=raw, ReplicationConfiguration={
        "Role": f"arn:aws:iam::{account}:role/northwind-s3-replication", "Rules": [
            {"ID": "to-eu", "Status": "Enabled", "Priority": 1, "Filter": {},
             "DeleteMarkerReplication": {"Status": "Disabled"},
             "Destination": {"Bucket": "arn:aws:s3:::northwind-pass-eu-reports-blocked"}}]})
    s3.put_bucket_notification_configuration(Bucket=raw, NotificationConfiguration={"TopicConfigurations": [
        {"TopicArn": f"arn:aws:sns:{home}:{account}:pass-northwind-data-events", "Events": ["s3:ObjectRemoved:*"]}]})
    s3.put_bucket_tagging(Bucket=raw, Tagging={"TagSet": [{"Key": "DataClassification", "Value": "confidential"},
                                                          {"Key": "owner", "Value": "data-platform"}]})

    # Audit evidence kept write-once for seven years; versioned (Object Lock needs it) but never expired.
    evidence = "northwind-pass-audit-evidence"
    s3 = client("s3", home)
    s3.create_bucket(Bucket=evidence, ObjectLockEnabledForBucket=True)
    s3.put_public_access_block(Bucket=evidence, PublicAccessBlockConfiguration=block())
    s3.put_object_lock_configuration(Bucket=evidence, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 7}}})
    s3.put_bucket_encryption(Bucket=evidence, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    s3.put_bucket_tagging(Bucket=evidence, Tagging={"TagSet": [{"Key": "DataClassification", "Value": "restricted"}]})

    site = "northwind-fail-public-website"
    create_bucket(client, site, home).put_bucket_acl(Bucket=site, ACL="public-read")

    # Public ACL and policy, both neutralised by the bucket's IgnorePublicAcls and RestrictPublicBuckets.
    reports = "northwind-pass-eu-reports-blocked"
    s3 = create_bucket(client, reports, other)
    s3.put_bucket_acl(Bucket=reports, ACL="public-read")
    s3.put_bucket_policy(Bucket=reports, Policy=public_read_policy(reports))
    s3.put_public_access_block(Bucket=reports, PublicAccessBlockConfiguration=block(
        block_acls=False, block_policy=False))
    s3.put_bucket_versioning(Bucket=reports, VersioningConfiguration={"Status": "Suspended"})
    s3.put_bucket_lifecycle_configuration(Bucket=reports, LifecycleConfiguration={"Rules": [
        {"ID": "archive-after-a-year", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 730},
         "Transitions": [{"Days": 365, "StorageClass": "GLACIER"}]}]})

    # BlockPublicAcls alone does not neutralise a public policy.
    partner = "northwind-fail-partner-exchange"
    s3 = create_bucket(client, partner, other)
    s3.put_bucket_policy(Bucket=partner, Policy=public_read_policy(partner, {"AWS": "*"}))
    s3.put_public_access_block(Bucket=partner, PublicAccessBlockConfiguration=block(
        ignore_acls=False, block_policy=False, restrict=False))
