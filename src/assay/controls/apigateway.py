"""API Gateway controls: REST API stages behind AWS WAF, logged, traced, and with an encrypted cache."""

from __future__ import annotations

from assay.collect.aws.apigateway import GET
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.apigateway import ALL_METHODS, ApiGatewayStage
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


_NOT_COLLECTED = Error("the stage's settings were not collected (a snapshot older than these fields): scan again")
_STAGE_CLI = "aws apigateway update-stage --rest-api-id <api-id> --stage-name <stage> --patch-operations \\\n"


@control(
    id="apigateway.stage_execution_logging_enabled",
    title="REST API stages write execution logs to CloudWatch Logs",
    severity="medium",
    needs=[GET],
    rationale="Execution logs record how API Gateway handled each request: authorizer decisions, validation "
    "failures, integration errors and throttling. They are how the team notices and investigates rejected "
    "or failing requests at the front door of the application (CC7.2, CC7.3) and show that requests were "
    "processed as designed (PI1.2). Logging level ERROR or INFO counts; individual methods set to OFF fail.",
    remediation=Remediation(
        console="API Gateway console > APIs > the API > Stages > the stage > Logs and tracing > Edit > "
        "CloudWatch logs: Errors only (or Errors and info logs) > Save. The account needs a CloudWatch Logs "
        "role ARN set once under API Gateway > Settings.",
        cli=_STAGE_CLI + "  op=replace,path=/*/*/logging/loglevel,value=ERROR",
        terraform='resource "aws_api_gateway_method_settings" "all" {\n'
        "  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name  = aws_api_gateway_stage.prod.stage_name\n"
        '  method_path = "*/*"\n  settings {\n    logging_level = "ERROR"\n  }\n}',
    ),
)
def stage_execution_logging_enabled(stage: ApiGatewayStage) -> Outcome:
    if stage.method_settings is None:
        return _NOT_COLLECTED
    default = stage.method_settings.get(ALL_METHODS)
    level = default.logging_level if default else "OFF"
    if level not in ("ERROR", "INFO"):
        return Fail(f"execution logging is {level} for the stage's methods")
    off = sorted(p for p, m in stage.method_settings.items() if p != ALL_METHODS and m.logging_level == "OFF")
    if off:
        return Fail(f"execution logging is {level} for the stage but OFF for {', '.join(off)}")
    return Pass(f"execution logging level is {level}")


@control(
    id="apigateway.stage_access_logging_enabled",
    title="REST API stages write access logs",
    severity="medium",
    needs=[GET],
    rationale="Access logs record one line per request with the caller's IP address, identity, the route and "
    "the response status: the who-called-what record of the API. Without them, abuse of an endpoint or a "
    "leaked API key cannot be traced to its requests (CC7.2, CC7.3, PI1.2).",
    remediation=Remediation(
        console="API Gateway console > APIs > the API > Stages > the stage > Logs and tracing > Edit > Custom "
        "access logging: on, enter the ARN of a CloudWatch Logs group (or Firehose stream) and a log format, "
        "e.g. the JSON template > Save.",
        cli=_STAGE_CLI + "  op=replace,path=/accessLogSettings/destinationArn,value=arn:aws:logs:<region>:<account>:"
        "log-group:<group> \\\n  'op=replace,path=/accessLogSettings/format,"
        "value=$context.requestId $context.identity.sourceIp $context.httpMethod $context.resourcePath "
        "$context.status'",
        terraform='resource "aws_api_gateway_stage" "prod" {\n  access_log_settings {\n'
        "    destination_arn = aws_cloudwatch_log_group.api_access.arn\n"
        '    format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp",\n'
        '                                   status = "$context.status" })\n  }\n}',
    ),
)
def stage_access_logging_enabled(stage: ApiGatewayStage) -> Outcome:
    if stage.access_log_destination is None:
        return _NOT_COLLECTED
    if stage.access_log_destination:
        return Pass(f"access logs go to {stage.access_log_destination}")
    return Fail("access logging is off")


@control(
    id="apigateway.stage_cache_encrypted",
    title="REST API stage caches encrypt cached responses",
    severity="medium",
    needs=[GET],
    rationale="A stage cache stores whole API responses, which can include personal or confidential data, on "
    "infrastructure outside the application's own storage. Encrypting cached data keeps it protected at rest "
    "like the systems it came from (CC6.1, C1.1). Stages without a cache cluster, or whose methods cache "
    "nothing, are not assessed.",
    remediation=Remediation(
        console="API Gateway console > APIs > the API > Stages > the stage > Stage details > Edit > Cache "
        "settings: Encrypt cache data > Save; do the same in any method override that enables caching.",
        cli=_STAGE_CLI + "  op=replace,path=/*/*/caching/dataEncrypted,value=true",
        terraform='resource "aws_api_gateway_method_settings" "all" {\n'
        "  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name  = aws_api_gateway_stage.prod.stage_name\n"
        '  method_path = "*/*"\n  settings {\n    caching_enabled      = true\n'
        "    cache_data_encrypted = true\n  }\n}",
    ),
)
def stage_cache_encrypted(stage: ApiGatewayStage) -> Outcome:
    if stage.method_settings is None or stage.cache_cluster_enabled is None:
        return _NOT_COLLECTED
    if not stage.cache_cluster_enabled:
        return Skip("the stage has no cache cluster")
    caching = {p: m for p, m in stage.method_settings.items() if m.caching_enabled}
    if not caching:
        return Skip("a cache cluster is provisioned but no method caches responses")
    plain = sorted(p for p, m in caching.items() if not m.cache_data_encrypted)
    if plain:
        return Fail(f"cached responses are stored unencrypted for {', '.join(plain)}")
    return Pass(f"cached responses are encrypted for {', '.join(sorted(caching))}")


@control(
    id="apigateway.stage_tracing_enabled",
    title="REST API stages have AWS X-Ray tracing enabled",
    severity="low",
    needs=[GET],
    rationale="X-Ray tracing follows each request from API Gateway through its integrations, with timings and "
    "errors per hop, so failures and latency can be located and a suspicious request's path through the "
    "system reconstructed (CC7.2, CC7.3).",
    remediation=Remediation(
        console="API Gateway console > APIs > the API > Stages > the stage > Logs and tracing > Edit > X-Ray "
        "tracing: on > Save.",
        cli=_STAGE_CLI + "  op=replace,path=/tracingEnabled,value=true",
        terraform='resource "aws_api_gateway_stage" "prod" {\n  xray_tracing_enabled = true\n}',
    ),
)
def stage_tracing_enabled(stage: ApiGatewayStage) -> Outcome:
    if stage.tracing_enabled is None:
        return _NOT_COLLECTED
    if stage.tracing_enabled:
        return Pass("X-Ray tracing is enabled")
    return Fail("X-Ray tracing is disabled")
