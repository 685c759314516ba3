"""AWS Config: a full recorder (with IAM) at home in us-east-1; Europe records only a hand-picked list."""

from __future__ import annotations

from typing import Any

from assay.demo.estate import ClientFactory

ROLE = "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
HOME = "us-east-1"


def _record(config: Any, name: str, group: dict[str, Any]) -> None:
    config.put_configuration_recorder(ConfigurationRecorder={"name": name, "roleARN": ROLE, "recordingGroup": group})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "northwind-config-history"})
    config.start_configuration_recorder(ConfigurationRecorderName=name)


def seed(client: ClientFactory, regions: list[str]) -> None:
    for region in regions:
        config = client("config", region)
        if region == HOME:
            _record(config, "pass-northwind-recorder", {"allSupported": True, "includeGlobalResourceTypes": True})
        else:
            # records two types someone picked in 2021: config.recorder_records_all_resources fails here
            _record(config, "fail-eu-partial-recorder", {
                "allSupported": False, "includeGlobalResourceTypes": False,
                "resourceTypes": ["AWS::EC2::Instance", "AWS::S3::Bucket"],
                "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"}})
