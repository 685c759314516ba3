"""Classic Load Balancer controls: pure functions over ClassicLoadBalancer."""

from __future__ import annotations

from typing import Any

from assay.controls import elb
from assay.models.findings import Status
from assay.models.resources.elb import ClassicListener, ClassicLoadBalancer

ACCOUNT = "123456789012"
ACM = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/c1"
IAM = f"arn:aws:iam::{ACCOUNT}:server-certificate/old"
TLS12 = {"Reference-Security-Policy": "ELBSecurityPolicy-TLS-1-2-2017-01"}


def https(port: int = 443, cert: str | None = ACM, policies: tuple[str, ...] = ("tls",)) -> ClassicListener:
    return ClassicListener(protocol="HTTPS", port=port, instance_protocol="HTTP", instance_port=80,
                           certificate_id=cert, policy_names=policies)


HTTP = ClassicListener(protocol="HTTP", port=80, instance_protocol="HTTP", instance_port=80)


def clb(*listeners: ClassicListener, **over: Any) -> ClassicLoadBalancer:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/web", id="web", account_id=ACCOUNT,
        region="us-east-1", name="web", scheme="internet-facing", listeners=listeners, ssl_policies={"tls": TLS12},
        access_log_enabled=True, cross_zone_enabled=True, connection_draining_enabled=True,
    )
    return ClassicLoadBalancer(**{**base, **over})


def test_listeners_use_tls() -> None:
    out = elb.listeners_use_tls(clb(https(), https(8443)))
    assert out.status is Status.PASS and out.message == "every listener uses TLS: HTTPS:443, HTTPS:8443"
    out = elb.listeners_use_tls(clb(HTTP, https()))
    assert out.status is Status.FAIL and out.message == "unencrypted listener(s): HTTP:80"
    assert elb.listeners_use_tls(clb()).status is Status.SKIP


def test_tls_certificate_from_acm() -> None:
    assert elb.tls_certificate_from_acm(clb(https())).message == "ACM certificate(s) on HTTPS:443"
    out = elb.tls_certificate_from_acm(clb(https(cert=IAM), https(8443, cert=None)))
    assert out.status is Status.FAIL
    assert out.message == f"certificate not from ACM: HTTPS:443 uses {IAM}; HTTPS:8443 uses no certificate"
    assert elb.tls_certificate_from_acm(clb(HTTP)).status is Status.SKIP


def test_tls_policy_by_reference_or_by_protocols() -> None:
    assert elb.tls_policy_modern(clb(https())).status is Status.PASS
    old = clb(https(), ssl_policies={"tls": {"Reference-Security-Policy": "ELBSecurityPolicy-2016-08"}})
    out = elb.tls_policy_modern(old)
    assert out.status is Status.FAIL
    assert out.message == ("TLS below 1.2 can be negotiated: HTTPS:443: tls (ELBSecurityPolicy-2016-08) "
                           "accepts TLS 1.0")
    # an expanded or custom policy is judged by the protocols it actually enables
    custom = {"Protocol-TLSv1": "true", "Protocol-TLSv1.2": "true", "Protocol-SSLv3": "false",
              "Reference-Security-Policy": "ELBSecurityPolicy-TLS-1-2-2017-01"}
    out = elb.tls_policy_modern(clb(https(), ssl_policies={"tls": custom}))
    assert out.status is Status.FAIL and out.message.endswith("HTTPS:443: tls enables Protocol-TLSv1")
    strict = {"Protocol-TLSv1.2": "true", "Protocol-TLSv1.1": "false", "ECDHE-RSA-AES128-GCM-SHA256": "true"}
    assert elb.tls_policy_modern(clb(https(), ssl_policies={"tls": strict})).status is Status.PASS
    # a predefined policy attached by its own name
    named = clb(https(policies=("ELBSecurityPolicy-TLS-1-2-2017-01",)), ssl_policies={})
    assert elb.tls_policy_modern(named).status is Status.PASS


def test_tls_policy_missing_skip_and_error() -> None:
    out = elb.tls_policy_modern(clb(https(policies=())))
    assert out.status is Status.FAIL and out.message.endswith("HTTPS:443 has no SSL negotiation policy")
    assert elb.tls_policy_modern(clb(https()), min_tls_version="1.3").status is Status.FAIL
    assert elb.tls_policy_modern(clb(HTTP)).status is Status.SKIP
    assert elb.tls_policy_modern(clb(https(), ssl_policies=None)).status is Status.ERROR


def test_attribute_controls() -> None:
    for check, field in ((elb.access_logging_enabled, "access_log_enabled"),
                         (elb.cross_zone_enabled, "cross_zone_enabled"),
                         (elb.connection_draining_enabled, "connection_draining_enabled")):
        assert check(clb(https())).status is Status.PASS, check
        assert check(clb(https(), **{field: False})).status is Status.FAIL, check
        assert check(clb(https(), **{field: None})).status is Status.ERROR, check
    assert elb.access_logging_enabled(clb(access_log_enabled=False)).message == "access logging is off"
