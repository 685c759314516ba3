"""DynamoDB controls: point-in-time recovery, AWS Backup coverage, deletion protection, KMS encryption
and capacity that follows load."""

from __future__ import annotations

from datetime import datetime

from assay.controls.backup import SELECTIONS, in_backup_plan, recently_backed_up
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.inventory import Inventory
from assay.models.resources.dynamodb import DynamoDbTable

TABLES = ["dynamodb:ListTables", "dynamodb:DescribeTable"]


@control(
    id="dynamodb.table_pitr_enabled",
    title="DynamoDB tables have point-in-time recovery enabled",
    severity="medium",
    needs=[*TABLES, "dynamodb:DescribeContinuousBackups"],
    rationale="Point-in-time recovery keeps a continuous backup of a table so it can be restored to any second "
    "of the recovery window (up to 35 days). It is the only way to undo an application bug, a bad "
    "migration or a malicious write that damaged items between scheduled backups, and so part of the "
    "backup and recovery infrastructure of A1.2 and of the recovery from incidents of CC7.4.",
    remediation=Remediation(
        console="DynamoDB console > Tables > the table > Backups tab > Point-in-time recovery (PITR) > Edit > "
        "Turn on point-in-time recovery > Save changes.",
        cli="aws dynamodb update-continuous-backups --table-name <table> "
        "--point-in-time-recovery-specification PointInTimeRecoveryEnabled=true",
        terraform='resource "aws_dynamodb_table" "example" {\n  # ...\n  point_in_time_recovery {\n'
        '    enabled = true\n  }\n}',
    ),
)
def table_pitr_enabled(table: DynamoDbTable) -> Outcome:
    if table.pitr_enabled is None:
        return Error("point-in-time recovery status was not read")
    if table.pitr_enabled:
        return Pass("point-in-time recovery is enabled")
    return Fail("point-in-time recovery is disabled: the table can only be restored from on-demand backups")


@control(
    id="dynamodb.table_in_backup_plan",
    title="DynamoDB tables are assigned to an AWS Backup plan",
    severity="high",
    needs=[*TABLES, "dynamodb:ListTagsOfResource", *SELECTIONS],
    rationale="An AWS Backup plan takes scheduled recovery points, keeps them for a set period, can copy them "
    "to another region or account and can lock them against deletion, none of which point-in-time recovery "
    "alone does. A table is covered when a plan's selection assigns it by ARN, by resource-type wildcard or "
    "by tag and DynamoDB is opted in to AWS Backup in the region: the backup process A1.2 and CC7.4 expect.",
    remediation=Remediation(
        console="AWS Backup console > Backup plans > the plan > Resource assignments > Assign resources: include "
        "the table (Specific resource types > DynamoDB > the table), or tag the table with a key the "
        "assignment already selects.",
        cli="aws backup create-backup-selection --backup-plan-id <plan-id> --backup-selection "
        "'{\"SelectionName\":\"ddb\",\"IamRoleArn\":\"<backup-role-arn>\",\"Resources\":"
        "[\"arn:aws:dynamodb:<region>:<account>:table/<table>\"]}'",
        terraform='resource "aws_backup_selection" "ddb" {\n  name         = "ddb"\n  plan_id      = '
        'aws_backup_plan.daily.id\n  iam_role_arn = aws_iam_role.backup.arn\n  resources    = '
        '[aws_dynamodb_table.example.arn]\n}',
    ),
)
def table_in_backup_plan(table: DynamoDbTable, inv: Inventory) -> Outcome:
    return in_backup_plan(table, inv, "table")


@control(
    id="dynamodb.table_recently_backed_up",
    title="DynamoDB tables have a recent AWS Backup recovery point",
    severity="high",
    needs=[*TABLES, "backup:ListProtectedResources"],
    rationale="Being assigned to a plan does not prove that backups happen: a wrong IAM role, a disabled "
    "opt-in or a failing job leaves no recovery point. AWS Backup's list of protected resources shows that a "
    "recovery point of the table actually exists and when the latest was taken; one within `max_age_days` "
    "(2 by default, for daily plans with a start window) is the evidence of working backups A1.2 and CC7.4 ask for.",
    remediation=Remediation(
        console="AWS Backup console > Jobs > Backup jobs: look for failed jobs of the table and fix the cause "
        "(role, opt-in, KMS access); or Protected resources > Create on-demand backup to take one now.",
        cli="aws backup list-backup-jobs --by-resource-arn <table-arn> --by-state FAILED\n"
        "aws backup start-backup-job --backup-vault-name <vault> --resource-arn <table-arn> --iam-role-arn <role-arn>",
        terraform='# assign the table to a plan (aws_backup_selection) whose rule runs daily; check\n'
        '# aws_backup_plan rule schedules and the selection\'s iam_role_arn permissions.',
    ),
)
def table_recently_backed_up(table: DynamoDbTable, inv: Inventory, now: datetime, *, max_age_days: int = 2) -> Outcome:
    return recently_backed_up(table, inv, now, max_age_days)


@control(
    id="dynamodb.table_deletion_protection",
    title="DynamoDB tables have deletion protection enabled",
    severity="medium",
    needs=TABLES,
    rationale="Deleting a table removes its data and, unless other backups exist, its point-in-time recovery "
    "window with it. Deletion protection makes DeleteTable fail until the setting is consciously turned off, "
    "guarding against a mistaken command, a faulty infrastructure-as-code change or a careless script; it "
    "keeps the data available (A1.2) and retained as intended (C1.1).",
    remediation=Remediation(
        console="DynamoDB console > Tables > the table > Additional settings > Deletion protection > Turn on.",
        cli="aws dynamodb update-table --table-name <table> --deletion-protection-enabled",
        terraform='resource "aws_dynamodb_table" "example" {\n  # ...\n  deletion_protection_enabled = true\n}',
    ),
)
def table_deletion_protection(table: DynamoDbTable) -> Outcome:
    if table.deletion_protection:
        return Pass("deletion protection is enabled")
    return Fail("deletion protection is disabled: DeleteTable succeeds without a second step")


@control(
    id="dynamodb.table_kms_encrypted",
    title="DynamoDB tables are encrypted with a KMS key",
    severity="low",
    needs=TABLES,
    rationale="All DynamoDB tables are encrypted at rest, by default with a key AWS owns and that never appears "
    "in the account: its use is not logged in CloudTrail and no key policy can restrict it. A KMS key, AWS "
    "managed (aws/dynamodb) or customer managed, records every use in CloudTrail and, when customer managed, "
    "lets the entity control and revoke access to the data, supporting CC6.1 and the protection of stored "
    "data (PI1.5).",
    remediation=Remediation(
        console="DynamoDB console > Tables > the table > Additional settings > Encryption > Manage encryption > "
        "choose 'AWS managed key' or 'Stored in your account, and owned and managed by you' > Save.",
        cli="aws dynamodb update-table --table-name <table> --sse-specification "
        "Enabled=true,SSEType=KMS,KMSMasterKeyId=<key-arn>",
        terraform='resource "aws_dynamodb_table" "example" {\n  # ...\n  server_side_encryption {\n'
        '    enabled     = true\n    kms_key_arn = aws_kms_key.ddb.arn\n  }\n}',
    ),
)
def table_kms_encrypted(table: DynamoDbTable) -> Outcome:
    if table.sse_type == "KMS":
        return Pass(f"encrypted with KMS key {table.kms_key_arn or '(unnamed)'}")
    return Fail("encrypted with an AWS-owned key: its use is neither logged nor governed by the account")


READ, WRITE = "dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"


@control(
    id="dynamodb.table_capacity_scales",
    title="DynamoDB tables use on-demand capacity or auto scaling for reads and writes",
    severity="low",
    needs=[*TABLES, "application-autoscaling:DescribeScalableTargets"],
    rationale="A provisioned table with fixed capacity throttles requests as soon as traffic exceeds what was "
    "provisioned, which makes the service unavailable exactly when demand peaks. On-demand capacity or "
    "Application Auto Scaling on both read and write capacity lets the table follow load, the capacity "
    "management A1.1 describes.",
    remediation=Remediation(
        console="DynamoDB console > Tables > the table > Additional settings > Read/write capacity > Edit: choose "
        "On-demand, or keep Provisioned and turn on Auto scaling for both read and write capacity > Save.",
        cli="aws dynamodb update-table --table-name <table> --billing-mode PAY_PER_REQUEST\n# or, per dimension:\n"
        "aws application-autoscaling register-scalable-target --service-namespace dynamodb "
        "--resource-id table/<table> --scalable-dimension dynamodb:table:ReadCapacityUnits "
        "--min-capacity 5 --max-capacity 500",
        terraform='resource "aws_dynamodb_table" "example" {\n  billing_mode = "PAY_PER_REQUEST"\n  # ...\n}',
    ),
)
def table_capacity_scales(table: DynamoDbTable) -> Outcome:
    if table.billing_mode == "PAY_PER_REQUEST":
        return Pass("on-demand capacity follows the load")
    if table.autoscaled_dimensions is None:
        return Error("auto scaling targets were not read")
    missing = [d.rsplit(":", 1)[-1] for d in (READ, WRITE) if d not in table.autoscaled_dimensions]
    if missing:
        return Fail(f"provisioned capacity without auto scaling of {' and '.join(missing)}")
    return Pass("provisioned capacity with auto scaling of reads and writes")
