"""The web edge: load balancers and REST APIs, some behind an AWS WAF web ACL, some not.

The orders API's stage logs, traces and encrypts its cache, and its methods require IAM authorization and
validate order bodies against a model; the partner API does none of it and takes anonymous calls. The edge
web ACL logs and enforces a managed rule group; a forgotten trial web ACL only counts and logs nothing.
Everything lives in us-east-1, in a VPC of its own (the default VPCs are left alone).
"""

from __future__ import annotations

import json
from typing import Any

from assay.demo.estate import ClientFactory

REGION = "us-east-1"
ACCOUNT = "123456789012"
VPC_CIDR = "10.42.0.0/16"
SUBNETS = [("10.42.1.0/24", "us-east-1a"), ("10.42.2.0/24", "us-east-1b")]
RESOURCE_TYPES = {"APPLICATION_LOAD_BALANCER": ":loadbalancer/app/", "API_GATEWAY": ":apigateway:"}


def ensure_moto_lists_web_acl_resources() -> None:
    """moto 5.2 has no wafv2 ListResourcesForWebACL; teach its in-process server the call.

    It answers from the associations moto already records (associate_web_acl), filtered by
    ResourceType as AWS does (APPLICATION_LOAD_BALANCER when omitted). A no-op once moto has it.
    """
    from moto.wafv2.exceptions import WAFNonexistentItemException
    from moto.wafv2.responses import WAFV2Response

    if hasattr(WAFV2Response, "list_resources_for_web_acl"):
        return

    def list_resources_for_web_acl(self: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(self.body)
        acl = self.wafv2_backend.wacls.get(body["WebACLArn"])
        if acl is None:
            raise WAFNonexistentItemException
        marker = RESOURCE_TYPES.get(body.get("ResourceType", "APPLICATION_LOAD_BALANCER"), "\0")
        arns = [a for a in acl.associated_resources if marker in a]
        return 200, {"Content-Type": "application/json"}, json.dumps({"ResourceArns": arns})

    WAFV2Response.list_resources_for_web_acl = list_resources_for_web_acl  # type: ignore[attr-defined]


def _visibility(name: str, metrics: bool = True) -> dict[str, Any]:
    return {"SampledRequestsEnabled": metrics, "CloudWatchMetricsEnabled": metrics, "MetricName": name}


def _trial_web_acl(waf: Any) -> None:
    """A web ACL left over from a rule trial: its rule only counts, and it publishes no metrics."""
    rule = {"Name": "block-bad-bots", "Priority": 0, "Action": {"Count": {}},
            "Statement": {"ByteMatchStatement": {
                "SearchString": "BadBot", "FieldToMatch": {"SingleHeader": {"Name": "user-agent"}},
                "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}], "PositionalConstraint": "CONTAINS"}},
            "VisibilityConfig": _visibility("block-bad-bots", metrics=False)}
    waf.create_web_acl(Name="fail-bot-trial", Scope="REGIONAL", DefaultAction={"Allow": {}}, Rules=[rule],
                       Description="Bot blocking trial", VisibilityConfig=_visibility("fail-bot-trial", False))


def _log_web_acl(client: ClientFactory, waf: Any, acl: str) -> None:
    logs = client("logs", REGION)
    group = "aws-waf-logs-northwind-edge"  # WAF requires the aws-waf-logs- prefix
    logs.create_log_group(logGroupName=group)
    logs.put_retention_policy(logGroupName=group, retentionInDays=400)
    waf.put_logging_configuration(LoggingConfiguration={
        "ResourceArn": acl, "LogDestinationConfigs": [f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}"]})


def _web_acl(waf: Any) -> str:
    rules = [{
        "Name": "aws-common-rules", "Priority": 0, "OverrideAction": {"None": {}},
        "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}},
        "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True,
                             "MetricName": "aws-common-rules"},
    }]
    acl = waf.create_web_acl(
        Name="pass-northwind-edge", Scope="REGIONAL", DefaultAction={"Allow": {}}, Rules=rules,
        Description="Managed common rule set for public endpoints",
        VisibilityConfig={"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True,
                          "MetricName": "northwind-edge"},
    )
    return str(acl["Summary"]["ARN"])


def _load_balancers(client: ClientFactory) -> dict[str, str]:
    ec2 = client("ec2", REGION)
    vpc = ec2.create_vpc(CidrBlock=VPC_CIDR, TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "northwind-edge"}]}])["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
               for cidr, az in SUBNETS]
    # The VPC's default network ACL allows everything, as on AWS: name it after its verdict.
    acl = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                             {"Name": "default", "Values": ["true"]}])["NetworkAcls"][0]
    ec2.create_tags(Resources=[acl["NetworkAclId"]], Tags=[{"Key": "Name", "Value": "fail-edge-default-acl"}])
    elb = client("elbv2", REGION)
    arns = {}
    for name, scheme, kind in (
        ("pass-web-alb", "internet-facing", "application"),
        ("fail-legacy-alb", "internet-facing", "application"),
        ("skip-internal-alb", "internal", "application"),
        ("skip-ingest-nlb", "internet-facing", "network"),
    ):
        lb = elb.create_load_balancer(Name=name, Subnets=subnets, Scheme=scheme, Type=kind,
                                      Tags=[{"Key": "app", "Value": "northwind-web"}])
        arns[name] = lb["LoadBalancers"][0]["LoadBalancerArn"]
    return arns


ORDER_SCHEMA = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["sku", "qty"],
                "properties": {"sku": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}}}


def _rest_api(apigw: Any, name: str, endpoint: str = "REGIONAL", settings: list[dict[str, str]] | None = None,
              auth: str = "NONE", orders: str | None = None) -> str:
    """A mock API deployed to a "prod" stage with the given stage patches; returns the stage ARN.

    `orders` adds POST /orders: "validated" with a model and a validator, "unchecked" with neither.
    """
    api = apigw.create_rest_api(name=name, endpointConfiguration={"types": [endpoint]})
    root = next(r["id"] for r in apigw.get_resources(restApiId=api["id"])["items"] if r["path"] == "/")
    apigw.put_method(restApiId=api["id"], resourceId=root, httpMethod="GET", authorizationType=auth)
    apigw.put_integration(restApiId=api["id"], resourceId=root, httpMethod="GET", type="MOCK")
    if orders:
        resource = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="orders")["id"]
        checks: dict[str, Any] = {}
        if orders == "validated":
            apigw.create_model(restApiId=api["id"], name="Order", contentType="application/json",
                               schema=json.dumps(ORDER_SCHEMA))
            validator = apigw.create_request_validator(restApiId=api["id"], name="body-and-params",
                                                       validateRequestBody=True, validateRequestParameters=True)
            checks = {"requestValidatorId": validator["id"], "requestModels": {"application/json": "Order"}}
        apigw.put_method(restApiId=api["id"], resourceId=resource, httpMethod="POST", authorizationType=auth,
                         **checks)
        apigw.put_integration(restApiId=api["id"], resourceId=resource, httpMethod="POST", type="MOCK")
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    if settings:
        apigw.update_stage(restApiId=api["id"], stageName="prod", patchOperations=settings)
    return f"arn:aws:apigateway:{REGION}::/restapis/{api['id']}/stages/prod"


def _patch(path: str, value: str) -> dict[str, str]:
    return {"op": "replace", "path": path, "value": value}


# The orders API: execution and access logs, X-Ray, and a cache that encrypts what it stores.
WELL_RUN = [
    _patch("/*/*/logging/loglevel", "ERROR"), _patch("/tracingEnabled", "true"),
    _patch("/accessLogSettings/destinationArn", f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:pass-northwind-api-logs"),
    _patch("/accessLogSettings/format", "$context.requestId $context.identity.sourceIp $context.status"),
    _patch("/cacheClusterEnabled", "true"), _patch("/*/*/caching/enabled", "true"),
    _patch("/*/*/caching/dataEncrypted", "true"),
]
# The partner API caches responses in the clear and logs nothing.
NEGLECTED = [_patch("/cacheClusterEnabled", "true"), _patch("/*/*/caching/enabled", "true"),
             _patch("/*/*/caching/dataEncrypted", "false")]


def seed(client: ClientFactory, regions: list[str]) -> None:
    if REGION not in regions:
        return
    ensure_moto_lists_web_acl_resources()
    waf = client("wafv2", REGION)
    acl = _web_acl(waf)
    _log_web_acl(client, waf, acl)
    _trial_web_acl(waf)
    albs = _load_balancers(client)
    waf.associate_web_acl(WebACLArn=acl, ResourceArn=albs["pass-web-alb"])
    apigw = client("apigateway", REGION)
    waf.associate_web_acl(WebACLArn=acl, ResourceArn=_rest_api(apigw, "pass-orders-api", settings=WELL_RUN,
                                                               auth="AWS_IAM", orders="validated"))
    _rest_api(apigw, "fail-partner-api", settings=NEGLECTED, orders="unchecked")
    _rest_api(apigw, "skip-internal-api", endpoint="PRIVATE")
