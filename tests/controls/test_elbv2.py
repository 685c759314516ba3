"""ELBv2 controls: pure functions over LoadBalancer, with web ACLs from a hand-built Inventory."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assay.controls import elbv2
from assay.models.base import Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, CollectionError, ErrorKind, Inventory, ScanMeta
from assay.models.resources.elbv2 import Listener, LoadBalancer
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


# -- listeners, TLS policies and attributes ------------------------------------------------------

def listener(protocol: str, port: int, *actions: str, redirect: str | None = None,
             policy: str | None = None) -> Listener:
    return Listener(protocol=protocol, port=port, default_actions=actions or ("forward",),
                    redirect_protocol=redirect, ssl_policy=policy)


HTTPS = listener("HTTPS", 443, policy="ELBSecurityPolicy-TLS13-1-2-2021-06")


def test_http_listener_must_redirect_to_https() -> None:
    good = lb(listeners=(listener("HTTP", 80, "redirect", redirect="HTTPS"), HTTPS))
    out = elbv2.alb_http_redirects_to_https(good)
    assert out.status is Status.PASS and out.message == "HTTP listener(s) on 80 redirect to HTTPS"
    assert elbv2.alb_http_redirects_to_https(lb(listeners=(HTTPS,))).message == "no plain HTTP listener"
    out = elbv2.alb_http_redirects_to_https(lb(listeners=(listener("HTTP", 80), listener("HTTP", 8080, "redirect",
                                                                                             redirect="#{protocol}"))))
    assert out.status is Status.FAIL
    assert out.message == "serves plain HTTP without redirecting to HTTPS: HTTP:80 (forward); HTTP:8080 (redirect)"
    assert elbv2.alb_http_redirects_to_https(lb(load_balancer_type="network", listeners=())).status is Status.SKIP
    assert elbv2.alb_http_redirects_to_https(lb(listeners=None)).status is Status.ERROR


def test_tls_listener_policy() -> None:
    out = elbv2.tls_listener_policy_modern(lb(listeners=(HTTPS, listener("HTTP", 80))))
    assert out.status is Status.PASS
    assert out.message == ("every HTTPS/TLS listener requires TLS 1.2 or later: "
                           "HTTPS:443 ELBSecurityPolicy-TLS13-1-2-2021-06")
    old = lb(load_balancer_type="network", listeners=(listener("TLS", 8443, policy="ELBSecurityPolicy-2016-08"),))
    out = elbv2.tls_listener_policy_modern(old)
    assert out.status is Status.FAIL
    assert out.message == ("TLS below 1.2 can be negotiated: TLS:8443 uses ELBSecurityPolicy-2016-08, "
                           "which accepts TLS 1.0")
    assert elbv2.tls_listener_policy_modern(lb(listeners=(listener("HTTPS", 443, policy="custom-x"),))).status \
        is Status.FAIL
    assert elbv2.tls_listener_policy_modern(lb(listeners=(HTTPS,)), min_tls_version="1.3").status is Status.FAIL
    assert elbv2.tls_listener_policy_modern(lb(listeners=(listener("HTTP", 80),))).status is Status.SKIP
    assert elbv2.tls_listener_policy_modern(lb(listeners=None)).status is Status.ERROR


def test_policy_names_map_to_their_oldest_tls_version() -> None:
    assert {p: elbv2.policy_min_tls(p) for p in (
        "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-0-2021-06", "ELBSecurityPolicy-TLS-1-1-2017-01", "ELBSecurityPolicy-FS-1-2-2019-08",
        "ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-2016-08", "something-else")} == {
        "ELBSecurityPolicy-TLS13-1-3-2021-06": "1.3", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": "1.2",
        "ELBSecurityPolicy-TLS13-1-0-2021-06": "1.0", "ELBSecurityPolicy-TLS-1-1-2017-01": "1.1",
        "ELBSecurityPolicy-FS-1-2-2019-08": "1.2", "ELBSecurityPolicy-FS-2018-06": "1.0",
        "ELBSecurityPolicy-2016-08": "1.0", "something-else": None}


def test_access_logging() -> None:
    on = lb(attributes={"access_logs.s3.enabled": "true", "access_logs.s3.bucket": "logs"})
    assert elbv2.access_logging_enabled(on).message == "access logs go to s3://logs"
    out = elbv2.access_logging_enabled(lb(attributes={"access_logs.s3.enabled": "false"}))
    assert out.status is Status.FAIL and out.message == "access logging is off"
    assert elbv2.access_logging_enabled(lb(attributes={})).status is Status.FAIL  # AWS's default is off
    assert elbv2.access_logging_enabled(lb(load_balancer_type="gateway", attributes={})).status is Status.SKIP
    assert elbv2.access_logging_enabled(lb(attributes=None)).status is Status.ERROR


def test_drop_invalid_headers() -> None:
    key = "routing.http.drop_invalid_header_fields.enabled"
    assert elbv2.alb_drops_invalid_headers(lb(attributes={key: "true"})).status is Status.PASS
    out = elbv2.alb_drops_invalid_headers(lb(attributes={key: "false"}))
    assert out.status is Status.FAIL and out.message == "headers with invalid names are passed on to targets"
    assert elbv2.alb_drops_invalid_headers(lb(load_balancer_type="network", attributes={})).status is Status.SKIP
    assert elbv2.alb_drops_invalid_headers(lb(attributes=None)).status is Status.ERROR


def test_deletion_protection() -> None:
    key = "deletion_protection.enabled"
    assert elbv2.deletion_protection_enabled(lb(attributes={key: "true"})).status is Status.PASS
    out = elbv2.deletion_protection_enabled(lb(attributes={key: "false"}))
    assert out.status is Status.FAIL and out.message == "the load balancer can be deleted in one step"
    assert elbv2.deletion_protection_enabled(lb(attributes=None)).status is Status.ERROR
