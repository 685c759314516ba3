"""Elastic Load Balancing v2 controls: internet-facing load balancers behind AWS WAF."""

from __future__ import annotations

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
