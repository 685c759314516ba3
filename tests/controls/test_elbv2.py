"""ELBv2 controls: pure functions over LoadBalancer, with web ACLs from a hand-built Inventory."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assay.controls import elbv2
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, CollectionError, ErrorKind, Inventory, ScanMeta
from assay.models.resources.elbv2 import LoadBalancer
from assay.models.resources.wafv2 import WebAcl

ACCOUNT = "123456789012"
ALB_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/web/abc"
ACL_ARN = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/edge/1"


def inventory(resources: list[Resource], errors: list[CollectionError] | None = None) -> Inventory:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], resources, errors or [])


def lb(**over: Any) -> LoadBalancer:
    base: dict[str, Any] = dict(arn=ALB_ARN, id="app/web/abc", account_id=ACCOUNT, region="us-east-1", name="web",
                                load_balancer_type="application", scheme="internet-facing")
    return LoadBalancer(**{**base, **over})


def acl(**over: Any) -> WebAcl:
    base: dict[str, Any] = dict(arn=ACL_ARN, id="1", account_id=ACCOUNT, region="us-east-1", name="edge",
                                load_balancer_arns=[], api_gateway_stage_arns=[])
    return WebAcl(**{**base, **over})


def verdict(balancer: LoadBalancer, *resources: Resource, errors: list[CollectionError] | None = None) -> Any:
    return elbv2.internet_facing_alb_has_waf(balancer, inventory([balancer, *resources], errors))


def test_alb_listed_by_a_web_acl_passes() -> None:
    outcome = verdict(lb(), acl(load_balancer_arns=[ALB_ARN]))
    assert outcome.status is Status.PASS
    assert outcome.message == "associated with web ACL edge"


def test_alb_without_web_acl_fails() -> None:
    assert verdict(lb()).status is Status.FAIL
    # a web ACL that protects something else, or the same ARN in another region or account, does not count
    assert verdict(lb(), acl(load_balancer_arns=[ALB_ARN + "x"])).status is Status.FAIL
    assert verdict(lb(), acl(region="eu-west-1", load_balancer_arns=[ALB_ARN])).status is Status.FAIL
    assert verdict(lb(), acl(account_id="210987654321", load_balancer_arns=[ALB_ARN])).status is Status.FAIL
    # a stage association is not a load balancer association
    assert verdict(lb(), acl(api_gateway_stage_arns=[ALB_ARN])).status is Status.FAIL


def test_internal_network_and_gateway_load_balancers_skip() -> None:
    assert verdict(lb(scheme="internal")).status is Status.SKIP
    nlb = verdict(lb(load_balancer_type="network"))
    assert nlb.status is Status.SKIP and "network" in nlb.message
    assert verdict(lb(load_balancer_type="gateway", scheme="internal")).status is Status.SKIP


def test_unlisted_associations_are_error_not_fail() -> None:
    denied = CollectionError(account_id=ACCOUNT, region="us-east-1", service="wafv2",
                             operation="wafv2:ListResourcesForWebACL", code="AccessDenied", kind=ErrorKind.DENIED,
                             message="no", resource_arn=ACL_ARN)
    outcome = verdict(lb(), acl(load_balancer_arns=None), errors=[denied])
    assert outcome.status is Status.ERROR
    assert "wafv2:ListResourcesForWebACL" in outcome.message and "AccessDenied" in outcome.message
    assert verdict(lb(), acl(load_balancer_arns=None)).status is Status.ERROR


def test_known_association_passes_even_if_another_list_is_unknown() -> None:
    other = acl(arn=ACL_ARN + "-2", id="2", name="other", load_balancer_arns=None)
    assert verdict(lb(), other, acl(load_balancer_arns=[ALB_ARN])).status is Status.PASS
