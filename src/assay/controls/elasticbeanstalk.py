"""AWS Elastic Beanstalk controls: instance logs streamed to CloudWatch Logs."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.elasticbeanstalk import ElasticBeanstalkEnvironment


@control(
    id="elasticbeanstalk.logs_streamed_to_cloudwatch",
    title="Elastic Beanstalk environments stream their instance logs to CloudWatch Logs",
    severity="medium",
    needs=["elasticbeanstalk:DescribeEnvironments", "elasticbeanstalk:DescribeConfigurationSettings"],
    rationale="An Elastic Beanstalk environment's application, web server and platform logs live on its "
    "instances, which the environment replaces when it scales in, deploys or recovers; logs left there are "
    "lost with them and cannot be searched or alarmed on. Streaming them to CloudWatch Logs (the "
    "aws:elasticbeanstalk:cloudwatch:logs StreamLogs option) keeps a central record of application activity "
    "to monitor for anomalies (CC7.2). How long it is kept is judged on the log groups by "
    "logs.log_group_retention_meets_minimum.",
    remediation=Remediation(
        console="Elastic Beanstalk console > Environments > the environment > Configuration > Updates, "
        "monitoring, and logging > Edit > Instance log streaming to CloudWatch Logs: Activated, set the "
        "retention > Apply.",
        cli="aws elasticbeanstalk update-environment --environment-name <env> --option-settings "
        "Namespace=aws:elasticbeanstalk:cloudwatch:logs,OptionName=StreamLogs,Value=true "
        "Namespace=aws:elasticbeanstalk:cloudwatch:logs,OptionName=RetentionInDays,Value=365",
        terraform='resource "aws_elastic_beanstalk_environment" "app" {\n  # ...\n  setting {\n'
        '    namespace = "aws:elasticbeanstalk:cloudwatch:logs"\n    name      = "StreamLogs"\n'
        '    value     = "true"\n  }\n}',
    ),
)
def logs_streamed_to_cloudwatch(env: ElasticBeanstalkEnvironment) -> Outcome:
    if env.status in ("Terminating", "Terminated"):
        return Skip(f"the environment is {env.status.lower()}")
    if env.stream_logs is None:
        return Error("the environment's configuration settings were not read")
    if not env.stream_logs:
        return Fail("instance logs are not streamed to CloudWatch Logs (StreamLogs is off)")
    kept = f", kept {env.log_retention_days} days" if env.log_retention_days else ""
    return Pass(f"instance logs are streamed to CloudWatch Logs{kept}")
