"""DataSync controls: task logging."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.datasync import DataSyncTask


@control(
    id="datasync.task_logging_enabled",
    title="DataSync tasks log to CloudWatch Logs",
    severity="low",
    needs=["datasync:ListTasks", "datasync:DescribeTask"],
    rationale="DataSync moves data between storage systems, often across trust boundaries. Task logs record which "
    "files were transferred, skipped or failed verification, which is the evidence that transfers were complete "
    "and accurate and the trail for investigating a failed or unexpected copy (A1.2, CC7.2, PI1.3).",
    remediation=Remediation(
        console="DataSync console > Tasks > the task > Edit > Logging: choose a log level (Basic or Transfer) and "
        "a CloudWatch log group (DataSync can create one) > Save changes.",
        cli="aws datasync update-task --task-arn <task-arn> "
        "--cloud-watch-log-group-arn arn:aws:logs:<region>:<account>:log-group:/aws/datasync "
        "--options LogLevel=BASIC",
        terraform='resource "aws_datasync_task" "backup_copy" {\n'
        '  cloudwatch_log_group_arn = aws_cloudwatch_log_group.datasync.arn\n'
        '  options {\n    log_level = "BASIC"\n  }\n}',
    ),
)
def task_logging_enabled(task: DataSyncTask) -> Outcome:
    if task.log_group_arn is None:
        return Error("task configuration was not read")
    if not task.log_group_arn:
        return Fail("task has no CloudWatch log group")
    if task.log_level == "OFF":
        return Fail(f"task has log group {task.log_group_arn} but its log level is OFF")
    return Pass(f"task logs to {task.log_group_arn}")
