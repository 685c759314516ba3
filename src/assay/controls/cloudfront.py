"""CloudFront controls: encryption in transit at both legs, WAF, access logs, private S3 origins."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.cloudfront import CloudFrontDistribution, Origin

NEEDS = ["cloudfront:ListDistributions", "cloudfront:GetDistributionConfig"]
HTTPS_VIEWER = ("redirect-to-https", "https-only")
DEPRECATED_ORIGIN_PROTOCOLS = ("SSLv3", "TLSv1", "TLSv1.1")  # RFC 8996 deprecates TLS 1.0 and 1.1
UNREAD = Error("the distribution's configuration was not collected (cloudfront:GetDistributionConfig)")


def _label(path: str) -> str:
    return "default behavior" if path == "*" else f"behavior {path}"


@control(
    id="cloudfront.distribution_viewer_https_only",
    title="CloudFront distributions serve viewers over HTTPS only",
    severity="high",
    needs=NEEDS,
    rationale="A cache behavior that allows HTTP sends content, cookies and form data in clear text between the "
    "viewer and CloudFront, where anyone on the network path can read or alter them. Requiring HTTPS (or "
    "redirecting HTTP to it) on every behavior protects information in transmission, as CC6.7 requires.",
    remediation=Remediation(
        console="CloudFront console > the distribution > Behaviors: for each behavior choose Edit, set 'Viewer "
        "protocol policy' to 'Redirect HTTP to HTTPS' (or 'HTTPS only'), and save.",
        cli="aws cloudfront get-distribution-config --id <id> > dist.json\n"
        "# in DistributionConfig set every ViewerProtocolPolicy to redirect-to-https, then:\n"
        "aws cloudfront update-distribution --id <id> --if-match <ETag> "
        "--distribution-config file://dist-config.json",
        terraform='resource "aws_cloudfront_distribution" "this" {\n  default_cache_behavior {\n'
        '    viewer_protocol_policy = "redirect-to-https"\n  }\n  ordered_cache_behavior {\n'
        '    viewer_protocol_policy = "redirect-to-https"\n  }\n}',
    ),
)
def distribution_viewer_https_only(dist: CloudFrontDistribution) -> Outcome:
    if dist.behaviors is None:
        return UNREAD
    plain = [_label(b.path) for b in dist.behaviors if b.viewer_protocol_policy not in HTTPS_VIEWER]
    if plain:
        return Fail(f"HTTP is allowed by {', '.join(plain)}")
    return Pass(f"all {len(dist.behaviors)} cache behaviors require or redirect to HTTPS")


def _origin_gap(origin: Origin, dist: CloudFrontDistribution) -> str:
    """Why CloudFront may reach this custom origin without modern TLS ("" when it may not)."""
    if origin.protocol_policy == "http-only":
        return f"{origin.id} is fetched over HTTP only"
    if origin.protocol_policy == "match-viewer":
        plain = [b.path for b in dist.behaviors or () if b.target_origin_id == origin.id
                 and b.viewer_protocol_policy not in HTTPS_VIEWER]
        if plain:
            return f"{origin.id} matches viewers that may use HTTP ({', '.join(map(_label, plain))})"
    old = [p for p in origin.ssl_protocols if p in DEPRECATED_ORIGIN_PROTOCOLS]
    if old:
        return f"{origin.id} accepts {', '.join(old)}"
    return ""


@control(
    id="cloudfront.distribution_origin_https",
    title="CloudFront reaches custom origins over HTTPS with TLS 1.2 or later",
    severity="medium",
    needs=NEEDS,
    rationale="Traffic between CloudFront and a custom origin crosses the internet. An origin fetched over HTTP, or "
    "allowed to negotiate SSLv3, TLS 1.0 or 1.1, exposes the same data that HTTPS protects on the viewer side, "
    "so encryption in transit (CC6.7) must cover this leg too.",
    remediation=Remediation(
        console="CloudFront console > the distribution > Origins > select the origin > Edit: set Protocol to "
        "'HTTPS only' and, under 'Minimum origin SSL protocol', choose TLSv1.2. Save.",
        cli="aws cloudfront get-distribution-config --id <id> > dist.json\n"
        "# set CustomOriginConfig.OriginProtocolPolicy to https-only and OriginSslProtocols to [\"TLSv1.2\"], then:\n"
        "aws cloudfront update-distribution --id <id> --if-match <ETag> "
        "--distribution-config file://dist-config.json",
        terraform='origin {\n  custom_origin_config {\n    http_port              = 80\n'
        '    https_port             = 443\n    origin_protocol_policy = "https-only"\n'
        '    origin_ssl_protocols   = ["TLSv1.2"]\n  }\n}',
    ),
)
def distribution_origin_https(dist: CloudFrontDistribution) -> Outcome:
    if dist.origins is None or dist.behaviors is None:
        return UNREAD
    custom = [o for o in dist.origins if o.kind == "custom"]
    if not custom:
        return Skip("no custom origin: S3 origins are reached through AWS's own endpoints")
    gaps = [gap for gap in (_origin_gap(o, dist) for o in custom) if gap]
    if gaps:
        return Fail("; ".join(gaps))
    return Pass(f"custom origins {', '.join(o.id for o in custom)} are reached over HTTPS with TLS 1.2+")


@control(
    id="cloudfront.distribution_viewer_tls_modern",
    title="CloudFront distributions with a custom certificate require TLS 1.2 or later",
    severity="medium",
    needs=NEEDS,
    rationale="A distribution's security policy decides the oldest protocol viewers may negotiate. Policies that "
    "allow SSLv3, TLS 1.0 or TLS 1.1 permit ciphers and protocol versions with known weaknesses; requiring a "
    "TLSv1.2 policy or later keeps data in transit protected (CC6.7).",
    remediation=Remediation(
        console="CloudFront console > the distribution > General > Settings > Edit: under 'Security policy' choose "
        "TLSv1.2_2021 (recommended) or later. Save.",
        cli="aws cloudfront get-distribution-config --id <id> > dist.json\n"
        "# set ViewerCertificate.MinimumProtocolVersion to TLSv1.2_2021, then:\n"
        "aws cloudfront update-distribution --id <id> --if-match <ETag> "
        "--distribution-config file://dist-config.json",
        terraform='viewer_certificate {\n  acm_certificate_arn      = aws_acm_certificate.site.arn\n'
        '  ssl_support_method       = "sni-only"\n  minimum_protocol_version = "TLSv1.2_2021"\n}',
    ),
)
def distribution_viewer_tls_modern(dist: CloudFrontDistribution) -> Outcome:
    if dist.certificate_source is None or dist.minimum_protocol_version is None:
        return UNREAD
    if dist.certificate_source == "cloudfront":
        return Skip("uses the default *.cloudfront.net certificate, whose security policy cannot be chosen; "
                    "serve it under an own domain with an ACM certificate to set one")
    version = dist.minimum_protocol_version
    if version.startswith(("TLSv1.2", "TLSv1.3")):
        return Pass(f"security policy {version} requires TLS 1.2 or later")
    return Fail(f"security policy {version or 'unknown'} allows protocol versions older than TLS 1.2")


@control(
    id="cloudfront.distribution_has_waf",
    title="CloudFront distributions are protected by an AWS WAF web ACL",
    severity="medium",
    needs=NEEDS,
    rationale="A distribution is the public front door of an application. A WAF web ACL filters common exploits "
    "(injection, known bad inputs, abusive rates) before they reach the origin, one of the boundary protections "
    "against threats from outside the system that CC6.6 expects.",
    remediation=Remediation(
        console="CloudFront console > the distribution > Security: enable protections (or choose Edit under AWS "
        "WAF and select an existing web ACL of CloudFront scope). Save.",
        cli="aws cloudfront get-distribution-config --id <id> > dist.json\n"
        "# set WebACLId to the ARN of a CLOUDFRONT-scope WAFv2 web ACL, then:\n"
        "aws cloudfront update-distribution --id <id> --if-match <ETag> "
        "--distribution-config file://dist-config.json",
        terraform='resource "aws_cloudfront_distribution" "this" {\n'
        "  web_acl_id = aws_wafv2_web_acl.edge.arn  # scope = \"CLOUDFRONT\", created in us-east-1\n}",
    ),
)
def distribution_has_waf(dist: CloudFrontDistribution) -> Outcome:
    if dist.web_acl_id is None:
        return UNREAD
    if dist.web_acl_id:
        return Pass(f"web ACL {dist.web_acl_id} is associated")
    return Fail("no WAF web ACL is associated")


@control(
    id="cloudfront.distribution_access_logging",
    title="CloudFront distributions record access logs",
    severity="medium",
    needs=NEEDS,
    rationale="Access logs record every viewer request the distribution served: the evidence needed to detect and "
    "investigate attacks, scraping or data exfiltration at the edge (CC7.2, CC7.3).",
    remediation=Remediation(
        console="CloudFront console > the distribution > Logging (or General > Settings > Edit > Standard logging): "
        "turn on standard logging to an S3 bucket, or attach a real-time log configuration to every behavior.",
        cli="aws cloudfront get-distribution-config --id <id> > dist.json\n"
        "# set Logging to {\"Enabled\":true,\"IncludeCookies\":false,\"Bucket\":\"<log-bucket>.s3.amazonaws.com\","
        "\"Prefix\":\"cdn/\"}, then:\n"
        "aws cloudfront update-distribution --id <id> --if-match <ETag> "
        "--distribution-config file://dist-config.json",
        terraform='logging_config {\n  bucket          = aws_s3_bucket.logs.bucket_domain_name\n'
        '  prefix          = "cdn/"\n  include_cookies = false\n}',
    ),
)
def distribution_access_logging(dist: CloudFrontDistribution) -> Outcome:
    """Standard logging (v1, to S3) or real-time logs on every behavior. Standard logging v2, configured
    through CloudWatch Logs deliveries, is not visible in the distribution's configuration."""
    if dist.logging_enabled is None or dist.behaviors is None:
        return UNREAD
    if dist.logging_enabled:
        return Pass(f"standard access logs are delivered to {dist.logging_bucket or 'an S3 bucket'}")
    if dist.behaviors and all(b.realtime_log_config_arn for b in dist.behaviors):
        return Pass("every cache behavior sends real-time logs")
    return Fail("neither standard access logging nor real-time logs on every behavior are configured")


@control(
    id="cloudfront.s3_origins_use_origin_access",
    title="CloudFront reaches S3 origins through origin access control",
    severity="medium",
    needs=NEEDS,
    rationale="Without origin access control (or the legacy origin access identity), CloudFront can only read a "
    "bucket that is public, so the bucket can be read directly, bypassing the distribution's HTTPS, WAF, "
    "geo restrictions and signed URLs. Signed origin requests let the bucket stay private (CC6.1, CC6.6).",
    remediation=Remediation(
        console="CloudFront console > Security > Origin access > Create control setting (S3, sign requests). Then "
        "the distribution > Origins > the S3 origin > Edit: choose 'Origin access control settings', select it, "
        "save, and copy the suggested bucket policy into the bucket's permissions. Then block public access.",
        cli="aws cloudfront create-origin-access-control --origin-access-control-config "
        "Name=<name>,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3\n"
        "# set the origin's OriginAccessControlId in the distribution config, then update-distribution",
        terraform='resource "aws_cloudfront_origin_access_control" "s3" {\n  name                              '
        '= "s3"\n  origin_access_control_origin_type = "s3"\n  signing_behavior                  = "always"\n'
        '  signing_protocol                  = "sigv4"\n}\n# origin { origin_access_control_id = '
        "aws_cloudfront_origin_access_control.s3.id }",
    ),
)
def s3_origins_use_origin_access(dist: CloudFrontDistribution) -> Outcome:
    if dist.origins is None:
        return UNREAD
    s3 = [o for o in dist.origins if o.kind == "s3"]
    if not s3:
        return Skip("no S3 origin")
    open_ = [o.id for o in s3 if not (o.origin_access_control_id or o.origin_access_identity)]
    if open_:
        return Fail(f"S3 origin {', '.join(open_)} has neither origin access control nor an origin access identity")
    return Pass(f"S3 origins {', '.join(o.id for o in s3)} are reached with signed requests")


@control(
    id="cloudfront.distribution_field_level_encryption",
    title="CloudFront distributions encrypt sensitive fields at the edge",
    severity="info",
    needs=NEEDS,
    rationale="Field-level encryption encrypts chosen POST fields (card numbers, identifiers) at the edge with a "
    "public key, so that only the application component holding the private key can read them, not the web "
    "tier or its logs. It applies to distributions that accept such data (PI1.4, C1.1).",
    remediation=Remediation(
        console="CloudFront console > Public keys > add the key; Field-level encryption > create a profile and a "
        "configuration naming the fields; then the distribution > Behaviors > Edit: select the configuration.",
        cli="aws cloudfront create-field-level-encryption-config --field-level-encryption-config file://fle.json\n"
        "# set DefaultCacheBehavior.FieldLevelEncryptionId to its Id, then update-distribution",
        terraform='resource "aws_cloudfront_field_level_encryption_config" "this" { ... }\n'
        "# default_cache_behavior { field_level_encryption_id = aws_cloudfront_field_level_encryption_config"
        ".this.id }",
    ),
)
def distribution_field_level_encryption(dist: CloudFrontDistribution) -> Outcome:
    if not dist.behaviors:  # every distribution has a default behavior: none read means unknown
        return UNREAD
    default = dist.behaviors[0]
    if default.field_level_encryption_id:
        return Pass(f"the default behavior uses field-level encryption {default.field_level_encryption_id}")
    return Fail("the default behavior has no field-level encryption configuration")
