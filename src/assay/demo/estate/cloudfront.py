"""CloudFront distributions of Northwind Analytics (global, created through us-east-1).

The public website is served over HTTPS with a modern security policy, WAF, access logs and field-level
encryption of its sign-up form, from an API origin reached over TLS 1.2 only. The legacy downloads site
allows HTTP, fetches an origin over HTTP and an S3 bucket without origin access control, and has no WAF
and no logs. The docs preview uses the default certificate and only a custom origin (skipped by the TLS
policy and S3 origin access controls).

moto drops S3OriginConfig and OriginAccessControlId from origins, so no distribution can pass
cloudfront.s3_origins_use_origin_access in the demo.
"""

from __future__ import annotations

from typing import Any

from assay.demo.estate import ClientFactory

ACCOUNT = "123456789012"
CERTIFICATE = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/5f1c0d5e-7e0b-4c59-9a53-northwind-www"
WEB_ACL = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/northwind-edge/7b3f0c2e"


def _origin(origin_id: str, domain: str, policy: str, protocols: list[str]) -> dict[str, Any]:
    return {"Id": origin_id, "DomainName": domain, "CustomOriginConfig": {
        "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": policy,
        "OriginSslProtocols": {"Quantity": len(protocols), "Items": protocols}}}


def _config(comment: str, origins: list[dict[str, Any]], default: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"CallerReference": comment, "Comment": comment, "Enabled": True,
            "Origins": {"Quantity": len(origins), "Items": origins}, "DefaultCacheBehavior": default, **extra}


def seed(client: ClientFactory, regions: list[str]) -> None:
    cf = client("cloudfront", "us-east-1")
    cf.create_distribution(DistributionConfig=_config(
        "pass-northwind-www",
        [_origin("web-api", "api.northwind.example", "https-only", ["TLSv1.2"])],
        {"TargetOriginId": "web-api", "ViewerProtocolPolicy": "redirect-to-https",
         "FieldLevelEncryptionId": "C2NORTHWINDSIGNUP"},
        Aliases={"Quantity": 1, "Items": ["www.northwind.example"]},
        ViewerCertificate={"ACMCertificateArn": CERTIFICATE, "SSLSupportMethod": "sni-only",
                           "MinimumProtocolVersion": "TLSv1.2_2021"},
        Logging={"Enabled": True, "IncludeCookies": False, "Bucket": "northwind-pass-access-logs.s3.amazonaws.com",
                 "Prefix": "cdn/www/"},
        WebACLId=WEB_ACL,
    ))
    cf.create_distribution(DistributionConfig=_config(
        "fail-northwind-legacy-downloads",
        [{"Id": "downloads-bucket", "DomainName": "northwind-fail-public-website.s3.amazonaws.com",
          "S3OriginConfig": {"OriginAccessIdentity": ""}},
         _origin("mirror", "mirror.northwind.example", "http-only", ["TLSv1", "TLSv1.1", "TLSv1.2"])],
        {"TargetOriginId": "downloads-bucket", "ViewerProtocolPolicy": "allow-all"},
        CacheBehaviors={"Quantity": 1, "Items": [
            {"PathPattern": "/mirror/*", "TargetOriginId": "mirror", "ViewerProtocolPolicy": "allow-all"}]},
        Aliases={"Quantity": 1, "Items": ["downloads.northwind.example"]},
        ViewerCertificate={"ACMCertificateArn": CERTIFICATE, "SSLSupportMethod": "sni-only",
                           "MinimumProtocolVersion": "TLSv1"},
    ))
    cf.create_distribution(DistributionConfig=_config(
        "skip-northwind-docs-preview",
        [_origin("docs", "docs-preview.northwind.example", "match-viewer", ["TLSv1.2"])],
        {"TargetOriginId": "docs", "ViewerProtocolPolicy": "https-only"},
    ))
