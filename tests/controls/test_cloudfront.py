"""CloudFront controls: pure functions over built distributions."""

from __future__ import annotations

from typing import Any

import pytest

from assay.controls import cloudfront as cf
from assay.models.base import GLOBAL
from assay.models.findings import Status
from assay.models.resources.cloudfront import CacheBehavior, CloudFrontDistribution, Origin

S3_OAC = Origin(id="assets", domain_name="assets.s3.us-east-1.amazonaws.com", kind="s3", origin_access_control_id="E1")
API = Origin(id="api", domain_name="api.example.com", kind="custom", protocol_policy="https-only",
             ssl_protocols=("TLSv1.2",))
SECURE = CacheBehavior(path="*", target_origin_id="assets", viewer_protocol_policy="redirect-to-https")


def dist(**over: Any) -> CloudFrontDistribution:
    base: dict[str, Any] = dict(
        arn="arn:aws:cloudfront::123456789012:distribution/E2", id="E2", name="site", account_id="123456789012",
        region=GLOBAL, enabled=True, aliases=("www.example.com",),
        behaviors=(SECURE, CacheBehavior(path="/api/*", target_origin_id="api", viewer_protocol_policy="https-only")),
        origins=(S3_OAC, API), web_acl_id="arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1",
        logging_enabled=True, logging_bucket="logs.s3.amazonaws.com", certificate_source="acm",
        minimum_protocol_version="TLSv1.2_2021",
    )
    return CloudFrontDistribution(**{**base, **over})


UNREAD = dict(enabled=None, aliases=None, behaviors=None, origins=None, web_acl_id=None, logging_enabled=None,
              logging_bucket=None, certificate_source=None, minimum_protocol_version=None)
ALL = [cf.distribution_viewer_https_only, cf.distribution_origin_https, cf.distribution_viewer_tls_modern,
       cf.distribution_has_waf, cf.distribution_access_logging, cf.s3_origins_use_origin_access,
       cf.distribution_field_level_encryption]


@pytest.mark.parametrize("check", ALL)
def test_unread_configuration_is_error(check: Any) -> None:
    outcome = check(dist(**UNREAD))
    assert outcome.status is Status.ERROR and "cloudfront:GetDistributionConfig" in outcome.message


def test_viewer_https_only() -> None:
    assert cf.distribution_viewer_https_only(dist()).message == "all 2 cache behaviors require or redirect to HTTPS"
    images = CacheBehavior(path="/img/*", target_origin_id="assets", viewer_protocol_policy="allow-all")
    open_ = dist(behaviors=(SECURE.model_copy(update={"viewer_protocol_policy": "allow-all"}), images))
    outcome = cf.distribution_viewer_https_only(open_)
    assert outcome.status is Status.FAIL
    assert outcome.message == "HTTP is allowed by default behavior, behavior /img/*"


def test_origin_https() -> None:
    assert cf.distribution_origin_https(dist()).status is Status.PASS
    assert cf.distribution_origin_https(dist(origins=(S3_OAC,))).status is Status.SKIP
    http = API.model_copy(update={"protocol_policy": "http-only"})
    assert cf.distribution_origin_https(dist(origins=(http,))).message == "api is fetched over HTTP only"
    old = API.model_copy(update={"ssl_protocols": ("TLSv1", "TLSv1.1", "TLSv1.2")})
    assert cf.distribution_origin_https(dist(origins=(old,))).message == "api accepts TLSv1, TLSv1.1"


def test_origin_match_viewer_depends_on_the_behaviors_routed_to_it() -> None:
    matching = API.model_copy(update={"protocol_policy": "match-viewer"})
    assert cf.distribution_origin_https(dist(origins=(matching,))).status is Status.PASS
    plain = (SECURE, CacheBehavior(path="/api/*", target_origin_id="api", viewer_protocol_policy="allow-all"))
    outcome = cf.distribution_origin_https(dist(origins=(matching,), behaviors=plain))
    assert outcome.status is Status.FAIL
    assert outcome.message == "api matches viewers that may use HTTP (behavior /api/*)"


def test_viewer_tls_modern() -> None:
    assert cf.distribution_viewer_tls_modern(dist()).status is Status.PASS
    assert cf.distribution_viewer_tls_modern(dist(minimum_protocol_version="TLSv1.3_2025")).status is Status.PASS
    old = cf.distribution_viewer_tls_modern(dist(certificate_source="iam", minimum_protocol_version="TLSv1_2016"))
    assert old.status is Status.FAIL and "TLSv1_2016" in old.message
    default = cf.distribution_viewer_tls_modern(dist(certificate_source="cloudfront", minimum_protocol_version="TLSv1"))
    assert default.status is Status.SKIP


def test_has_waf() -> None:
    assert cf.distribution_has_waf(dist()).status is Status.PASS
    assert cf.distribution_has_waf(dist(web_acl_id="")).message == "no WAF web ACL is associated"


def test_access_logging() -> None:
    assert cf.distribution_access_logging(dist()).message == \
        "standard access logs are delivered to logs.s3.amazonaws.com"
    realtime = tuple(b.model_copy(update={"realtime_log_config_arn": "arn:rt"}) for b in dist().behaviors or ())
    assert cf.distribution_access_logging(dist(logging_enabled=False, behaviors=realtime)).status is Status.PASS
    partly = (realtime[0], dist().behaviors[1])  # type: ignore[index]
    assert cf.distribution_access_logging(dist(logging_enabled=False, behaviors=partly)).status is Status.FAIL
    assert cf.distribution_access_logging(dist(logging_enabled=False)).status is Status.FAIL


def test_s3_origins_use_origin_access() -> None:
    assert cf.s3_origins_use_origin_access(dist()).status is Status.PASS
    oai = S3_OAC.model_copy(update={"origin_access_control_id": "",
                                    "origin_access_identity": "origin-access-identity/cloudfront/E3"})
    assert cf.s3_origins_use_origin_access(dist(origins=(oai,))).status is Status.PASS
    bare = S3_OAC.model_copy(update={"origin_access_control_id": ""})
    failed = cf.s3_origins_use_origin_access(dist(origins=(bare, API)))
    assert failed.status is Status.FAIL and failed.message.startswith("S3 origin assets has neither")
    assert cf.s3_origins_use_origin_access(dist(origins=(API,))).status is Status.SKIP


def test_field_level_encryption() -> None:
    assert cf.distribution_field_level_encryption(dist()).status is Status.FAIL
    fle = (SECURE.model_copy(update={"field_level_encryption_id": "C3"}),)
    assert cf.distribution_field_level_encryption(dist(behaviors=fle)).status is Status.PASS
