"""Lambda collector against moto's server: functions and their per-function reads, the demo estate's
verdicts, environment values kept out of the inventory, and ERROR (never PASS or FAIL) when a read is denied."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import ec2 as ec2_estate
from assay.demo.estate import lambda_ as lambda_estate
from assay.demo.server import seed_client
from assay.faults import deny
from assay.models.resources.lambda_ import Concurrency, LambdaFunction
from tests.helpers import by_name, evaluate, findings_of, scan

PERMISSIONS = load_collectors()["lambda_.collect_functions"].permissions
CONTROLS = {cid: c for cid, c in load_controls().items() if cid.startswith("awslambda.")}
EXPECTED = {
    "awslambda.function_not_public": {"pass-ingest-orders": "pass", "fail-partner-webhook": "fail",
                                      "skip-report-renderer": "pass"},
    "awslambda.function_url_requires_auth": {"pass-ingest-orders": "pass", "fail-partner-webhook": "fail",
                                             "skip-report-renderer": "skip"},
    "awslambda.runtime_supported": {"pass-ingest-orders": "pass", "fail-partner-webhook": "fail",
                                    "skip-report-renderer": "skip"},
    "awslambda.function_in_vpc": {"pass-ingest-orders": "pass", "fail-partner-webhook": "fail",
                                  "skip-report-renderer": "fail"},
    # moto keeps no DeadLetterConfig: every function fails here
    "awslambda.dead_letter_queue_configured": {"pass-ingest-orders": "fail", "fail-partner-webhook": "fail",
                                               "skip-report-renderer": "fail"},
    "awslambda.concurrency_reserved": {"pass-ingest-orders": "pass", "fail-partner-webhook": "fail",
                                       "skip-report-renderer": "fail"},
    "awslambda.tracing_enabled": {"pass-ingest-orders": "pass", "fail-partner-webhook": "fail",
                                  "skip-report-renderer": "fail"},
}


@pytest.fixture()
def estate(endpoint: str) -> None:
    def client(service: str, region: str) -> Any:
        return seed_client(endpoint, service, region)

    ec2_estate.seed(client, ["us-east-1"])
    lambda_estate.seed(client, ["us-east-1"])


def test_collects_functions_and_their_reads(access: AwsAccess, estate: None) -> None:
    inv = scan(access, ["lambda"])
    assert inv.complete
    functions = {f.name: f for f in inv.of(LambdaFunction)}
    assert set(functions) == {"pass-ingest-orders", "fail-partner-webhook", "skip-report-renderer"}
    ingest = functions["pass-ingest-orders"]
    assert ingest.arn == "arn:aws:lambda:us-east-1:123456789012:function:pass-ingest-orders"
    assert (ingest.runtime, ingest.tracing_mode, ingest.url_auth_type) == ("python3.12", "Active", "AWS_IAM")
    assert ingest.vpc_id and ingest.subnet_ids
    assert ingest.concurrency == Concurrency(reserved=20)
    assert [s["Principal"] for s in (ingest.policy or {})["Statement"]] == [{"Service": "s3.amazonaws.com"}]
    webhook = functions["fail-partner-webhook"]
    assert (webhook.vpc_id, webhook.concurrency, webhook.url_auth_type) == ("", Concurrency(), "NONE")
    renderer = functions["skip-report-renderer"]
    assert (renderer.runtime, renderer.package_type, renderer.policy, renderer.url_auth_type) == ("", "Image", {}, "")


def test_environment_values_never_reach_the_snapshot(access: AwsAccess, estate: None, tmp_path: Path) -> None:
    inv = scan(access, ["lambda"])
    inv.save(tmp_path / "snap.json.gz")
    text = gzip.decompress((tmp_path / "snap.json.gz").read_bytes()).decode()
    assert "pass-ingest-orders" in text and lambda_estate.ORDERS_TABLE not in text


def test_demo_functions_reach_their_verdicts(access: AwsAccess, estate: None) -> None:
    ev = evaluate(scan(access, ["lambda"]))
    assert {cid: by_name(ev, cid) for cid in CONTROLS} == EXPECTED
    [webhook] = [f for f in findings_of(ev, "awslambda.function_not_public") if f.resource_name.startswith("fail")]
    assert webhook.message == "the policy allows everyone: anyone (lambda:InvokeFunction)"


@pytest.mark.parametrize("action", PERMISSIONS)
def test_denied_read_is_error_never_pass_or_fail(access: AwsAccess, estate: None, action: str) -> None:
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    inv = scan(access, ["lambda"])
    assert {e.operation for e in inv.errors} == {action}
    ev = evaluate(inv)
    checked = 0
    for cid, control in CONTROLS.items():
        found = findings_of(ev, cid)
        if action in control.needs:
            assert found and {f.status.value for f in found} == {"error"}, (cid, by_name(ev, cid))
            assert all(action in f.message for f in found)
            checked += 1
        else:  # reads the control does not need leave its verdicts alone
            assert by_name(ev, cid) == EXPECTED[cid]
    assert checked >= 1


def test_function_without_policy_or_url_is_not_an_error(access: AwsAccess, seed: Any) -> None:
    role = lambda_estate.execution_role(seed, "us-east-1", "bare")
    seed("lambda").create_function(FunctionName="bare", Runtime="python3.12", Role=role, Handler="handler.handle",
                                   Code={"ZipFile": lambda_estate.code()})
    inv = scan(access, ["lambda"])
    [bare] = inv.of(LambdaFunction)
    assert (bare.policy, bare.url_auth_type, bare.concurrency) == ({}, "", Concurrency())
    assert inv.complete and not inv.errors
