"""Elastic Beanstalk controls: pure functions over ElasticBeanstalkEnvironment."""

from __future__ import annotations

from typing import Any

from assay.controls import elasticbeanstalk
from assay.models.findings import Status
from assay.models.resources.elasticbeanstalk import ElasticBeanstalkEnvironment

ACCOUNT = "123456789012"


def env(**over: Any) -> ElasticBeanstalkEnvironment:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:elasticbeanstalk:eu-west-1:{ACCOUNT}:environment/shop/shop-prod",
        id="e-abc123",
        name="shop-prod",
        account_id=ACCOUNT,
        region="eu-west-1",
        application_name="shop",
        status="Ready",
        tier="WebServer",
        stream_logs=True,
        log_retention_days=90,
    )
    return ElasticBeanstalkEnvironment(**{**base, **over})


def test_logs_streamed_to_cloudwatch() -> None:
    out = elasticbeanstalk.logs_streamed_to_cloudwatch(env())
    assert out == (Status.PASS, "instance logs are streamed to CloudWatch Logs, kept 90 days")
    out = elasticbeanstalk.logs_streamed_to_cloudwatch(env(log_retention_days=None))
    assert out == (Status.PASS, "instance logs are streamed to CloudWatch Logs")
    out = elasticbeanstalk.logs_streamed_to_cloudwatch(env(stream_logs=False))
    assert out == (Status.FAIL, "instance logs are not streamed to CloudWatch Logs (StreamLogs is off)")
    out = elasticbeanstalk.logs_streamed_to_cloudwatch(env(status="Terminating", stream_logs=False))
    assert out == (Status.SKIP, "the environment is terminating")
    out = elasticbeanstalk.logs_streamed_to_cloudwatch(env(stream_logs=None))
    assert out == (Status.ERROR, "the environment's configuration settings were not read")
