"""AWS WAF (v2): regional web ACLs and, per web ACL, the load balancers and API stages it protects.

Associations are read in bulk (one ListResourcesForWebACL per web ACL and resource type) rather
than one GetWebACLForResource per load balancer or stage, and logging configurations with one
ListLoggingConfigurations per region rather than one GetLoggingConfiguration per web ACL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import PaginationError

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.wafv2 import LIST_RESOURCES, WafRule, WebAcl

LIST_ACTION = "wafv2:ListWebACLs"
GET_ACL = "wafv2:GetWebACL"
LIST_LOGGING = "wafv2:ListLoggingConfigurations"
PAGE_LIMIT = 100  # the API's maximum


def _pages(ctx: Ctx, waf: Any, operation: str, action: str, key: str) -> Iterator[dict[str, Any]] | None:
    """Every item of a regional wafv2 listing, or None when a page failed (recorded without a resource ARN,
    so the region's listing counts as incomplete). botocore has no paginator for wafv2: follow NextMarker."""
    items: list[dict[str, Any]] = []
    marker: str | None = None
    seen: set[str] = set()
    while True:
        params: dict[str, Any] = {"Scope": "REGIONAL", "Limit": PAGE_LIMIT}
        if marker:
            params["NextMarker"] = marker
        page = ctx.call(waf, operation, **params)
        if page is None:
            return None
        items += page.get(key, [])
        marker = page.get("NextMarker")
        if not marker:
            return iter(items)
        if marker in seen:  # a marker that does not advance would loop forever
            ctx.record(action, PaginationError(message=f"NextMarker {marker!r} repeated"), None)
            return None
        seen.add(marker)


def _associated(ctx: Ctx, waf: Any, acl_arn: str, resource_type: str) -> list[str] | None:
    got = ctx.call(waf, "list_resources_for_web_acl", resource_arn=acl_arn, WebACLArn=acl_arn,
                   ResourceType=resource_type)
    return None if got is None else [str(a) for a in got.get("ResourceArns", [])]


def _action(rule: dict[str, Any]) -> str:
    if rule.get("Action"):
        return next(iter(rule["Action"]), "")
    # A rule group reference: OverrideAction Count makes every rule in the group only count.
    return "Count" if "Count" in (rule.get("OverrideAction") or {}) else ""


def _rule(rule: dict[str, Any]) -> WafRule:
    statement = rule.get("Statement") or {}
    return WafRule(
        name=str(rule.get("Name", "")), action=_action(rule),
        rule_group=any(k in statement for k in ("ManagedRuleGroupStatement", "RuleGroupReferenceStatement")),
        metrics_enabled=bool((rule.get("VisibilityConfig") or {}).get("CloudWatchMetricsEnabled", False)),
    )


@collector(service="wafv2", produces=[WebAcl],
           permissions=[LIST_ACTION, LIST_RESOURCES, GET_ACL, LIST_LOGGING],
           # deleted after it was listed
           absent={LIST_RESOURCES: ["WAFNonexistentItemException"], GET_ACL: ["WAFNonexistentItemException"]})
def collect_web_acls(ctx: Ctx) -> Iterator[WebAcl]:
    waf = ctx.client("wafv2")
    acls = _pages(ctx, waf, "list_web_acls", LIST_ACTION, "WebACLs")
    if acls is None:
        return
    logging_configs = _pages(ctx, waf, "list_logging_configurations", LIST_LOGGING, "LoggingConfigurations")
    logging = None if logging_configs is None else {
        str(c.get("ResourceArn")): tuple(str(d) for d in c.get("LogDestinationConfigs") or []) for c in logging_configs}
    for acl in acls:
        arn = acl["ARN"]
        got = ctx.call(waf, "get_web_acl", resource_arn=arn, Name=acl["Name"], Scope="REGIONAL", Id=acl["Id"])
        detail = None if got is None else got.get("WebACL")  # {} (no WebACL) when deleted after listing
        yield WebAcl(
            arn=arn, id=acl.get("Id", ""), account_id=ctx.account_id, region=ctx.region,
            name=acl.get("Name", ""), description=acl.get("Description") or "",
            load_balancer_arns=_associated(ctx, waf, arn, "APPLICATION_LOAD_BALANCER"),
            api_gateway_stage_arns=_associated(ctx, waf, arn, "API_GATEWAY"),
            default_action=None if not detail else next(iter(detail.get("DefaultAction") or {}), ""),
            metrics_enabled=None if not detail else bool(
                (detail.get("VisibilityConfig") or {}).get("CloudWatchMetricsEnabled", False)),
            rules=None if not detail else tuple(_rule(r) for r in detail.get("Rules") or []),
            log_destinations=None if logging is None else logging.get(arn, ()),
        )
