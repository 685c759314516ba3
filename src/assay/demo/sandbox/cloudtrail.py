"""The sandbox's trail: multi-region, but stopped, unvalidated, unencrypted and not in CloudWatch Logs;
and a Lambda function that digests the trail's files, whose invocations therefore nobody records."""

from __future__ import annotations

from assay.demo.estate import ClientFactory
from assay.demo.estate.lambda_ import code, execution_role

HOME = "us-east-1"
BUCKET = "northwind-sandbox-pass-trail-logs"


def seed(client: ClientFactory, regions: list[str]) -> None:
    account = client("sts", HOME).get_caller_identity()["Account"]
    s3 = client("s3", HOME)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_policy(Bucket=BUCKET, Policy=(
        '{"Version":"2012-10-17","Statement":[{"Sid":"CloudTrailWrite","Effect":"Allow",'
        '"Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",'
        f'"Resource":"arn:aws:s3:::{BUCKET}/AWSLogs/{account}/*"}}]}}'))
    trail = client("cloudtrail", HOME)
    trail.create_trail(Name="fail-sandbox-trail", S3BucketName=BUCKET, IsMultiRegionTrail=True)
    trail.put_event_selectors(TrailName="fail-sandbox-trail", EventSelectors=[
        {"ReadWriteType": "All", "IncludeManagementEvents": True}])
    # Logging was never started: the trail exists but records nothing.
    client("lambda", HOME).create_function(
        FunctionName="sandbox-trail-digest", Runtime="python3.12", Handler="handler.handle",
        Role=execution_role(client, HOME, "sandbox-trail-digest"), Code={"ZipFile": code()})
