"""DataSync resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class DataSyncTask(Resource):
    type: ClassVar[str] = "AWS::DataSync::Task"
    status: str = ""
    log_group_arn: str | None = None  # CloudWatchLogGroupArn; "" when none is set; None: not read
    log_level: str = ""  # Options.LogLevel: OFF, BASIC, TRANSFER ("" when not reported)
