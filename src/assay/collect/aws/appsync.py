"""AppSync: GraphQL APIs and their CloudWatch logging settings, all in the listing."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.appsync import AppSyncGraphqlApi


@collector(service="appsync", produces=[AppSyncGraphqlApi], permissions=["appsync:ListGraphqlApis"])
def collect_graphql_apis(ctx: Ctx) -> Iterator[AppSyncGraphqlApi]:
    appsync = ctx.client("appsync")
    for api in ctx.paginate(appsync, "list_graphql_apis", "graphqlApis"):
        log = api.get("logConfig") or {}
        yield AppSyncGraphqlApi(
            arn=api["arn"], id=api["apiId"], account_id=ctx.account_id, region=ctx.region, name=api.get("name", ""),
            tags={str(k): str(v) for k, v in (api.get("tags") or {}).items()},
            field_log_level=log.get("fieldLogLevel") or "NONE", logs_role_arn=log.get("cloudWatchLogsRoleArn") or "",
        )
