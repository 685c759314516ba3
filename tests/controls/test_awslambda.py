"""Lambda controls: pure functions over LambdaFunction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assay.controls import awslambda
from assay.controls.registry import load_controls
from assay.models.findings import Status
from assay.models.resources.lambda_ import Concurrency, LambdaFunction

ACCOUNT = "123456789012"
ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def fn(**over: Any) -> LambdaFunction:
    base: dict[str, Any] = dict(arn=ARN, id="fn", name="fn", account_id=ACCOUNT, region="us-east-1",
                                runtime="python3.12", policy={}, concurrency=Concurrency(), url_auth_type="")
    return LambdaFunction(**{**base, **over})


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(principal: Any, condition: dict[str, Any] | None = None, sid: str = "s1",
          action: str = "lambda:InvokeFunction") -> dict[str, Any]:
    st: dict[str, Any] = {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": action, "Resource": ARN}
    if condition:
        st["Condition"] = condition
    return st


# -- awslambda.function_not_public ------------------------------------------------------------------

def test_function_without_policy_passes() -> None:
    assert awslambda.function_not_public(fn()).status is Status.PASS


@pytest.mark.parametrize("statement", [
    allow({"Service": "s3.amazonaws.com"}, {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}}),
    allow({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
    allow("*", {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}),
    {"Sid": "deny", "Effect": "Deny", "Principal": "*", "Action": "lambda:*", "Resource": ARN},
])
def test_named_or_conditioned_principals_pass(statement: dict[str, Any]) -> None:
    assert awslambda.function_not_public(fn(policy=policy(statement))).status is Status.PASS


@pytest.mark.parametrize("statement", [
    allow("*"), allow({"AWS": "*"}), allow({"AWS": ["*"]}),
    # the statement the console adds for a public function URL: the auth-type condition narrows nobody
    allow("*", {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}, action="lambda:InvokeFunctionUrl"),
])
def test_open_statements_fail(statement: dict[str, Any]) -> None:
    out = awslambda.function_not_public(fn(policy=policy(allow({"Service": "sns.amazonaws.com"}, sid="from-sns"),
                                                            statement)))
    assert out.status is Status.FAIL
    assert out.message.startswith("the policy allows everyone: s1 (lambda:InvokeFunction")
    assert "from-sns" not in out.message


def test_unread_policy_is_error() -> None:
    out = awslambda.function_not_public(fn(policy=None))
    assert out.status is Status.ERROR and "lambda:GetPolicy" in out.message


# -- awslambda.function_url_requires_auth -----------------------------------------------------------

def test_function_url_auth() -> None:
    assert awslambda.function_url_requires_auth(fn(url_auth_type="AWS_IAM")).status is Status.PASS
    assert awslambda.function_url_requires_auth(fn(url_auth_type="NONE")) == (
        Status.FAIL, "the function URL has auth type NONE: anyone on the internet can invoke it")
    assert awslambda.function_url_requires_auth(fn()) == (Status.SKIP, "the function has no function URL")
    out = awslambda.function_url_requires_auth(fn(url_auth_type=None))
    assert out.status is Status.ERROR and "lambda:GetFunctionUrlConfig" in out.message


# -- awslambda.runtime_supported --------------------------------------------------------------------

def test_runtime_supported() -> None:
    assert awslambda.runtime_supported(fn(), NOW) == (Status.PASS, "runtime python3.12 is not deprecated")
    assert awslambda.runtime_supported(fn(runtime="python3.8"), NOW) == (
        Status.FAIL, "runtime python3.8 has been deprecated since 2024-10-14")
    image = fn(runtime="", package_type="Image")
    assert awslambda.runtime_supported(image, NOW) == (Status.SKIP, "Image function: it brings its own runtime")


def test_runtime_deprecation_is_judged_at_collection_time() -> None:
    before = datetime(2025, 12, 14, tzinfo=UTC)
    assert awslambda.runtime_supported(fn(runtime="python3.9"), before) == (
        Status.PASS, "runtime python3.9 is supported until 2025-12-15")
    assert awslambda.runtime_supported(fn(runtime="python3.9"), datetime(2025, 12, 15, tzinfo=UTC)).status \
        is Status.FAIL


def test_runtime_schedule_is_a_parameter() -> None:
    schedule = {"python3.12": "2025-01-01"}
    assert awslambda.runtime_supported(fn(), NOW, deprecated=schedule).status is Status.FAIL
    assert awslambda.runtime_supported(fn(runtime="python3.8"), NOW, deprecated=schedule).status is Status.PASS
    assert load_controls()["awslambda.runtime_supported"].params == {"deprecated": awslambda.DEPRECATED_RUNTIMES}


# -- configuration ----------------------------------------------------------------------------------

def test_function_in_vpc() -> None:
    attached = fn(vpc_id="vpc-1", subnet_ids=("subnet-a", "subnet-b"))
    assert awslambda.function_in_vpc(attached) == (Status.PASS, "attached to vpc-1 through 2 subnet(s)")
    assert awslambda.function_in_vpc(fn()).status is Status.FAIL


def test_dead_letter_queue() -> None:
    queue = f"arn:aws:sqs:us-east-1:{ACCOUNT}:fn-dlq"
    assert awslambda.dead_letter_queue_configured(fn(dead_letter_target=queue)) == (
        Status.PASS, f"failed asynchronous events go to {queue}")
    assert awslambda.dead_letter_queue_configured(fn()).status is Status.FAIL


def test_concurrency_reserved() -> None:
    assert awslambda.concurrency_reserved(fn(concurrency=Concurrency(reserved=25))) == (
        Status.PASS, "25 concurrent executions are reserved")
    assert awslambda.concurrency_reserved(fn()).status is Status.FAIL
    assert awslambda.concurrency_reserved(fn(concurrency=Concurrency(reserved=0))) == (
        Status.FAIL, "reserved concurrency is 0: the function is throttled and cannot run")
    out = awslambda.concurrency_reserved(fn(concurrency=None))
    assert out.status is Status.ERROR and "lambda:GetFunctionConcurrency" in out.message


def test_tracing_enabled() -> None:
    assert awslambda.tracing_enabled(fn(tracing_mode="Active")).status is Status.PASS
    assert awslambda.tracing_enabled(fn(tracing_mode="PassThrough")) == (
        Status.FAIL, "tracing mode is PassThrough: invocations are not traced")


def test_needs_name_the_per_function_reads() -> None:
    controls = load_controls()
    assert controls["awslambda.function_not_public"].needs == ("lambda:ListFunctions", "lambda:GetPolicy")
    assert controls["awslambda.function_url_requires_auth"].needs == (
        "lambda:ListFunctions", "lambda:GetFunctionUrlConfig")
    assert controls["awslambda.concurrency_reserved"].needs == (
        "lambda:ListFunctions", "lambda:GetFunctionConcurrency")
    for cid in ("awslambda.runtime_supported", "awslambda.function_in_vpc", "awslambda.dead_letter_queue_configured",
                "awslambda.tracing_enabled"):
        assert controls[cid].needs == ("lambda:ListFunctions",)
