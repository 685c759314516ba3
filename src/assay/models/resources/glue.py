"""AWS Glue resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class GlueJob(Resource):
    type: ClassVar[str] = "AWS::Glue::Job"
    command: str = ""  # glueetl, gluestreaming, pythonshell, glueray
    continuous_logging: bool = False  # DefaultArguments --enable-continuous-cloudwatch-log = true
    encryption_type_argument: str = ""  # DefaultArguments --encryption-type (e.g. sse-s3)
    security_configuration: str = ""  # name; "" when the job has none
    # Resolved from the security configuration; None: the configuration could not be read.
    s3_encryption_mode: str | None = None  # SSE-KMS, SSE-S3, DISABLED
    cloudwatch_encryption_mode: str | None = None  # SSE-KMS or DISABLED
