"""API Gateway controls: REST API stages behind AWS WAF."""

from __future__ import annotations

from assay.collect.aws.apigateway import GET
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.apigateway import ApiGatewayStage
from assay.models.resources.wafv2 import WebAcl, waf_coverage


@control(
    id="apigateway.stage_has_waf",
    title="Every REST API stage is associated with an AWS WAF web ACL",
    severity="medium",
    needs=[GET, "wafv2:ListWebACLs", "wafv2:ListResourcesForWebACL"],
    rationale="A REST API stage with an edge-optimized or regional endpoint answers anyone on the internet. "
    "A web ACL on the stage blocks injection attempts, malformed or oversized requests and abusive request "
    "rates before they reach the integration behind the API, which is the boundary protection CC6.6 asks "
    "for and part of the logical access defences of CC6.1. Stages of private APIs are reachable only "
    "through interface VPC endpoints and are not assessed here.",
    remediation=Remediation(
        console="API Gateway console > APIs > the API > Stages > the stage > Stage details > Edit > Web "
        "application firewall (AWS WAF): choose a regional web ACL in the API's region > Save. Or, from the "
        "AWS WAF console, add the stage under the web ACL's Associated AWS resources.",
        cli="aws wafv2 associate-web-acl --region <region> \\\n  --web-acl-arn <web-acl-arn> \\\n"
        "  --resource-arn arn:aws:apigateway:<region>::/restapis/<api-id>/stages/<stage-name>",
        terraform='resource "aws_wafv2_web_acl_association" "api" {\n'
        '  resource_arn = aws_api_gateway_stage.prod.arn\n  web_acl_arn  = aws_wafv2_web_acl.api.arn\n}',
    ),
)
def stage_has_waf(stage: ApiGatewayStage, inv: Inventory) -> Outcome:
    if stage.private:
        return Skip("private API: reachable only through interface VPC endpoints, not from the internet")
    if stage.web_acl_arn:
        name = next((a.display_name for a in inv.of(WebAcl) if a.arn == stage.web_acl_arn), stage.web_acl_arn)
        return Pass(f"stage is associated with web ACL {name}")
    coverage = waf_coverage(inv, stage, "api_gateway_stage")
    if coverage.protected_by:
        return Pass(f"associated with web ACL {', '.join(coverage.protected_by)}")
    if coverage.unknown:
        return Error("could not tell whether a web ACL protects it: " + "; ".join(coverage.unknown))
    return Fail(f"stage {stage.stage_name} of API {stage.rest_api_name or stage.rest_api_id} has no AWS WAF web ACL")
