"""AWS Elastic Beanstalk resources: environments and the option settings controls judge."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class ElasticBeanstalkEnvironment(Resource):
    type: ClassVar[str] = "AWS::ElasticBeanstalk::Environment"
    application_name: str = ""
    status: str = ""  # Launching, Updating, Ready, Terminating, Terminated, ...
    tier: str = ""  # WebServer or Worker
    # aws:elasticbeanstalk:cloudwatch:logs StreamLogs (off unless set). None: the settings were not read.
    stream_logs: bool | None = None
    log_retention_days: int | None = None  # RetentionInDays of the streamed log groups, when reported
