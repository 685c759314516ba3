"""AWS Lambda controls: who may invoke a function, on what runtime it runs, and how its failures and load
are handled. Control ids use the prefix "awslambda" because "lambda" is a Python keyword."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from assay.controls.policy import as_list, principal_is_everyone, statements
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.lambda_ import LambdaFunction

LIST = "lambda:ListFunctions"

# Runtimes and the day AWS ended security patches for them (AWS Lambda "runtime deprecation" schedule).
# A runtime counts as deprecated from that day on, judged at collection time; extend it by parameter.
DEPRECATED_RUNTIMES: dict[str, str] = {
    "nodejs": "2016-10-31", "nodejs4.3": "2020-03-05", "nodejs4.3-edge": "2019-04-30", "nodejs6.10": "2019-08-12",
    "nodejs8.10": "2020-03-06", "nodejs10.x": "2021-07-30", "nodejs12.x": "2023-03-31", "nodejs14.x": "2023-12-04",
    "nodejs16.x": "2024-06-12", "nodejs18.x": "2025-09-01",
    "python2.7": "2021-07-15", "python3.6": "2022-07-18", "python3.7": "2023-12-04", "python3.8": "2024-10-14",
    "python3.9": "2025-12-15",
    "ruby2.5": "2021-07-30", "ruby2.7": "2023-12-07", "ruby3.2": "2026-03-31",
    "java8": "2024-01-08", "go1.x": "2024-01-08", "provided": "2024-01-08",
    "dotnetcore1.0": "2019-07-30", "dotnetcore2.0": "2019-05-30", "dotnetcore2.1": "2022-01-05",
    "dotnetcore3.1": "2023-04-03", "dotnet5.0": "2022-05-10", "dotnet6": "2024-12-20", "dotnet7": "2024-05-14",
}

# Condition keys that describe the request rather than restrict who makes it: a statement for Principal "*"
# conditioned only on them is still open to everyone (the console adds exactly this for public function URLs).
_NON_RESTRICTING_KEYS = {"lambda:functionurlauthtype"}


def _restricting_conditions(condition: Any) -> list[str]:
    keys = [str(k) for block in (condition or {}).values() if isinstance(block, dict) for k in block]
    return [k for k in keys if k.lower() not in _NON_RESTRICTING_KEYS]


def public_statements(policy: dict[str, Any] | None) -> list[str]:
    """'<sid>: <actions>' for each Allow open to any principal with no condition that narrows the caller."""
    found = []
    for n, st in enumerate(statements(policy)):
        if st.get("Effect") != "Allow" or _restricting_conditions(st.get("Condition")):
            continue
        if principal_is_everyone(st.get("Principal")) or "NotPrincipal" in st:
            actions = ", ".join(str(a) for a in as_list(st.get("Action"))) or "no action"
            found.append(f"{st.get('Sid') or f'statement {n + 1}'} ({actions})")
    return found


@control(
    id="awslambda.function_not_public",
    title="Lambda functions' resource-based policies do not allow everyone",
    severity="high",
    needs=[LIST, "lambda:GetPolicy"],
    rationale="A function policy statement that allows Principal '*' without a condition naming the caller "
    "(a source account, ARN or organization) lets any AWS account, or anyone on the internet through a "
    "function URL, invoke the function or read its configuration. The function then runs with its role's "
    "permissions on behalf of strangers, which breaks the logical access boundary CC6.1 and CC6.6 ask for.",
    remediation=Remediation(
        console="Lambda console > Functions > the function > Configuration > Permissions > Resource-based policy "
        "statements: delete the statement whose principal is '*', or edit it to name the calling service or "
        "account and add a condition on aws:SourceArn or aws:SourceAccount.",
        cli="aws lambda get-policy --function-name <function>\n"
        "aws lambda remove-permission --function-name <function> --statement-id <sid>",
        terraform='resource "aws_lambda_permission" "from_bucket" {\n'
        "  function_name  = aws_lambda_function.fn.function_name\n"
        '  action         = "lambda:InvokeFunction"\n  principal      = "s3.amazonaws.com"\n'
        "  source_arn     = aws_s3_bucket.uploads.arn\n"
        "  source_account = data.aws_caller_identity.current.account_id\n}",
    ),
)
def function_not_public(function: LambdaFunction) -> Outcome:
    if function.policy is None:
        return Error("the function's resource-based policy (lambda:GetPolicy) was not read")
    if not function.policy:
        return Pass("the function has no resource-based policy: only IAM principals of the account may invoke it")
    public = public_statements(function.policy)
    if public:
        return Fail(f"the policy allows everyone: {'; '.join(public)}")
    return Pass("every policy statement names its principals or restricts the caller by condition")


@control(
    id="awslambda.function_url_requires_auth",
    title="Lambda function URLs require IAM authentication",
    severity="high",
    needs=[LIST, "lambda:GetFunctionUrlConfig"],
    rationale="A function URL with auth type NONE is an HTTPS endpoint anyone on the internet can call; the "
    "function must then authenticate every request itself, and any gap exposes whatever its role can reach. "
    "AWS_IAM makes Lambda verify a SigV4 signature and the caller's IAM permission first, keeping access to "
    "the function under the account's access control (CC6.1, CC6.6). Functions without a URL are not "
    "assessed; URLs on aliases are not read.",
    remediation=Remediation(
        console="Lambda console > Functions > the function > Configuration > Function URL > Edit > Auth type: "
        "AWS_IAM > Save. Put an API Gateway or CloudFront with an authorizer in front if unauthenticated callers "
        "must be served.",
        cli="aws lambda update-function-url-config --function-name <function> --auth-type AWS_IAM",
        terraform='resource "aws_lambda_function_url" "fn" {\n'
        "  function_name      = aws_lambda_function.fn.function_name\n  authorization_type = \"AWS_IAM\"\n}",
    ),
)
def function_url_requires_auth(function: LambdaFunction) -> Outcome:
    if function.url_auth_type is None:
        return Error("the function URL configuration (lambda:GetFunctionUrlConfig) was not read")
    if not function.url_auth_type:
        return Skip("the function has no function URL")
    if function.url_auth_type == "AWS_IAM":
        return Pass("the function URL requires IAM (SigV4) authentication")
    return Fail(f"the function URL has auth type {function.url_auth_type}: anyone on the internet can invoke it")


@control(
    id="awslambda.runtime_supported",
    title="Lambda functions run on a runtime AWS still supports",
    severity="medium",
    needs=[LIST],
    rationale="Once AWS deprecates a Lambda runtime it stops applying security patches to it, and later blocks "
    "creating and then updating functions on it. Code on such a runtime accumulates known vulnerabilities "
    "that nobody will fix and cannot be redeployed quickly in an emergency, which undermines vulnerability "
    "management (CC7.1) and change management (CC8.1). The deprecation schedule is a parameter: runtime name "
    "to the date support ended, judged against the collection time. Container-image functions bring their "
    "own runtime and are not assessed.",
    remediation=Remediation(
        console="Lambda console > Functions > the function > Code > Runtime settings > Edit > choose a supported "
        "runtime version of the same language > Save, after testing the code on it.",
        cli="aws lambda update-function-configuration --function-name <function> --runtime python3.12",
        terraform='resource "aws_lambda_function" "fn" {\n  runtime = "python3.12"\n}',
    ),
)
def runtime_supported(function: LambdaFunction, now: datetime, *,
                      deprecated: dict[str, str] = DEPRECATED_RUNTIMES) -> Outcome:
    if not function.runtime:
        return Skip(f"{function.package_type or 'image'} function: it brings its own runtime")
    ended = deprecated.get(function.runtime)
    if ended is not None and date.fromisoformat(ended) <= now.date():
        return Fail(f"runtime {function.runtime} has been deprecated since {ended}")
    if ended is not None:
        return Pass(f"runtime {function.runtime} is supported until {ended}")
    return Pass(f"runtime {function.runtime} is not deprecated")


@control(
    id="awslambda.function_in_vpc",
    title="Lambda functions run attached to a VPC",
    severity="low",
    needs=[LIST],
    rationale="A function attached to a VPC reaches databases and internal services through private addresses "
    "under security groups and network ACLs, and its outbound traffic can be forced through NAT, firewalls and "
    "flow logs. Outside a VPC it has direct internet egress that those network controls cannot see or limit "
    "(CC6.6). Functions that only call public AWS APIs may reasonably stay outside; accept those deliberately.",
    remediation=Remediation(
        console="Lambda console > Functions > the function > Configuration > VPC > Edit: choose the VPC, at "
        "least two private subnets and a security group > Save. The execution role needs "
        "AWSLambdaVPCAccessExecutionRole (or equivalent ENI permissions).",
        cli="aws lambda update-function-configuration --function-name <function> \\\n"
        "  --vpc-config SubnetIds=<subnet-a>,<subnet-b>,SecurityGroupIds=<sg>",
        terraform='resource "aws_lambda_function" "fn" {\n  vpc_config {\n'
        "    subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]\n"
        "    security_group_ids = [aws_security_group.fn.id]\n  }\n}",
    ),
)
def function_in_vpc(function: LambdaFunction) -> Outcome:
    if function.vpc_id:
        return Pass(f"attached to {function.vpc_id} through {len(function.subnet_ids)} subnet(s)")
    return Fail("the function is not attached to a VPC: its traffic bypasses the VPC's network controls")


@control(
    id="awslambda.dead_letter_queue_configured",
    title="Lambda functions send failed asynchronous events to a dead-letter queue",
    severity="low",
    needs=[LIST],
    rationale="When an asynchronous invocation fails every retry, Lambda discards the event unless a "
    "dead-letter queue (an SQS queue or SNS topic) keeps it. Without one, a failed order, upload or alert is "
    "lost without trace: nobody can see, replay or investigate it, which hurts processing integrity and the "
    "detection of failures (CC7.2, CC7.4, PI1.3). Functions only ever invoked synchronously gain nothing and "
    "can be accepted. On-failure destinations (an alternative to a DLQ) are not read by this control.",
    remediation=Remediation(
        console="Lambda console > Functions > the function > Configuration > Asynchronous invocation > Edit > "
        "Dead-letter queue service: Amazon SQS (or SNS), choose the queue > Save. The execution role needs "
        "sqs:SendMessage (or sns:Publish) on it.",
        cli="aws lambda update-function-configuration --function-name <function> \\\n"
        "  --dead-letter-config TargetArn=arn:aws:sqs:<region>:<account>:<queue>",
        terraform='resource "aws_lambda_function" "fn" {\n  dead_letter_config {\n'
        "    target_arn = aws_sqs_queue.fn_dlq.arn\n  }\n}",
    ),
)
def dead_letter_queue_configured(function: LambdaFunction) -> Outcome:
    if function.dead_letter_target:
        return Pass(f"failed asynchronous events go to {function.dead_letter_target}")
    return Fail("no dead-letter queue: asynchronous events that fail every retry are discarded")


@control(
    id="awslambda.concurrency_reserved",
    title="Lambda functions have reserved concurrency",
    severity="low",
    needs=[LIST, "lambda:GetFunctionConcurrency"],
    rationale="All functions of a region share one concurrency pool. A reservation guarantees a function the "
    "capacity it needs when another function floods the pool, and caps how far a runaway or abused function "
    "can scale, which protects both availability and cost (A1.1, CC7.2).",
    remediation=Remediation(
        console="Lambda console > Functions > the function > Configuration > Concurrency > Edit > Reserve "
        "concurrency: enter the number of concurrent executions the function needs > Save.",
        cli="aws lambda put-function-concurrency --function-name <function> --reserved-concurrent-executions 50",
        terraform='resource "aws_lambda_function" "fn" {\n  reserved_concurrent_executions = 50\n}',
    ),
)
def concurrency_reserved(function: LambdaFunction) -> Outcome:
    if function.concurrency is None:
        return Error("the function's concurrency (lambda:GetFunctionConcurrency) was not read")
    reserved = function.concurrency.reserved
    if reserved is None:
        return Fail("no concurrency is reserved: the function competes for the region's shared pool")
    if reserved == 0:
        return Fail("reserved concurrency is 0: the function is throttled and cannot run")
    return Pass(f"{reserved} concurrent executions are reserved")


@control(
    id="awslambda.tracing_enabled",
    title="Lambda functions have active AWS X-Ray tracing",
    severity="low",
    needs=[LIST],
    rationale="Active tracing records each invocation's path through downstream services, with timings and "
    "errors, so the team can find where a request failed or slowed and reconstruct what a suspicious "
    "invocation touched (CC7.2, CC7.3).",
    remediation=Remediation(
        console="Lambda console > Functions > the function > Configuration > Monitoring and operations tools > "
        "Edit > AWS X-Ray: Active tracing > Save (the role needs AWSXRayDaemonWriteAccess).",
        cli="aws lambda update-function-configuration --function-name <function> --tracing-config Mode=Active",
        terraform='resource "aws_lambda_function" "fn" {\n  tracing_config {\n    mode = "Active"\n  }\n}',
    ),
)
def tracing_enabled(function: LambdaFunction) -> Outcome:
    if function.tracing_mode == "Active":
        return Pass("active X-Ray tracing is on")
    return Fail(f"tracing mode is {function.tracing_mode or 'unset'}: invocations are not traced")
