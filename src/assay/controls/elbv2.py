"""Elastic Load Balancing v2 controls: WAF in front of internet-facing ALBs, HTTPS everywhere with modern TLS
policies, access logs, header hygiene and deletion protection."""

from __future__ import annotations

import re

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.elbv2 import LoadBalancer
from assay.models.resources.wafv2 import waf_coverage


@control(
    id="elbv2.internet_facing_alb_has_waf",
    title="Every internet-facing Application Load Balancer is associated with an AWS WAF web ACL",
    severity="medium",
    needs=["elasticloadbalancing:DescribeLoadBalancers", "wafv2:ListWebACLs", "wafv2:ListResourcesForWebACL"],
    rationale="An internet-facing Application Load Balancer is a door in the system boundary: anyone can "
    "send it requests. A web ACL in front of it filters application-layer attacks (injection, cross-site "
    "scripting, known bad inputs, request floods from single sources) before they reach the application, "
    "which is the boundary protection CC6.6 asks for and a layer of the logical access defences of CC6.1. "
    "Network and Gateway Load Balancers cannot take a web ACL, and internal ones are not reachable from "
    "the internet, so they are not assessed here.",
    remediation=Remediation(
        console="AWS WAF console > Web ACLs > pick the load balancer's region > open (or create) a web ACL "
        "with the rules you need, e.g. the AWS managed core rule set > Associated AWS resources > Add AWS "
        "resources > Application Load Balancer > select the load balancer > Add.",
        cli="aws wafv2 associate-web-acl --region <region> \\\n  --web-acl-arn <web-acl-arn> \\\n"
        "  --resource-arn <load-balancer-arn>",
        terraform='resource "aws_wafv2_web_acl_association" "alb" {\n  resource_arn = aws_lb.public.arn\n'
        '  web_acl_arn  = aws_wafv2_web_acl.edge.arn\n}',
    ),
)
def internet_facing_alb_has_waf(lb: LoadBalancer, inv: Inventory) -> Outcome:
    if lb.load_balancer_type != "application":
        return Skip(f"{lb.load_balancer_type} load balancers cannot be associated with AWS WAF")
    if not lb.internet_facing:
        return Skip(f"{lb.scheme or 'internal'} load balancer: not reachable from the internet")
    coverage = waf_coverage(inv, lb, "load_balancer")
    if coverage.protected_by:
        return Pass(f"associated with web ACL {', '.join(coverage.protected_by)}")
    if coverage.unknown:
        return Error("could not tell whether a web ACL protects it: " + "; ".join(coverage.unknown))
    return Fail("internet-facing Application Load Balancer has no AWS WAF web ACL")


# Predefined ELB security policy names -> the oldest TLS version they accept. Names carry it
# ("...-TLS13-1-2-...", "...-TLS-1-1-...", "...-FS-1-2-..."); the families named by date only
# (ELBSecurityPolicy-2016-08, -2015-05, -FS-2018-06) and ELBSample-* all accept TLS 1.0.
_POLICY_MIN_TLS = re.compile(r"-(?:TLS13|TLS|FS)-1-([0-3])(?:-|$)", re.IGNORECASE)
_LEGACY_POLICY = re.compile(r"^(?:ELBSecurityPolicy-(?:\d{4}-\d{2}|FS-\d{4}-\d{2})|ELBSample-.*)$", re.IGNORECASE)


def policy_min_tls(policy: str) -> str | None:
    """The minimum TLS version ("1.0".."1.3") of a predefined security policy; None for a name not recognised."""
    match = _POLICY_MIN_TLS.search(policy)
    if match:
        return f"1.{match.group(1)}"
    return "1.0" if _LEGACY_POLICY.match(policy) else None


def tls_at_least(version: str, minimum: str) -> bool:
    def key(v: str) -> tuple[int, ...]:
        return tuple(int(p) for p in v.split("."))
    return key(version) >= key(minimum)


@control(
    id="elbv2.alb_http_redirects_to_https",
    title="Application Load Balancer HTTP listeners redirect to HTTPS",
    severity="high",
    needs=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeListeners"],
    rationale="A plain HTTP listener that serves content sends cookies, tokens and personal data in clear "
    "text across networks the organisation does not control, where they can be read or altered. Keeping port "
    "80 only as a redirect to HTTPS means every real exchange is encrypted in transit (CC6.7) and protects "
    "credentials used for logical access (CC6.1). Listeners that forward or answer over HTTP fail; a "
    "load balancer with no HTTP listener passes. Network and Gateway Load Balancers are not applicable.",
    remediation=Remediation(
        console="EC2 console > Load Balancers > the ALB > Listeners and rules > the HTTP:80 listener > Manage "
        "listener > Edit listener: default action 'Redirect to URL', protocol HTTPS, port 443, status code "
        "HTTP_301 > Save. An HTTPS listener with a certificate must exist.",
        cli="aws elbv2 modify-listener --listener-arn <http-listener-arn> --default-actions "
        "'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}'",
        terraform='resource "aws_lb_listener" "http" {\n  load_balancer_arn = aws_lb.web.arn\n'
        '  port              = 80\n  protocol          = "HTTP"\n'
        '  default_action {\n    type = "redirect"\n    redirect {\n'
        '      protocol    = "HTTPS"\n      port        = "443"\n      status_code = "HTTP_301"\n    }\n  }\n}',
    ),
)
def alb_http_redirects_to_https(lb: LoadBalancer) -> Outcome:
    if lb.load_balancer_type != "application":
        return Skip(f"{lb.load_balancer_type} load balancers have no HTTP listeners")
    if lb.listeners is None:
        return Error("listeners were not read")
    plain = [li for li in lb.listeners if li.protocol.upper() == "HTTP"]
    bad = [f"HTTP:{li.port} ({', '.join(li.default_actions) or 'no action'})" for li in plain
           if li.default_actions[:1] != ("redirect",) or (li.redirect_protocol or "").upper() != "HTTPS"]
    if bad:
        return Fail(f"serves plain HTTP without redirecting to HTTPS: {'; '.join(bad)}")
    if plain:
        return Pass(f"HTTP listener(s) on {', '.join(str(li.port) for li in plain)} redirect to HTTPS")
    return Pass("no plain HTTP listener")


@control(
    id="elbv2.tls_listener_policy_modern",
    title="HTTPS and TLS listeners use a security policy that refuses TLS below 1.2",
    severity="high",
    needs=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeListeners"],
    rationale="A listener's security policy decides which protocol versions and ciphers clients may "
    "negotiate. Policies that still accept TLS 1.0 or 1.1 (such as the long-time default "
    "ELBSecurityPolicy-2016-08) allow downgrades to protocols with known weaknesses that current standards "
    "(PCI DSS, NIST SP 800-52) no longer permit. Requiring TLS 1.2 or later keeps data in transit protected "
    "to current expectations (CC6.7). The minimum is the `min_tls_version` parameter; policy names not "
    "recognised as predefined ELB policies fail, to be reviewed.",
    remediation=Remediation(
        console="EC2 console > Load Balancers > the load balancer > Listeners > the HTTPS (or TLS) listener > "
        "Manage listener > Edit listener > Security policy: ELBSecurityPolicy-TLS13-1-2-2021-06 (recommended) "
        "> Save changes.",
        cli="aws elbv2 modify-listener --listener-arn <listener-arn> "
        "--ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06",
        terraform='resource "aws_lb_listener" "https" {\n  load_balancer_arn = aws_lb.web.arn\n'
        '  port              = 443\n  protocol          = "HTTPS"\n'
        '  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"\n'
        '  certificate_arn   = aws_acm_certificate.web.arn\n  # default_action ...\n}',
    ),
)
def tls_listener_policy_modern(lb: LoadBalancer, *, min_tls_version: str = "1.2") -> Outcome:
    if lb.listeners is None:
        return Error("listeners were not read")
    secure = [li for li in lb.listeners if li.protocol.upper() in ("HTTPS", "TLS")]
    if not secure:
        return Skip("no HTTPS or TLS listener")
    bad = []
    for li in secure:
        policy = li.ssl_policy or ""
        version = policy_min_tls(policy) if policy else None
        if version is None:
            bad.append(f"{li.protocol}:{li.port} uses {policy or 'no policy'} (not a recognised predefined policy)")
        elif not tls_at_least(version, min_tls_version):
            bad.append(f"{li.protocol}:{li.port} uses {policy}, which accepts TLS {version}")
    if bad:
        return Fail(f"TLS below {min_tls_version} can be negotiated: {'; '.join(bad)}")
    return Pass(f"every HTTPS/TLS listener requires TLS {min_tls_version} or later: "
                + ", ".join(f"{li.protocol}:{li.port} {li.ssl_policy}" for li in secure))


def _attribute_on(lb: LoadBalancer, key: str) -> bool | None:
    """True/False for a read attribute; None when attributes were not read. These attributes all default to
    "false", which is what a successful read that omits one means."""
    if lb.attributes is None:
        return None
    return (lb.attribute(key) or "false").lower() == "true"


@control(
    id="elbv2.access_logging_enabled",
    title="Application and Network Load Balancers write access logs",
    severity="medium",
    needs=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes"],
    rationale="Access logs record every request (client address, path, status, TLS details, latency) the "
    "load balancer handled. They are the evidence needed to detect probing and abuse of a public entry point "
    "and to investigate incidents (CC7.2, CC7.3), and to diagnose availability problems (A1.2). Network Load "
    "Balancers log only TLS connections. Gateway Load Balancers have no access logs and are not applicable.",
    remediation=Remediation(
        console="EC2 console > Load Balancers > the load balancer > Attributes > Edit > Monitoring: turn on "
        "Access logs and choose an S3 bucket (whose policy lets the ELB service write to it) > Save changes.",
        cli="aws elbv2 modify-load-balancer-attributes --load-balancer-arn <lb-arn> --attributes "
        "Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=<log-bucket> "
        "Key=access_logs.s3.prefix,Value=<prefix>",
        terraform='resource "aws_lb" "web" {\n  # ...\n  access_logs {\n    bucket  = aws_s3_bucket.lb_logs.id\n'
        '    prefix  = "web"\n    enabled = true\n  }\n}',
    ),
)
def access_logging_enabled(lb: LoadBalancer) -> Outcome:
    if lb.load_balancer_type == "gateway":
        return Skip("Gateway Load Balancers do not produce access logs")
    enabled = _attribute_on(lb, "access_logs.s3.enabled")
    if enabled is None:
        return Error("load balancer attributes were not read")
    if enabled:
        return Pass(f"access logs go to s3://{lb.attribute('access_logs.s3.bucket') or '?'}")
    return Fail("access logging is off")


@control(
    id="elbv2.alb_drops_invalid_headers",
    title="Application Load Balancers drop HTTP headers with invalid names",
    severity="medium",
    needs=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes"],
    rationale="Headers whose names break the HTTP grammar are a tool for request smuggling and header "
    "injection: the load balancer and the application parse them differently, letting an attacker slip a "
    "request past routing rules or poison another user's response. Having the ALB drop them before they reach "
    "targets removes that ambiguity at the boundary (CC6.6) and protects sessions in transit (CC6.7). "
    "Only Application Load Balancers have this setting.",
    remediation=Remediation(
        console="EC2 console > Load Balancers > the ALB > Attributes > Edit > Packet handling: turn on 'Drop "
        "invalid header fields' > Save changes.",
        cli="aws elbv2 modify-load-balancer-attributes --load-balancer-arn <alb-arn> --attributes "
        "Key=routing.http.drop_invalid_header_fields.enabled,Value=true",
        terraform='resource "aws_lb" "web" {\n  load_balancer_type         = "application"\n'
        '  drop_invalid_header_fields = true\n  # ...\n}',
    ),
)
def alb_drops_invalid_headers(lb: LoadBalancer) -> Outcome:
    if lb.load_balancer_type != "application":
        return Skip(f"{lb.load_balancer_type} load balancers do not parse HTTP headers")
    enabled = _attribute_on(lb, "routing.http.drop_invalid_header_fields.enabled")
    if enabled is None:
        return Error("load balancer attributes were not read")
    if enabled:
        return Pass("invalid header fields are dropped")
    return Fail("headers with invalid names are passed on to targets")


@control(
    id="elbv2.deletion_protection_enabled",
    title="Load balancers have deletion protection on",
    severity="low",
    needs=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes"],
    rationale="Deleting a load balancer takes the service behind it off line at once and frees its DNS name. "
    "Deletion protection makes that a deliberate two-step change instead of a slip in the console or a "
    "runaway script, supporting availability commitments (A1.2) and controlled change (CC8.1).",
    remediation=Remediation(
        console="EC2 console > Load Balancers > the load balancer > Attributes > Edit > Protection: turn on "
        "'Deletion protection' > Save changes.",
        cli="aws elbv2 modify-load-balancer-attributes --load-balancer-arn <lb-arn> --attributes "
        "Key=deletion_protection.enabled,Value=true",
        terraform='resource "aws_lb" "web" {\n  enable_deletion_protection = true\n  # ...\n}',
    ),
)
def deletion_protection_enabled(lb: LoadBalancer) -> Outcome:
    enabled = _attribute_on(lb, "deletion_protection.enabled")
    if enabled is None:
        return Error("load balancer attributes were not read")
    return Pass("deletion protection is on") if enabled else Fail("the load balancer can be deleted in one step")
