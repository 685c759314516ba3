"""AWS Config resources: the configuration recorder of each scanned region."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource

ALL_SUPPORTED = "ALL_SUPPORTED_RESOURCE_TYPES"


class ConfigRecorder(Resource):
    """Config's state in one region: its customer-managed recorder, or a record saying it has none.

    One record per scanned region (recorder_name None when the region has none), so "Config records
    everywhere" is judged region by region. Service-linked recorders (owned by another AWS service,
    recording only what that service needs) are not the customer's recorder and are ignored.
    """

    type: ClassVar[str] = "AWS::Config::ConfigurationRecorder"
    recorder_name: str | None = None  # None: no customer-managed recorder in the region
    # recordingGroup, from DescribeConfigurationRecorders
    all_supported: bool | None = None
    include_global: bool | None = None
    strategy: str | None = None  # recordingStrategy.useOnly
    resource_types: tuple[str, ...] = ()  # listed (inclusion) or excluded types, for messages
    # from DescribeConfigurationRecorderStatus; None: not read
    recording: bool | None = None
    last_status: str | None = None  # PENDING | SUCCESS | FAILURE
    last_error: str | None = None

    @property
    def records_all_types(self) -> bool | None:
        if self.all_supported is None and self.strategy is None:
            return None
        return bool(self.all_supported) or self.strategy == ALL_SUPPORTED
