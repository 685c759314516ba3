"""DataSync: the nightly archive copy logs to CloudWatch; a one-off migration task never did."""

from __future__ import annotations

from assay.demo.estate import ClientFactory

ROLE = "arn:aws:iam::123456789012:role/northwind-datasync"


def seed(client: ClientFactory, regions: list[str]) -> None:
    region = regions[0]
    datasync = client("datasync", region)

    def location(bucket: str) -> str:
        arn: str = datasync.create_location_s3(
            S3BucketArn=f"arn:aws:s3:::{bucket}", S3Config={"BucketAccessRoleArn": ROLE})["LocationArn"]
        return arn

    source, archive = location("northwind-raw-data"), location("northwind-archive")
    datasync.create_task(SourceLocationArn=source, DestinationLocationArn=archive, Name="pass-nightly-archive",
                         CloudWatchLogGroupArn=f"arn:aws:logs:{region}:123456789012:log-group:/aws/datasync",
                         Options={"LogLevel": "BASIC"})
    datasync.create_task(SourceLocationArn=source, DestinationLocationArn=archive, Name="fail-migration")
