"""AWS WAF (v2): regional web ACLs and, per web ACL, the load balancers and API stages it protects.

Associations are read in bulk (one ListResourcesForWebACL per web ACL and resource type) rather
than one GetWebACLForResource per load balancer or stage.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import PaginationError

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.wafv2 import LIST_RESOURCES, WebAcl

LIST_ACTION = "wafv2:ListWebACLs"
PAGE_LIMIT = 100  # the API's maximum


def _web_acls(ctx: Ctx, waf: Any) -> Iterator[dict[str, Any]]:
    """Every regional web ACL. botocore has no paginator for wafv2, so follow NextMarker here."""
    marker: str | None = None
    seen: set[str] = set()
    while True:
        params: dict[str, Any] = {"Scope": "REGIONAL", "Limit": PAGE_LIMIT}
        if marker:
            params["NextMarker"] = marker
        page = ctx.call(waf, "list_web_acls", **params)
        if page is None:
            return  # recorded without a resource ARN: the region's listing is incomplete
        yield from page.get("WebACLs", [])
        marker = page.get("NextMarker")
        if not marker:
            return
        if marker in seen:  # a marker that does not advance would loop forever
            ctx.record(LIST_ACTION, PaginationError(message=f"NextMarker {marker!r} repeated"), None)
            return
        seen.add(marker)


def _associated(ctx: Ctx, waf: Any, acl_arn: str, resource_type: str) -> list[str] | None:
    got = ctx.call(waf, "list_resources_for_web_acl", resource_arn=acl_arn, WebACLArn=acl_arn,
                   ResourceType=resource_type)
    return None if got is None else [str(a) for a in got.get("ResourceArns", [])]


@collector(service="wafv2", produces=[WebAcl], permissions=[LIST_ACTION, LIST_RESOURCES],
           absent={LIST_RESOURCES: ["WAFNonexistentItemException"]})  # deleted after it was listed
def collect_web_acls(ctx: Ctx) -> Iterator[WebAcl]:
    waf = ctx.client("wafv2")
    for acl in _web_acls(ctx, waf):
        arn = acl["ARN"]
        yield WebAcl(
            arn=arn, id=acl.get("Id", ""), account_id=ctx.account_id, region=ctx.region,
            name=acl.get("Name", ""), description=acl.get("Description") or "",
            load_balancer_arns=_associated(ctx, waf, arn, "APPLICATION_LOAD_BALANCER"),
            api_gateway_stage_arns=_associated(ctx, waf, arn, "API_GATEWAY"),
        )
