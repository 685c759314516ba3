"""AWS Lambda: functions, their resource-based policy, concurrency reservation and function URL.

Environment variable values are never read into the inventory (they often hold secrets), and the
function's code is never downloaded: ListFunctions gives the configuration, per-function reads the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.lambda_ import Concurrency, LambdaFunction

LIST = "lambda:ListFunctions"
GET_POLICY = "lambda:GetPolicy"
GET_CONCURRENCY = "lambda:GetFunctionConcurrency"
GET_URL = "lambda:GetFunctionUrlConfig"


def _policy(ctx: Ctx, got: dict[str, Any] | None, arn: str) -> dict[str, Any] | None:
    if got is None:
        return None
    return ctx.policy_document("lambda:GetPolicy", got.get("Policy"), arn)


def _url_auth(got: dict[str, Any] | None) -> str | None:
    return None if got is None else str(got.get("AuthType", ""))


@collector(service="lambda", produces=[LambdaFunction], permissions=[LIST, GET_POLICY, GET_CONCURRENCY, GET_URL],
           # GetPolicy: the function has no resource-based policy; GetFunctionUrlConfig: it has no URL.
           absent={GET_POLICY: ["ResourceNotFoundException"], GET_URL: ["ResourceNotFoundException"]})
def collect_functions(ctx: Ctx) -> Iterator[LambdaFunction]:
    lam = ctx.client("lambda")
    for f in ctx.paginate(lam, "list_functions", "Functions"):
        arn, name = f["FunctionArn"], f["FunctionName"]
        vpc = f.get("VpcConfig") or {}
        concurrency = ctx.call(lam, "get_function_concurrency", resource_arn=arn, FunctionName=arn)
        yield LambdaFunction(
            arn=arn, id=name, name=name, account_id=ctx.account_id, region=ctx.region,
            runtime=f.get("Runtime") or "", package_type=f.get("PackageType") or "Zip", role=f.get("Role", ""),
            vpc_id=vpc.get("VpcId") or "", subnet_ids=tuple(vpc.get("SubnetIds") or ()),
            dead_letter_target=(f.get("DeadLetterConfig") or {}).get("TargetArn") or "",
            tracing_mode=(f.get("TracingConfig") or {}).get("Mode") or "",
            last_modified=str(f.get("LastModified") or ""),
            policy=_policy(ctx, ctx.call(lam, "get_policy", resource_arn=arn, FunctionName=arn), arn),
            concurrency=None if concurrency is None else Concurrency(
                reserved=concurrency.get("ReservedConcurrentExecutions")),
            url_auth_type=_url_auth(ctx.call(lam, "get_function_url_config", resource_arn=arn, FunctionName=arn)),
        )
