"""CloudFront distributions: a global service, so every distribution lives in region "global"."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class CacheBehavior(BaseModel):
    """The default behavior (path "*") or one path-specific cache behavior."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    target_origin_id: str
    viewer_protocol_policy: str  # allow-all, redirect-to-https, https-only
    field_level_encryption_id: str = ""
    realtime_log_config_arn: str = ""


class Origin(BaseModel):
    """Where CloudFront fetches content. kind "s3" is an S3 REST endpoint; anything else is "custom"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    domain_name: str
    kind: Literal["s3", "custom"]
    origin_access_identity: str = ""  # legacy OAI, "origin-access-identity/cloudfront/<id>"
    origin_access_control_id: str = ""
    protocol_policy: str = ""  # custom origins: http-only, match-viewer, https-only
    ssl_protocols: tuple[str, ...] = ()  # custom origins: SSLv3, TLSv1, TLSv1.1, TLSv1.2


class CloudFrontDistribution(Resource):
    """A distribution and its configuration. The configuration fields are None when
    GetDistributionConfig failed (unknown)."""

    type: ClassVar[str] = "AWS::CloudFront::Distribution"
    domain_name: str = ""
    enabled: bool | None = None
    aliases: tuple[str, ...] | None = None
    behaviors: tuple[CacheBehavior, ...] | None = None  # the default behavior first
    origins: tuple[Origin, ...] | None = None
    web_acl_id: str | None = None  # WAF web ACL (v2 ARN or classic id); "" when none
    logging_enabled: bool | None = None  # standard (legacy) access logs to S3
    logging_bucket: str | None = None
    # "acm", "iam" or "cloudfront" (the default *.cloudfront.net certificate)
    certificate_source: str | None = None
    minimum_protocol_version: str | None = None  # viewer security policy, e.g. TLSv1.2_2021
