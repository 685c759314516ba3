"""DynamoDB: table settings (recovery, deletion protection, encryption, capacity). Never items:
no Scan, Query or GetItem, and the guard refuses them anyway."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.dynamodb import DynamoDbTable

SCALING = "application-autoscaling:DescribeScalableTargets"


@collector(
    service="dynamodb",
    produces=[DynamoDbTable],
    permissions=["dynamodb:ListTables", "dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups",
                 "dynamodb:ListTagsOfResource", SCALING],
)
def collect_tables(ctx: Ctx) -> Iterator[DynamoDbTable]:
    ddb = ctx.client("dynamodb")
    names = list(ctx.paginate(ddb, "list_tables", "TableNames"))
    if not names:
        return
    # Auto scaling of provisioned capacity lives in Application Auto Scaling: one listing per region.
    scaling = ctx.client("application-autoscaling")
    targets: dict[str, set[str]] = {}
    for t in ctx.paginate(scaling, "describe_scalable_targets", "ScalableTargets", ServiceNamespace="dynamodb"):
        targets.setdefault(t.get("ResourceId", ""), set()).add(t.get("ScalableDimension", ""))
    scaled = None if ctx.failed(SCALING) else targets
    for name in names:
        arn = ctx.arn("dynamodb", f"table/{name}")
        got = ctx.call(ddb, "describe_table", resource_arn=arn, TableName=name)
        if got is None:
            continue  # recorded against the table; the engine reports it
        table = got.get("Table") or {}
        arn = table.get("TableArn") or arn
        backups = ctx.call(ddb, "describe_continuous_backups", resource_arn=arn, TableName=name)
        pitr = None
        if backups is not None:
            status = ((backups.get("ContinuousBackupsDescription") or {}).get("PointInTimeRecoveryDescription") or {})
            pitr = status.get("PointInTimeRecoveryStatus") == "ENABLED"
        tags = list(ctx.paginate(ddb, "list_tags_of_resource", "Tags", resource_arn=arn, ResourceArn=arn))
        sse = table.get("SSEDescription") or {}
        kms = sse.get("SSEType") == "KMS" and sse.get("Status") in ("ENABLED", "UPDATING")
        yield DynamoDbTable(
            arn=arn, id=name, name=name, account_id=ctx.account_id, region=ctx.region, tags=tags_from(tags),
            status=table.get("TableStatus", ""),
            billing_mode=(table.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED",
            deletion_protection=bool(table.get("DeletionProtectionEnabled")),
            sse_type="KMS" if kms else "AWS_OWNED", kms_key_arn=sse.get("KMSMasterKeyArn") if kms else None,
            pitr_enabled=pitr,
            autoscaled_dimensions=None if scaled is None else tuple(sorted(scaled.get(f"table/{name}", ()))),
        )
