"""GuardDuty: enabled in the home region, never switched on in Europe."""

from __future__ import annotations

from assay.demo.estate import ClientFactory

HOME = "us-east-1"  # eu-west-1 is left without a detector: guardduty.enabled_in_region fails there


def seed(client: ClientFactory, regions: list[str]) -> None:
    if HOME in regions:
        client("guardduty", HOME).create_detector(
            Enable=True, FindingPublishingFrequency="FIFTEEN_MINUTES",
            DataSources={"S3Logs": {"Enable": True}}, Tags={"team": "security", "cost-center": "sec-ops"},
        )
