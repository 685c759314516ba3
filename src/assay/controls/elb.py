"""Classic Load Balancer controls: encrypted listeners with ACM certificates and TLS 1.2+ policies, access
logs, cross-zone balancing and connection draining."""

from __future__ import annotations

from assay.controls.elbv2 import policy_min_tls, tls_at_least
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.elb import ClassicListener, ClassicLoadBalancer

WEAK_PROTOCOLS = ("Protocol-SSLv3", "Protocol-TLSv1", "Protocol-TLSv1.1")
_PROTOCOL_VERSION = {"Protocol-SSLv3": "0.3", "Protocol-TLSv1": "1.0", "Protocol-TLSv1.1": "1.1",
                     "Protocol-TLSv1.2": "1.2", "Protocol-TLSv1.3": "1.3"}


def _name(li: ClassicListener) -> str:
    return f"{li.protocol}:{li.port}"


@control(
    id="elb.listeners_use_tls",
    title="Classic Load Balancer listeners use HTTPS or SSL",
    severity="high",
    needs=["elasticloadbalancing:DescribeLoadBalancers"],
    rationale="A Classic Load Balancer listener on HTTP or TCP carries requests, session cookies and "
    "credentials unencrypted between clients and AWS; unlike an ALB it cannot even redirect to HTTPS. Every "
    "front-end listener should terminate TLS (HTTPS or SSL) so data in transit is protected (CC6.7) along "
    "with the credentials used for logical access (CC6.1). Better still, migrate to an Application or Network "
    "Load Balancer.",
    remediation=Remediation(
        console="EC2 console > Load Balancers > the Classic Load Balancer > Listeners > Edit: add an HTTPS "
        "(or SSL) listener with an ACM certificate and a TLS 1.2 security policy, move clients to it, then "
        "delete the HTTP/TCP listener > Save.",
        cli="aws elb create-load-balancer-listeners --load-balancer-name <name> --listeners "
        "Protocol=HTTPS,LoadBalancerPort=443,InstanceProtocol=HTTP,InstancePort=80,SSLCertificateId=<acm-arn>\n"
        "aws elb delete-load-balancer-listeners --load-balancer-name <name> --load-balancer-ports 80",
        terraform='resource "aws_elb" "legacy" {\n  # ...\n  listener {\n    lb_port            = 443\n'
        '    lb_protocol        = "https"\n    instance_port      = 80\n    instance_protocol  = "http"\n'
        '    ssl_certificate_id = aws_acm_certificate.web.arn\n  }\n}',
    ),
)
def listeners_use_tls(lb: ClassicLoadBalancer) -> Outcome:
    if not lb.listeners:
        return Skip("the load balancer has no listener")
    plain = [_name(li) for li in lb.listeners if li not in lb.tls_listeners]
    if plain:
        return Fail(f"unencrypted listener(s): {', '.join(plain)}")
    return Pass(f"every listener uses TLS: {', '.join(_name(li) for li in lb.listeners)}")


@control(
    id="elb.tls_certificate_from_acm",
    title="Classic Load Balancer HTTPS/SSL listeners use ACM certificates",
    severity="medium",
    needs=["elasticloadbalancing:DescribeLoadBalancers"],
    rationale="Certificates issued or imported through AWS Certificate Manager are renewed automatically "
    "(when issued by ACM), monitored for expiry and kept out of people's hands, whereas IAM server "
    "certificates are uploaded private keys that expire silently and break or weaken encryption in transit "
    "(CC6.7). Centralising certificates in ACM is part of managing the keys that protect data in transit "
    "(CC6.1).",
    remediation=Remediation(
        console="Certificate Manager console > Request a public certificate (or import one) for the load "
        "balancer's domain; then EC2 console > Load Balancers > the Classic Load Balancer > Listeners > Edit > "
        "the HTTPS/SSL listener > Change SSL certificate > choose the ACM certificate > Save.",
        cli="aws elb set-load-balancer-listener-ssl-certificate --load-balancer-name <name> "
        "--load-balancer-port 443 --ssl-certificate-id <acm-certificate-arn>",
        terraform='resource "aws_elb" "legacy" {\n  listener {\n    # ...\n'
        '    ssl_certificate_id = aws_acm_certificate.web.arn # not an aws_iam_server_certificate\n  }\n}',
    ),
)
def tls_certificate_from_acm(lb: ClassicLoadBalancer) -> Outcome:
    tls = lb.tls_listeners
    if not tls:
        return Skip("no HTTPS or SSL listener")
    other = [f"{_name(li)} uses {li.certificate_id or 'no certificate'}" for li in tls
             if ":acm:" not in (li.certificate_id or "")]
    if other:
        return Fail(f"certificate not from ACM: {'; '.join(other)}")
    return Pass(f"ACM certificate(s) on {', '.join(_name(li) for li in tls)}")


def _policy_verdict(name: str, attributes: dict[str, str] | None, minimum: str) -> str | None:
    """Why the policy falls short of `minimum`, or None when it is fine."""
    enabled = {k for k, v in (attributes or {}).items() if k in _PROTOCOL_VERSION and v.lower() == "true"}
    if enabled:  # the expanded policy: judge by the protocols actually on
        weak = sorted(k for k in enabled if not tls_at_least(_PROTOCOL_VERSION[k], minimum))
        return f"{name} enables {', '.join(weak)}" if weak else None
    reference = (attributes or {}).get("Reference-Security-Policy") or name
    version = policy_min_tls(reference)
    if version is None:
        return f"{name} is not a recognised predefined policy and lists no protocols"
    return None if tls_at_least(version, minimum) else f"{name} ({reference}) accepts TLS {version}"


@control(
    id="elb.tls_policy_modern",
    title="Classic Load Balancer HTTPS/SSL listeners refuse TLS below 1.2",
    severity="high",
    needs=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerPolicies"],
    rationale="The SSL negotiation policy of a Classic Load Balancer listener, predefined (such as "
    "ELBSecurityPolicy-TLS-1-2-2017-01) or custom, decides which protocols clients may use. Policies that "
    "still enable SSLv3, TLS 1.0 or TLS 1.1 allow downgrades to protocols with known weaknesses; requiring "
    "TLS 1.2 or later keeps data in transit protected to current standards (CC6.7). Custom policies are "
    "judged by the protocols they enable, predefined ones by the policy they reference. The minimum is the "
    "`min_tls_version` parameter.",
    remediation=Remediation(
        console="EC2 console > Load Balancers > the Classic Load Balancer > Listeners > Edit > the HTTPS/SSL "
        "listener > Change cipher > Predefined security policy: ELBSecurityPolicy-TLS-1-2-2017-01 > Save.",
        cli="aws elb create-load-balancer-policy --load-balancer-name <name> --policy-name tls12 "
        "--policy-type-name SSLNegotiationPolicyType --policy-attributes "
        "AttributeName=Reference-Security-Policy,AttributeValue=ELBSecurityPolicy-TLS-1-2-2017-01\n"
        "aws elb set-load-balancer-policies-of-listener --load-balancer-name <name> --load-balancer-port 443 "
        "--policy-names tls12",
        terraform='resource "aws_load_balancer_policy" "tls12" {\n  load_balancer_name = aws_elb.legacy.name\n'
        '  policy_name        = "tls12"\n  policy_type_name   = "SSLNegotiationPolicyType"\n'
        '  policy_attribute {\n    name  = "Reference-Security-Policy"\n'
        '    value = "ELBSecurityPolicy-TLS-1-2-2017-01"\n  }\n}\n'
        'resource "aws_load_balancer_listener_policy" "https" {\n  load_balancer_name = aws_elb.legacy.name\n'
        '  load_balancer_port = 443\n  policy_names       = [aws_load_balancer_policy.tls12.policy_name]\n}',
    ),
)
def tls_policy_modern(lb: ClassicLoadBalancer, *, min_tls_version: str = "1.2") -> Outcome:
    tls = lb.tls_listeners
    if not tls:
        return Skip("no HTTPS or SSL listener")
    if lb.ssl_policies is None:
        return Error("the load balancer's policies were not read")
    problems = []
    for li in tls:
        names = [n for n in li.policy_names if n in lb.ssl_policies or policy_min_tls(n)]
        if not names:
            problems.append(f"{_name(li)} has no SSL negotiation policy")
            continue
        for n in names:
            why = _policy_verdict(n, lb.ssl_policies.get(n), min_tls_version)
            if why:
                problems.append(f"{_name(li)}: {why}")
    if problems:
        return Fail(f"TLS below {min_tls_version} can be negotiated: {'; '.join(problems)}")
    return Pass(f"every HTTPS/SSL listener requires TLS {min_tls_version} or later")


@control(
    id="elb.access_logging_enabled",
    title="Classic Load Balancers write access logs",
    severity="medium",
    needs=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes"],
    rationale="Access logs record each request or connection the load balancer handled: client address, "
    "back end, latency and status. They are the evidence for detecting abuse of an entry point and "
    "investigating incidents (CC7.2, CC7.3) and for diagnosing availability problems (A1.2).",
    remediation=Remediation(
        console="EC2 console > Load Balancers > the Classic Load Balancer > Attributes > Edit > Access logs: "
        "enable, choose the interval and an S3 bucket the ELB service may write to > Save changes.",
        cli="aws elb modify-load-balancer-attributes --load-balancer-name <name> --load-balancer-attributes "
        "'{\"AccessLog\":{\"Enabled\":true,\"S3BucketName\":\"<log-bucket>\",\"EmitInterval\":60}}'",
        terraform='resource "aws_elb" "legacy" {\n  # ...\n  access_logs {\n    bucket   = aws_s3_bucket.lb_logs.id\n'
        '    interval = 60\n    enabled  = true\n  }\n}',
    ),
)
def access_logging_enabled(lb: ClassicLoadBalancer) -> Outcome:
    if lb.access_log_enabled is None:
        return Error("load balancer attributes were not read")
    return Pass("access logging is on") if lb.access_log_enabled else Fail("access logging is off")


@control(
    id="elb.cross_zone_enabled",
    title="Classic Load Balancers balance across Availability Zones",
    severity="low",
    needs=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes"],
    rationale="Without cross-zone load balancing each zone's node sends traffic only to its own zone's "
    "instances, so an uneven or degraded zone overloads its instances while others idle, and losing "
    "instances in one zone hurts far more than it should. Spreading requests over all registered "
    "instances supports the availability commitments of A1.2.",
    remediation=Remediation(
        console="EC2 console > Load Balancers > the Classic Load Balancer > Attributes > Edit > Availability "
        "Zone routing: enable 'Cross-zone load balancing' > Save changes.",
        cli="aws elb modify-load-balancer-attributes --load-balancer-name <name> --load-balancer-attributes "
        "'{\"CrossZoneLoadBalancing\":{\"Enabled\":true}}'",
        terraform='resource "aws_elb" "legacy" {\n  cross_zone_load_balancing = true\n  # ...\n}',
    ),
)
def cross_zone_enabled(lb: ClassicLoadBalancer) -> Outcome:
    if lb.cross_zone_enabled is None:
        return Error("load balancer attributes were not read")
    if lb.cross_zone_enabled:
        return Pass("cross-zone load balancing is on")
    return Fail("cross-zone load balancing is off: each zone serves only its own instances")


@control(
    id="elb.connection_draining_enabled",
    title="Classic Load Balancers drain connections before deregistering instances",
    severity="low",
    needs=["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes"],
    rationale="With connection draining, an instance taken out of service (a deployment, scale-in, a failed "
    "health check) finishes its in-flight requests before the load balancer stops using it; without it, "
    "users see errors on every routine change. It keeps changes from disrupting service (A1.2, CC8.1).",
    remediation=Remediation(
        console="EC2 console > Load Balancers > the Classic Load Balancer > Attributes > Edit > enable "
        "'Connection draining' with a timeout (e.g. 300 seconds) > Save changes.",
        cli="aws elb modify-load-balancer-attributes --load-balancer-name <name> --load-balancer-attributes "
        "'{\"ConnectionDraining\":{\"Enabled\":true,\"Timeout\":300}}'",
        terraform='resource "aws_elb" "legacy" {\n  connection_draining         = true\n'
        '  connection_draining_timeout = 300\n  # ...\n}',
    ),
)
def connection_draining_enabled(lb: ClassicLoadBalancer) -> Outcome:
    if lb.connection_draining_enabled is None:
        return Error("load balancer attributes were not read")
    if lb.connection_draining_enabled:
        return Pass("connection draining is on")
    return Fail("instances are deregistered with requests in flight (connection draining is off)")
