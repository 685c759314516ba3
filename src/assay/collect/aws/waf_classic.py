"""AWS WAF Classic: global (CloudFront) and regional web ACLs and where each logs its traffic.

An account with no Classic web ACL, the usual case since WAF Classic's end of support, costs one
ListWebACLs per API and region; logging is read with one ListLoggingConfigurations, and only then.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.waf_classic import ClassicWebAcl, WafClassicWebAcl, WafRegionalWebAcl

A = TypeVar("A", bound=ClassicWebAcl)


def _web_acls(ctx: Ctx, service: str, model: type[A]) -> Iterator[A]:
    waf = ctx.client(service)
    acls = list(ctx.paginate(waf, "list_web_acls", "WebACLs"))
    if not acls:
        return
    logged: dict[str, tuple[str, ...]] = {}
    for config in ctx.paginate(waf, "list_logging_configurations", "LoggingConfigurations"):
        # Keyed by the web ACL's ID, the last part of ResourceArn (".../webacl/<id>").
        acl_id = str(config.get("ResourceArn", "")).rsplit("/", 1)[-1]
        logged[acl_id] = tuple(str(d) for d in config.get("LogDestinationConfigs") or [])
    unread = ctx.failed(f"{service}:ListLoggingConfigurations")
    for acl in acls:
        acl_id = str(acl["WebACLId"])
        yield model(
            arn=ctx.arn(service, f"webacl/{acl_id}"),
            id=acl_id,
            name=str(acl.get("Name", "")),
            account_id=ctx.account_id,
            region=ctx.region,
            log_destinations=None if unread else logged.get(acl_id, ()),
        )


@collector(
    service="waf",
    scope="global",
    produces=[WafClassicWebAcl],
    permissions=["waf:ListWebACLs", "waf:ListLoggingConfigurations"],
)
def collect_global_web_acls(ctx: Ctx) -> Iterator[WafClassicWebAcl]:
    yield from _web_acls(ctx, "waf", WafClassicWebAcl)


@collector(
    service="waf-regional",
    produces=[WafRegionalWebAcl],
    permissions=["waf-regional:ListWebACLs", "waf-regional:ListLoggingConfigurations"],
)
def collect_regional_web_acls(ctx: Ctx) -> Iterator[WafRegionalWebAcl]:
    yield from _web_acls(ctx, "waf-regional", WafRegionalWebAcl)
