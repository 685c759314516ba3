"""AWS WAF (v2) resources."""

from __future__ import annotations

from typing import ClassVar, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource
from assay.models.inventory import Inventory

LIST_RESOURCES = "wafv2:ListResourcesForWebACL"
AssociationKind = Literal["load_balancer", "api_gateway_stage"]


class WafRule(BaseModel):
    """One rule of a web ACL, as GetWebACL describes it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    # Block, Allow, Count, Captcha or Challenge for a rule with its own action; for a rule group
    # reference, "" unless OverrideAction is Count, which turns the whole group into "Count".
    action: str = ""
    rule_group: bool = False  # a managed or customer rule group rather than a single rule
    metrics_enabled: bool = True


class WebAcl(Resource):
    """A regional web ACL and the resources it protects (from ListResourcesForWebACL).

    Each association list is None when it could not be listed, so a control that needs it
    reports ERROR rather than concluding that a resource is unprotected.
    """

    type: ClassVar[str] = "AWS::WAFv2::WebACL"
    scope: str = "REGIONAL"
    description: str = ""
    load_balancer_arns: list[str] | None = None  # Application Load Balancers
    api_gateway_stage_arns: list[str] | None = None  # REST API stages
    # From GetWebACL; None: not read.
    default_action: str | None = None  # "Allow" or "Block"
    metrics_enabled: bool | None = None  # the web ACL's own VisibilityConfig.CloudWatchMetricsEnabled
    rules: tuple[WafRule, ...] | None = None
    # From ListLoggingConfigurations; None: not read. () when the web ACL does not log.
    log_destinations: tuple[str, ...] | None = None


class WafCoverage(NamedTuple):
    protected_by: list[str]  # names of the web ACLs that list the resource
    unknown: list[str]  # why some web ACLs' associations are unknown (their failed reads)


def waf_coverage(inv: Inventory, resource: Resource, kind: AssociationKind) -> WafCoverage:
    """Which web ACLs in the resource's account and region protect it (web ACLs are regional).

    For controls: a web ACL whose association list could not be read leaves the answer unknown
    unless another web ACL is known to protect the resource.
    """
    protected: list[str] = []
    unknown: list[str] = []
    for acl in inv.in_account(WebAcl, resource.account_id, resource.region):
        arns = acl.load_balancer_arns if kind == "load_balancer" else acl.api_gateway_stage_arns
        if arns is None:
            failed = [e.describe() for e in inv.errors_on(acl.arn) if e.operation == LIST_RESOURCES]
            unknown += failed or [f"the associations of web ACL {acl.display_name} were not read"]
        elif resource.arn in arns:
            protected.append(acl.display_name)
    return WafCoverage(protected, list(dict.fromkeys(unknown)))
