"""AppSync controls: resolver (field-level) logging."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Fail, Outcome, Pass
from assay.models.resources.appsync import AppSyncGraphqlApi


@control(
    id="appsync.field_logging_enabled",
    title="AppSync GraphQL APIs log resolver activity to CloudWatch",
    severity="low",
    needs=["appsync:ListGraphqlApis"],
    rationale="Field-level logs record resolver errors (and, at higher levels, every resolution) of a GraphQL "
    "API. Without them failing requests and abuse of the API leave no trace to alert on or investigate "
    "(A1.2, CC7.2).",
    remediation=Remediation(
        console="AppSync console > the API > Settings > Logging > Enable Logs, set 'Field resolver log level' to "
        "Error (or All), choose or create the CloudWatch Logs role > Save.",
        cli="aws appsync update-graphql-api --api-id <api-id> --name <name> --authentication-type <type> "
        "--log-config fieldLogLevel=ERROR,cloudWatchLogsRoleArn=<role-arn>",
        terraform='resource "aws_appsync_graphql_api" "orders" {\n  log_config {\n'
        '    cloudwatch_logs_role_arn = aws_iam_role.appsync_logs.arn\n    field_log_level          = "ERROR"\n'
        '  }\n}',
    ),
)
def field_logging_enabled(api: AppSyncGraphqlApi) -> Outcome:
    # the listing carries the log settings, so there is no per-API read that could leave them unknown
    if api.field_log_level == "NONE":
        return Fail("field-level logging is off")
    return Pass(f"field-level logging is at level {api.field_log_level}")
