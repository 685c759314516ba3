"""Athena controls: workgroup query metrics."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.athena import AthenaWorkGroup


@control(
    id="athena.workgroup_publishes_metrics",
    title="Athena workgroups publish query metrics to CloudWatch",
    severity="low",
    needs=["athena:ListWorkGroups", "athena:GetWorkGroup"],
    rationale="Query metrics (data scanned, run time, failures) are how capacity, cost and failing workloads are "
    "noticed and alarmed on. Without them a workgroup's activity cannot be monitored against its objectives "
    "(A1.1, A1.2, CC7.2).",
    remediation=Remediation(
        console="Athena console > Administration > Workgroups > the workgroup > Edit > Settings > check "
        "'Publish query metrics to AWS CloudWatch' > Save changes.",
        cli="aws athena update-work-group --work-group <name> "
        "--configuration-updates PublishCloudWatchMetricsEnabled=true",
        terraform='resource "aws_athena_workgroup" "analytics" {\n  configuration {\n'
        '    publish_cloudwatch_metrics_enabled = true\n  }\n}',
    ),
)
def workgroup_publishes_metrics(wg: AthenaWorkGroup) -> Outcome:
    if wg.state == "DISABLED":
        return Skip("workgroup is disabled: no queries run in it")
    if wg.publishes_metrics is None:
        return Error("workgroup configuration was not read")
    if wg.publishes_metrics:
        return Pass("query metrics are published to CloudWatch")
    return Fail("query metrics are not published to CloudWatch")
