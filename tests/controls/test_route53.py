"""Route 53 controls: pure functions over Route53HostedZone."""

from __future__ import annotations

from typing import Any

from assay.controls import route53
from assay.models.findings import Status
from assay.models.resources.route53 import Route53HostedZone

GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/example.com:*"


def zone(**over: Any) -> Route53HostedZone:
    base: dict[str, Any] = dict(arn="arn:aws:route53:::hostedzone/Z1", id="Z1", account_id="123456789012",
                                region="global", name="example.com", query_log_groups=(GROUP,))
    return Route53HostedZone(**{**base, **over})


def test_public_zone_query_logging() -> None:
    assert route53.public_zone_query_logging(zone()).status is Status.PASS
    out = route53.public_zone_query_logging(zone(query_log_groups=()))
    assert out.status is Status.FAIL and "example.com" in out.message
    assert route53.public_zone_query_logging(zone(private=True, query_log_groups=())).status is Status.SKIP
    assert route53.public_zone_query_logging(zone(query_log_groups=None)).status is Status.ERROR
