"""T11: fifty accounts, three of which refuse AssumeRole and one whose collector is killed mid-scan (R-12).

The command line's own path (accounts file, planning, the local pool, the report, --strict) against
moto's server, where every account is reached through a role in its own account id. moto lets every
AssumeRole succeed, so the refusals are injected on the STS call of those three roles, as AWS answers
a role whose trust policy does not name the caller.

"Killed" in a thread pool: a thread cannot be SIGKILLed alone, so the collector dies the most abrupt
way a thread can, from an exception no `except Exception` catches, raised in the middle of its
listing. Killing a whole worker process is the distributed runner's case:
tests/distributed/test_celery_scan.py::test_a_killed_worker_shard_is_finished_by_the_other SIGKILLs a
Celery worker mid-shard and checks the shard is delivered again and finished by the other worker.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import assay.collect.targets as targets_module
from assay.cli import app
from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.demo.server import seed_client
from assay.engine import evaluate
from assay.errors import WriteAttempted
from assay.faults import deny
from assay.models.inventory import CoverageStatus

ACCOUNTS = [f"{210000000000 + n * 7919:012d}" for n in range(1, 51)]
REFUSING = set(ACCOUNTS[10:13])
KILLED = ACCOUNTS[30]
NEIGHBOUR = ACCOUNTS[31]
SERVICES = ["kms", "sns"]


def role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/AssayScan"


class CollectorKilled(BaseException):
    """Ends a collector's thread the way nothing in a collector can catch."""


def _kill_on_second_key() -> Any:
    described = [0]

    def hook(**_: Any) -> None:
        described[0] += 1
        if described[0] == 2:
            raise CollectorKilled("collector killed while listing keys")

    return hook


def _with_faults(real: Any) -> Any:
    def build(**kwargs: Any) -> Any:
        targets = real(**kwargs)
        for access in targets.accesses:
            account = access.role_arn.split(":")[4]
            if account in REFUSING:
                access.hooks.append(
                    (
                        "before-call.sts.AssumeRole",
                        deny(
                            {"sts:AssumeRole"},
                            message=f"User: arn:aws:iam::123456789012:user/auditor is not authorized "
                            f"to perform: sts:AssumeRole on resource: {access.role_arn}",
                        ),
                    )
                )
            if account == KILLED:
                access.hooks.append(("after-call.kms.DescribeKey", _kill_on_second_key()))
        return targets

    return build


def test_fifty_accounts_three_refused_one_killed(
    endpoint: str, seed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Keys in the killed account, so that its collector dies with work half done, and in a neighbour.
    for account, keys in ((KILLED, 3), (NEIGHBOUR, 1)):
        creds = seed("sts").assume_role(RoleArn=role(account), RoleSessionName="setup")["Credentials"]
        kms = seed_client(
            endpoint,
            "kms",
            "us-east-1",
            {
                "aws_access_key_id": creds["AccessKeyId"],
                "aws_secret_access_key": creds["SecretAccessKey"],
                "aws_session_token": creds["SessionToken"],
            },
        )
        for n in range(keys):
            kms.create_key(Description=f"key {n}")
    accounts_file = tmp_path / "accounts.csv"
    accounts_file.write_text("account_id,role_arn\n" + "".join(f"{a},{role(a)}\n" for a in ACCOUNTS))
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setattr(targets_module, "build_targets", _with_faults(targets_module.build_targets))
    report = tmp_path / "report.json"

    started = time.monotonic()
    result = CliRunner().invoke(
        app,
        [
            "scan",
            "--accounts-file",
            str(accounts_file),
            "-r",
            "us-east-1",
            *[a for s in SERVICES for a in ("--service", s)],
            "--strict",
            "-f",
            "json",
            "-o",
            str(report),
            "--no-store",
        ],
    )
    took = time.monotonic() - started
    print(f"\n50 accounts, {len(SERVICES)} services, 1 region: {took:.1f}s")

    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 3, result.stderr  # --strict: the scan is incomplete
    assert "--strict: the scan is incomplete (exit 3)" in result.stderr
    assert took < 120  # about 45 s on a busy 2-core machine, planning 50 accounts one after another

    doc = json.loads(report.read_text())
    scan = doc["scan"]
    assert scan["state"] == "partial" and not scan["complete"]
    accounts = {a["account_id"]: a for a in scan["accounts"]}
    assert set(accounts) == set(ACCOUNTS)
    failed = {a: accounts[a]["reason"] for a in accounts if accounts[a]["status"] == "failed"}
    assert set(failed) == REFUSING
    for account, reason in failed.items():
        assert f"cannot assume role {role(account)}" in reason and "AccessDenied" in reason

    # Every shard of every account entered reached a final state: none is missing or left running.
    coverage: dict[str, dict[str, dict[str, Any]]] = {}
    for c in doc["coverage"]:
        coverage.setdefault(c["account_id"], {})[c["service"]] = c
    entered = set(ACCOUNTS) - REFUSING
    assert set(coverage) == entered
    assert all(set(by_service) == set(SERVICES) for by_service in coverage.values())
    complete = {a for a, by_service in coverage.items() if all(c["status"] == "complete" for c in by_service.values())}
    assert len(complete) == 46 and complete == entered - {KILLED}
    killed = coverage[KILLED]
    assert killed["sns"]["status"] == "complete"  # the account's other shard is unharmed
    assert killed["kms"]["status"] == "error"
    assert (
        "CollectorKilled" in killed["kms"]["reason"]
        and "collector killed while listing keys" in killed["kms"]["reason"]
    )

    # Unknown is never PASS: the killed shard's controls are ERROR in that account, evaluated elsewhere.
    kms_findings = [f for f in doc["findings"] if f["control_id"].startswith("kms.")]
    assert {f["status"] for f in kms_findings if f["account_id"] == KILLED} == {"error"}
    assert "error" not in {f["status"] for f in kms_findings if f["account_id"] == NEIGHBOUR}
    assert any(f["account_id"] == NEIGHBOUR for f in kms_findings)

    # The account summary names the four: three refused with the reason, one with an incomplete shard.
    lines = [ln.strip() for ln in result.stderr.splitlines()]
    for account in REFUSING:
        assert any(ln.startswith(f"{account}  FAILED: cannot assume role") for ln in lines)
    assert any(ln.startswith(KILLED) and "1 shard(s) incomplete" in ln for ln in lines)
    assert sum(1 for ln in lines if ln.endswith("2 shards, complete")) == 46


@pytest.mark.parametrize(
    "death",
    [SystemExit(3), CollectorKilled("killed"), KeyError("bug in the shard")],
    ids=["SystemExit", "BaseException", "Exception"],
)
def test_a_shard_that_dies_costs_its_scope_only(access: AwsAccess, seed: Any, death: BaseException) -> None:
    seed("kms").create_key()

    def die(**_: Any) -> None:
        raise death

    access.hooks.append(("after-call.kms.ListKeys", die))
    inv = collect(access, regions=["us-east-1"], services=SERVICES)
    status = {c.service: c for c in inv.coverage}
    assert status["sns"].status is CoverageStatus.COMPLETE
    assert status["kms"].status is CoverageStatus.ERROR and type(death).__name__ in status["kms"].reason
    assert not inv.complete
    assert {f.status.value for f in evaluate(inv).findings if f.control_id.startswith("kms.")} == {"error"}


def test_a_write_attempt_still_stops_the_scan(access: AwsAccess) -> None:
    """The write guard's refusal is never turned into data: a scan that tried to write must not report."""

    def write(**_: Any) -> None:
        raise WriteAttempted("refusing to call kms:CreateKey: Assay only performs read operations")

    access.hooks.append(("after-call.kms.ListKeys", write))
    with pytest.raises(WriteAttempted):
        collect(access, regions=["us-east-1"], services=SERVICES)
