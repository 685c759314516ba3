"""CloudFront: every distribution of the account (one global listing, one configuration read each)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import PaginationError

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import GLOBAL
from assay.models.resources.cloudfront import CacheBehavior, CloudFrontDistribution, Origin

# Bucket REST endpoints: <bucket>.s3.amazonaws.com, <bucket>.s3.<region>.amazonaws.com, <bucket>.s3-<region>...
# Website endpoints (s3-website) are custom origins: they only serve public buckets over HTTP.
_S3_REST = re.compile(r"\.s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$")


def _items(container: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((container or {}).get("Items") or [])


def origin(raw: dict[str, Any]) -> Origin:
    custom = raw.get("CustomOriginConfig")
    domain = str(raw.get("DomainName", ""))
    is_s3 = "S3OriginConfig" in raw or (custom is None and bool(_S3_REST.search(domain)) and "s3-website" not in domain)
    return Origin(
        id=str(raw.get("Id", "")), domain_name=domain, kind="s3" if is_s3 else "custom",
        origin_access_identity=str((raw.get("S3OriginConfig") or {}).get("OriginAccessIdentity") or ""),
        origin_access_control_id=str(raw.get("OriginAccessControlId") or ""),
        protocol_policy=str((custom or {}).get("OriginProtocolPolicy") or ""),
        ssl_protocols=tuple(str(p) for p in _items((custom or {}).get("OriginSslProtocols"))),
    )


def behavior(raw: dict[str, Any], path: str) -> CacheBehavior:
    return CacheBehavior(
        path=path, target_origin_id=str(raw.get("TargetOriginId", "")),
        viewer_protocol_policy=str(raw.get("ViewerProtocolPolicy", "")),
        field_level_encryption_id=str(raw.get("FieldLevelEncryptionId") or ""),
        realtime_log_config_arn=str(raw.get("RealtimeLogConfigArn") or ""),
    )


def settings(config: dict[str, Any]) -> dict[str, Any]:
    """Model fields from a DistributionConfig."""
    cert = config.get("ViewerCertificate") or {}
    # moto reports CloudFrontDefaultCertificate true beside an ACM certificate: the certificate decides.
    source = "acm" if cert.get("ACMCertificateArn") else "iam" if cert.get("IAMCertificateId") else "cloudfront"
    logging = config.get("Logging") or {}
    return dict(
        enabled=bool(config.get("Enabled", False)),
        aliases=tuple(str(a) for a in _items(config.get("Aliases"))),
        behaviors=(behavior(config.get("DefaultCacheBehavior") or {}, "*"),
                   *(behavior(b, str(b.get("PathPattern", ""))) for b in _items(config.get("CacheBehaviors")))),
        origins=tuple(origin(o) for o in _items(config.get("Origins"))),
        web_acl_id=str(config.get("WebACLId") or ""),
        logging_enabled=bool(logging.get("Enabled", False)),
        logging_bucket=str(logging.get("Bucket") or ""),
        certificate_source=source,
        minimum_protocol_version=str(cert.get("MinimumProtocolVersion") or ""),
    )


def _summaries(ctx: Ctx, cf: Any) -> Iterator[dict[str, Any]]:
    """ListDistributions pages by Marker; its paginator's result key is nested, so the pages are walked here."""
    marker, seen = "", set()
    while True:
        page = ctx.call(cf, "list_distributions", **({"Marker": marker} if marker else {}))
        if page is None:
            return  # recorded without a resource: the listing is incomplete
        listing = page.get("DistributionList") or {}
        yield from _items(listing)
        marker = str(listing.get("NextMarker") or "")
        if not listing.get("IsTruncated") or not marker:
            return
        if marker in seen:  # a marker that does not advance: stop, and say the listing is incomplete
            ctx.record("cloudfront:ListDistributions", PaginationError(message=f"NextMarker {marker!r} repeated"), None)
            return
        seen.add(marker)


@collector(
    service="cloudfront",
    scope="global",
    produces=[CloudFrontDistribution],
    permissions=["cloudfront:ListDistributions", "cloudfront:GetDistributionConfig"],
)
def collect_distributions(ctx: Ctx) -> Iterator[CloudFrontDistribution]:
    # CloudFront's control plane is in us-east-1 in the commercial partition.
    cf = ctx.client("cloudfront", "us-east-1" if ctx.partition == "aws" else None)
    for summary in _summaries(ctx, cf):
        dist_id = str(summary["Id"])
        arn = ctx.arn("cloudfront", f"distribution/{dist_id}", region=GLOBAL)
        answer = ctx.call(cf, "get_distribution_config", resource_arn=arn, Id=dist_id)
        config = None if answer is None else answer.get("DistributionConfig") or {}
        yield CloudFrontDistribution(
            arn=arn, id=dist_id, name=str((config or {}).get("Comment") or "") or dist_id,
            account_id=ctx.account_id, region=GLOBAL, domain_name=str(summary.get("DomainName", "")),
            **(settings(config) if config is not None else {}),
        )
