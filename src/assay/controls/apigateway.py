"""API Gateway controls: REST API stages behind AWS WAF, logged, traced, and with an encrypted cache; and REST
APIs that are private or limited by their resource policy to known networks."""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from typing import Any

from assay.collect.aws.apigateway import GET
from assay.controls.iam_access import action_matches
from assay.controls.policy import as_list, principal_is_everyone, statements
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.apigateway import ALL_METHODS, ApiGatewayRestApi, ApiGatewayStage
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
        acl = inv.by_arn(WebAcl).get(stage.web_acl_arn)
        name = acl.display_name if acl is not None else stage.web_acl_arn
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


# -- who can reach a REST API ----------------------------------------------------------------------

# Condition keys that name where a call comes from: an IP range, a VPC, or an interface VPC endpoint.
_SOURCE_KEYS = frozenset({"aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:vpcsourceip"})
_ANY_SOURCE = frozenset({"0.0.0.0/0", "::/0", "*"})
# A Resource that covers every stage, method and path of the API.
_WHOLE_API = re.compile(r"^(\*|execute-api:(/\*)+|arn:[^:]+:execute-api:[^:]+:[^:]*:[^/]+(/\*)+)$")


def decode_rest_api_policy(text: str) -> dict[str, Any]:
    """The document in GetRestApis' `policy`. AWS returns it escaped, like the inside of a JSON string
    ({\\"Version\\":...} with \\/ for /); other endpoints return it plain. ValueError when neither parses."""
    try:
        doc = json.loads(text)
    except ValueError:
        doc = json.loads(json.loads(f'"{text}"', strict=False))
    if not isinstance(doc, dict):
        raise ValueError("the resource policy is not a JSON object")
    return doc


def _conditions(statement: dict[str, Any]) -> list[tuple[str, str, Any]]:
    return [(str(op), str(key), value) for op, entries in (statement.get("Condition") or {}).items()
            if isinstance(entries, dict) for key, value in entries.items()]


def _limits_source(effect: str, operator: str, key: str, value: Any) -> bool:
    """Whether one condition keeps the statement to (Allow) or away from (Deny) callers outside named networks."""
    if key.lower() not in _SOURCE_KEYS:
        return False
    base = operator.split(":", 1)[-1].lower()  # ForAnyValue:/ForAllValues: change nothing for single values
    if_exists = base.endswith("ifexists")
    base = base.removesuffix("ifexists")
    values = {str(v).lower() for v in as_list(value)}
    if base == "null":  # Allow when the key is present, or Deny when it is absent: only calls from a VPC
        return values == ({"false"} if effect == "Allow" else {"true"})
    if values & _ANY_SOURCE:
        return False
    negated = "not" in base
    if effect == "Allow":
        # IfExists would also admit calls that carry no such key, i.e. from the internet.
        return not negated and not if_exists
    return negated  # a negated test is true when the key is absent: the Deny then catches internet calls too


def _invokes(statement: dict[str, Any]) -> bool:
    if "NotAction" in statement:
        return not any(action_matches(str(a), "execute-api:Invoke") for a in as_list(statement["NotAction"]))
    return any(action_matches(str(a), "execute-api:Invoke") for a in as_list(statement.get("Action")))


def _label(n: int, statement: dict[str, Any]) -> str:
    return str(statement.get("Sid") or f"statement {n + 1}")


def source_restriction(policy: dict[str, Any]) -> tuple[str, list[str]]:
    """How a resource policy keeps callers to known networks ("" when it does not), and the labels of its
    Allow statements that admit any caller from anywhere."""
    denies, allows, open_allows = [], 0, []
    for n, st in enumerate(statements(policy)):
        if not _invokes(st):
            continue
        conditions = _conditions(st)
        if st.get("Effect") == "Deny":
            whole = "NotResource" not in st and any(_WHOLE_API.match(str(r)) for r in as_list(st.get("Resource")))
            # Every condition must be about the source: any other one would let some outside calls through.
            if whole and principal_is_everyone(st.get("Principal")) and conditions and all(
                    _limits_source("Deny", *c) for c in conditions):
                denies.append(_label(n, st))
        elif st.get("Effect") == "Allow":
            allows += 1
            # A named principal matches only IAM-signed calls from it; anonymous callers are not admitted.
            everyone = principal_is_everyone(st.get("Principal")) or "NotPrincipal" in st
            if everyone and not any(_limits_source("Allow", *c) for c in conditions):
                open_allows.append(_label(n, st))
    if denies:
        return f"denies calls from outside the named networks ({', '.join(denies)})", open_allows
    if allows and not open_allows:
        return "allows calls only from named networks or principals", []
    return "", open_allows


@control(
    id="apigateway.rest_api_private_or_restricted",
    title="REST APIs are private, limited to known networks by their resource policy, or public by design",
    severity="low",
    needs=[GET],
    rationale="An edge-optimized or regional REST API answers calls from anywhere on the internet unless its "
    "resource policy says otherwise. An API built for internal callers, partners or other services should "
    "be a private API reached through interface VPC endpoints, or carry a resource policy that admits only "
    "named source IP ranges, VPCs or VPC endpoints, so that its exposure matches its audience and the "
    "network boundary is enforced in front of the authorizers (CC6.6). APIs that serve the public on "
    "purpose go in allowed_public_apis (names or ids); they pass with that note, and their callers are "
    "judged by apigateway.rest_api_methods_authorized.",
    remediation=Remediation(
        console="API Gateway console > APIs > the API > Resource policy: add a policy that denies "
        "execute-api:Invoke on execute-api:/* when aws:SourceIp is not your ranges (NotIpAddress), or when "
        "aws:SourceVpce is not your endpoint (StringNotEquals) > Save changes; then Deploy API to each stage. "
        "For internal-only APIs: API settings > Edit > API endpoint type: Private, with an interface VPC "
        "endpoint for execute-api.",
        cli="aws apigateway update-rest-api --rest-api-id <api-id> --patch-operations \\\n"
        "  op=replace,path=/policy,value='<policy JSON, quotes escaped>'\n"
        "aws apigateway create-deployment --rest-api-id <api-id> --stage-name prod",
        terraform='data "aws_iam_policy_document" "office_only" {\n  statement {\n    effect    = "Allow"\n'
        '    actions   = ["execute-api:Invoke"]\n    resources = ["execute-api:/*"]\n'
        '    principals {\n      type        = "*"\n      identifiers = ["*"]\n    }\n  }\n'
        '  statement {\n    effect    = "Deny"\n    actions   = ["execute-api:Invoke"]\n'
        '    resources = ["execute-api:/*"]\n    principals {\n      type        = "*"\n'
        '      identifiers = ["*"]\n    }\n    condition {\n      test     = "NotIpAddress"\n'
        '      variable = "aws:SourceIp"\n      values   = ["203.0.113.0/24"]\n    }\n  }\n}\n'
        'resource "aws_api_gateway_rest_api_policy" "partner" {\n'
        "  rest_api_id = aws_api_gateway_rest_api.partner.id\n"
        "  policy      = data.aws_iam_policy_document.office_only.json\n}",
    ),
)
def rest_api_private_or_restricted(
    api: ApiGatewayRestApi, *, allowed_public_apis: list[str] = [],  # noqa: B006
) -> Outcome:
    """allowed_public_apis: names or ids (fnmatch patterns) of REST APIs that are public by design."""
    if api.private:
        return Pass("private API: reachable only through interface VPC endpoints")
    endpoint = "/".join(api.endpoint_types) or "EDGE"
    listed = next((p for p in allowed_public_apis if fnmatchcase(api.display_name, p) or fnmatchcase(api.id, p)),
                  None)
    if listed is not None:
        return Pass(f"{endpoint} endpoint, public by design (allowed_public_apis: {listed})")
    if api.resource_policy is None:
        return Error("the API's resource policy was not collected (a snapshot older than this field): scan again")
    if not api.resource_policy:
        return Fail(f"{endpoint} endpoint and no resource policy: API {api.display_name} accepts calls from any "
                    "network")
    try:
        policy = decode_rest_api_policy(api.resource_policy)
    except ValueError as exc:
        return Error(f"the resource policy could not be parsed: {exc}")
    how, open_to_all = source_restriction(policy)
    if how:
        return Pass(f"{endpoint} endpoint; the resource policy {how}")
    detail = f" ({', '.join(open_to_all)} admit any caller)" if open_to_all else ""
    return Fail(f"{endpoint} endpoint and the resource policy does not limit callers by source IP, VPC or VPC "
                f"endpoint{detail}")
