"""CloudFront collector against moto's server: distributions read once globally, the demo estate's
verdicts, and ERROR (never PASS or FAIL) for every control when a read it needs is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.aws.cloudfront import origin
from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import REGIONS
from assay.demo.estate import cloudfront as estate
from assay.faults import deny
from assay.models.base import GLOBAL
from assay.models.resources.cloudfront import CloudFrontDistribution
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

WWW, LEGACY, DOCS = "pass-northwind-www", "fail-northwind-legacy-downloads", "skip-northwind-docs-preview"
EXPECTED = {
    "cloudfront.distribution_viewer_https_only": {WWW: "pass", LEGACY: "fail", DOCS: "pass"},
    "cloudfront.distribution_origin_https": {WWW: "pass", LEGACY: "fail", DOCS: "pass"},
    "cloudfront.distribution_viewer_tls_modern": {WWW: "pass", LEGACY: "fail", DOCS: "skip"},
    "cloudfront.distribution_has_waf": {WWW: "pass", LEGACY: "fail", DOCS: "fail"},
    "cloudfront.distribution_access_logging": {WWW: "pass", LEGACY: "fail", DOCS: "fail"},
    "cloudfront.s3_origins_use_origin_access": {WWW: "skip", LEGACY: "fail", DOCS: "skip"},
    "cloudfront.distribution_field_level_encryption": {WWW: "pass", LEGACY: "fail", DOCS: "fail"},
}
ACTIONS = sorted({p for s in load_collectors().values() if s.service == "cloudfront" for p in s.permissions})
CONTROLS = {cid: c for cid, c in load_controls().items() if cid.startswith("cloudfront.")}


def test_collects_distributions_globally_and_evaluates(access: AwsAccess, seed: Any) -> None:
    estate.seed(seed, REGIONS)
    inv = scan(access, ["cloudfront"], regions=REGIONS)
    assert inv.complete and not inv.errors
    dists = {d.name: d for d in inv.of(CloudFrontDistribution)}
    assert set(dists) == {WWW, LEGACY, DOCS}
    www, legacy = dists[WWW], dists[LEGACY]
    assert www.region == GLOBAL and www.arn == f"arn:aws:cloudfront::{ACCOUNT}:distribution/{www.id}"
    assert (www.certificate_source, www.minimum_protocol_version, www.web_acl_id) == \
        ("acm", "TLSv1.2_2021", estate.WEB_ACL)
    assert www.aliases == ("www.northwind.example",) and www.logging_enabled is True
    assert [(b.path, b.viewer_protocol_policy) for b in legacy.behaviors or ()] == [
        ("*", "allow-all"), ("/mirror/*", "allow-all")]
    assert [(o.id, o.kind, o.protocol_policy) for o in legacy.origins or ()] == [
        ("downloads-bucket", "s3", ""), ("mirror", "custom", "http-only")]
    assert inv.meta.api_calls["cloudfront:GetDistributionConfig"] == 3  # once per distribution, not per region
    ev = evaluate(inv)
    for cid, expected in EXPECTED.items():
        assert by_name(ev, cid) == expected, cid
    assert set(EXPECTED) == set(CONTROLS)


@pytest.mark.parametrize("action", ACTIONS)
def test_denied_read_is_error_never_pass_or_fail(access: AwsAccess, seed: Any, action: str) -> None:
    estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({action}, code="AccessDenied")))
    inv = scan(access, ["cloudfront"], regions=REGIONS)
    assert {e.operation for e in inv.errors} == {action}
    ev = evaluate(inv)
    for cid, control in CONTROLS.items():
        assert action in control.needs
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, cid
        assert all(action in f.message for f in found), cid


def test_s3_origins_are_recognised_by_their_rest_endpoint() -> None:
    assert origin({"Id": "a", "DomainName": "b.s3.eu-west-1.amazonaws.com"}).kind == "s3"
    assert origin({"Id": "a", "DomainName": "b.s3.amazonaws.com", "OriginAccessControlId": "E1"}).kind == "s3"
    website = {"Id": "a", "DomainName": "b.s3-website-eu-west-1.amazonaws.com",
               "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}}
    assert origin(website).kind == "custom"
    assert origin({"Id": "a", "DomainName": "b.s3-website.eu-west-1.amazonaws.com"}).kind == "custom"
    assert origin({"Id": "a", "DomainName": "shop.example.com", "CustomOriginConfig": {}}).kind == "custom"


def test_origin_access_settings_are_read_as_aws_returns_them(access: AwsAccess, seed: Any) -> None:
    """moto drops S3OriginConfig and OriginAccessControlId; AWS returns them. Put them back after the call."""
    estate.seed(seed, REGIONS)

    def add_oac(parsed: dict[str, Any], **_: Any) -> None:
        for o in parsed["DistributionConfig"]["Origins"]["Items"]:
            if o["Id"] == "downloads-bucket":
                o["OriginAccessControlId"] = "E2OACNORTHWIND"
                o["S3OriginConfig"] = {"OriginAccessIdentity": ""}

    access.hooks.append(("after-call.cloudfront.GetDistributionConfig", add_oac))
    ev = evaluate(scan(access, ["cloudfront"], regions=REGIONS))
    assert by_name(ev, "cloudfront.s3_origins_use_origin_access")[LEGACY] == "pass"
