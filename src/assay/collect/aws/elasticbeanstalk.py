"""AWS Elastic Beanstalk: environments and, per environment, its CloudWatch Logs streaming options."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.elasticbeanstalk import ElasticBeanstalkEnvironment

SETTINGS = "elasticbeanstalk:DescribeConfigurationSettings"
LOGS_NAMESPACE = "aws:elasticbeanstalk:cloudwatch:logs"


def _options(got: dict[str, Any] | None) -> dict[str, str] | None:
    """The environment's instance log streaming options by name; None when they were not read.

    An environment has exactly one configuration set; an answer without one tells nothing.
    """
    settings = (got or {}).get("ConfigurationSettings") or []
    if not settings:
        return None
    return {
        str(o.get("OptionName")): str(o.get("Value") or "")
        for o in settings[0].get("OptionSettings") or []
        if o.get("Namespace") == LOGS_NAMESPACE
    }


def _days(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@collector(
    service="elasticbeanstalk",
    produces=[ElasticBeanstalkEnvironment],
    permissions=["elasticbeanstalk:DescribeEnvironments", SETTINGS],
)
def collect_environments(ctx: Ctx) -> Iterator[ElasticBeanstalkEnvironment]:
    eb = ctx.client("elasticbeanstalk")
    for env in ctx.paginate(eb, "describe_environments", "Environments", IncludeDeleted=False):
        name, app = env["EnvironmentName"], env.get("ApplicationName", "")
        arn = env.get("EnvironmentArn") or ctx.arn("elasticbeanstalk", f"environment/{app}/{name}")
        got = ctx.call(
            eb, "describe_configuration_settings", resource_arn=arn, ApplicationName=app, EnvironmentName=name
        )
        options = _options(got)
        if got is not None and options is None:
            ctx.record(SETTINGS, ValueError("the answer held no configuration settings"), arn)
        yield ElasticBeanstalkEnvironment(
            arn=arn,
            id=env.get("EnvironmentId") or name,
            name=name,
            account_id=ctx.account_id,
            region=ctx.region,
            application_name=app,
            status=env.get("Status", ""),
            tier=(env.get("Tier") or {}).get("Name", ""),
            stream_logs=None if options is None else options.get("StreamLogs", "false").lower() == "true",
            log_retention_days=None if options is None else _days(options.get("RetentionInDays")),
        )
