"""CodeBuild: the source-provider credentials stored for the region (their types only, never the tokens)."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.codebuild_credentials import CodeBuildSourceCredentials, SourceCredential

LIST = "codebuild:ListSourceCredentials"


@collector(service="codebuild", produces=[CodeBuildSourceCredentials], permissions=[LIST])
def collect_source_credentials(ctx: Ctx) -> Iterator[CodeBuildSourceCredentials]:
    codebuild = ctx.client("codebuild")
    arn = ctx.arn("codebuild", "token")  # the region's record: a failed listing is an ERROR on it alone
    got = ctx.call(codebuild, "list_source_credentials", resource_arn=arn)
    yield CodeBuildSourceCredentials(
        arn=arn, id=ctx.region, name=ctx.region, account_id=ctx.account_id,
        region=ctx.region,
        credentials=None if got is None else tuple(
            SourceCredential(arn=str(c.get("arn", "")), server_type=str(c.get("serverType", "")),
                             auth_type=str(c.get("authType", "")))
            for c in got.get("sourceCredentialsInfos") or []),
    )
