"""CloudTrail of Northwind Analytics: a compliant organisation-wide audit trail and a neglected EU sandbox trail.

The audit trail covers all regions, records read and write management events and the object-level events of
every S3 bucket and Lambda function, validates its log files, encrypts them with a KMS key, streams to a
CloudWatch Logs group and writes to a bucket with server access logging. The sandbox trail is single-region,
unvalidated, unencrypted, not streamed, and writes to an unlogged bucket whose policy lets anyone read the logs.
"""

from __future__ import annotations

import json
from typing import Any

from assay.demo.estate import ClientFactory
from assay.demo.estate.s3 import block, create_bucket

ACCOUNT = "123456789012"
AUDIT_TRAIL = "pass-northwind-audit-trail"
SANDBOX_TRAIL = "fail-northwind-eu-sandbox-trail"
AUDIT_BUCKET = "northwind-pass-cloudtrail-logs"
ACCESS_LOG_BUCKET = "northwind-pass-trail-access-logs"  # receives the audit bucket's server access logs
SANDBOX_BUCKET = "northwind-fail-public-trail-logs"
LOG_GROUP = "pass-northwind-cloudtrail"  # CloudWatch alarm estates can hang metric filters on it


def trail_bucket_policy(bucket: str, region: str, trail: str, *, public_read: bool = False) -> str:
    """What CloudTrail needs to write to a bucket, scoped to the one trail; optionally a public read."""
    source_arn = f"arn:aws:cloudtrail:{region}:{ACCOUNT}:trail/{trail}"
    service = {"Service": "cloudtrail.amazonaws.com"}
    statements: list[dict[str, Any]] = [
        {"Sid": "CloudTrailAclCheck", "Effect": "Allow", "Principal": service, "Action": "s3:GetBucketAcl",
         "Resource": f"arn:aws:s3:::{bucket}", "Condition": {"StringEquals": {"aws:SourceArn": source_arn}}},
        {"Sid": "CloudTrailWrite", "Effect": "Allow", "Principal": service, "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{ACCOUNT}/*", "Condition": {"StringEquals": {
             "aws:SourceArn": source_arn, "s3:x-amz-acl": "bucket-owner-full-control"}}},
    ]
    if public_read:
        statements.append({"Sid": "ShareWithContractors", "Effect": "Allow", "Principal": "*",
                           "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"})
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _trail_key(client: ClientFactory, region: str) -> str:
    policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "AccountAdmin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "CloudTrailEncrypt", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "kms:GenerateDataKey*", "Resource": "*",
         "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn":
                                      f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"}}},
    ]}
    kms = client("kms", region)
    meta = kms.create_key(Description="Northwind CloudTrail log encryption", Policy=json.dumps(policy))["KeyMetadata"]
    kms.enable_key_rotation(KeyId=meta["KeyId"])
    kms.create_alias(AliasName="alias/pass-cloudtrail-logs", TargetKeyId=meta["KeyId"])
    return str(meta["Arn"])


def seed(client: ClientFactory, regions: list[str]) -> None:
    home, other = regions[0], regions[-1]

    s3 = create_bucket(client, AUDIT_BUCKET, home)
    s3.put_bucket_policy(Bucket=AUDIT_BUCKET, Policy=trail_bucket_policy(AUDIT_BUCKET, home, AUDIT_TRAIL))
    s3.put_public_access_block(Bucket=AUDIT_BUCKET, PublicAccessBlockConfiguration=block())
    create_bucket(client, ACCESS_LOG_BUCKET, home).put_public_access_block(
        Bucket=ACCESS_LOG_BUCKET, PublicAccessBlockConfiguration=block())
    s3.put_bucket_policy(Bucket=ACCESS_LOG_BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "S3ServerAccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{ACCESS_LOG_BUCKET}/*",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]}))
    s3.put_bucket_logging(Bucket=AUDIT_BUCKET, BucketLoggingStatus={"LoggingEnabled": {
        "TargetBucket": ACCESS_LOG_BUCKET, "TargetPrefix": f"{AUDIT_BUCKET}/"}})
    key_arn = _trail_key(client, home)
    logs = client("logs", home)
    logs.create_log_group(logGroupName=LOG_GROUP, kmsKeyId=key_arn)
    logs.put_retention_policy(logGroupName=LOG_GROUP, retentionInDays=400)
    group_arn = next(g["arn"] for g in logs.describe_log_groups(logGroupNamePrefix=LOG_GROUP)["logGroups"])
    ct = client("cloudtrail", home)
    ct.create_trail(
        Name=AUDIT_TRAIL, S3BucketName=AUDIT_BUCKET, IsMultiRegionTrail=True, IncludeGlobalServiceEvents=True,
        EnableLogFileValidation=True, KmsKeyId=key_arn, CloudWatchLogsLogGroupArn=group_arn,
        CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/northwind-cloudtrail-to-cloudwatch",
    )
    # moto starts trails with no event selectors (AWS defaults to all management events): set them.
    ct.put_event_selectors(TrailName=AUDIT_TRAIL, EventSelectors=[
        {"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [
            {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]},
            {"Type": "AWS::Lambda::Function", "Values": ["arn:aws:lambda"]}]}])
    ct.start_logging(Name=AUDIT_TRAIL)

    s3 = create_bucket(client, SANDBOX_BUCKET, other)
    s3.put_bucket_policy(Bucket=SANDBOX_BUCKET, Policy=trail_bucket_policy(
        SANDBOX_BUCKET, other, SANDBOX_TRAIL, public_read=True))
    ct = client("cloudtrail", other)
    ct.create_trail(Name=SANDBOX_TRAIL, S3BucketName=SANDBOX_BUCKET, IsMultiRegionTrail=False)
    ct.start_logging(Name=SANDBOX_TRAIL)
