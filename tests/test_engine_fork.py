"""Evaluation in several processes gives exactly the findings of one process, even when a child fails.

The demo estate is scanned once (two accounts, failed reads injected so that errored resources,
lost resources and failed listings are all present), then judged with 1, 2 and 3 processes.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from assay import engine_fork
from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.demo.accounts import demo_accesses
from assay.engine import Evaluation, evaluate
from assay.faults import deny
from assay.models.finding_rows import Row
from assay.models.inventory import Inventory

SERVICES = ["ec2", "iam", "kms", "logs", "s3"]
DENIED = {"kms:GetKeyRotationStatus", "ec2:DescribeVolumes", "s3:GetBucketVersioning"}


@pytest.fixture(scope="module")
def inventory(demo_endpoint: str) -> Inventory:
    accesses: list[AwsAccess] = demo_accesses(demo_endpoint, ["us-east-1", "eu-west-1"])
    for access in accesses:
        access.hooks.append(("before-call", deny(DENIED)))
    inv = collect(accesses, regions=["us-east-1", "eu-west-1"], services=SERVICES, max_workers=4)
    assert inv.errors and len(inv.account_ids()) == 2
    return inv


def dumped(ev: Evaluation) -> tuple[list[dict[str, Any]], list[tuple[str, str, dict[str, int]]]]:
    return ([f.model_dump(mode="json") for f in ev.findings],
            [(c.id, c.status, c.counts) for c in ev.criteria])


@pytest.mark.parametrize("workers", [2, 3])
def test_several_processes_give_the_same_findings(inventory: Inventory, workers: int) -> None:
    alone = dumped(evaluate(inventory, workers=1))
    assert {f["status"] for f in alone[0]} == {"pass", "fail", "error", "skip"}
    assert dumped(evaluate(inventory, workers=workers)) == alone


def test_findings_stay_sorted_with_lost_resources_and_failed_listings(inventory: Inventory) -> None:
    findings = evaluate(inventory, workers=2).findings
    assert any(f.resource_arn.endswith(":*") for f in findings)  # a failed listing is reported as such
    keys = [(f.control_id, f.account_id, f.region, f.resource_arn, f.id) for f in findings]
    assert keys == sorted(keys)


def test_a_child_that_dies_is_replaced_by_this_process(inventory: Inventory, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = engine_fork._encode

    def dying(rows: list[Row], by_identity: dict[int, Any]) -> Any:
        if os.getpid() != parent:
            os._exit(9)  # as a SIGKILLed or out-of-memory child would: nothing sent
        return real(rows, by_identity)

    monkeypatch.setattr(engine_fork, "_encode", dying)
    assert dumped(evaluate(inventory, workers=2)) == dumped(evaluate(inventory, workers=1))


def test_a_child_that_raises_is_replaced_by_this_process(inventory: Inventory,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(rows: list[Row], by_identity: dict[int, Any]) -> Any:
        raise MemoryError("no room")

    monkeypatch.setattr(engine_fork, "_encode", failing)
    assert dumped(evaluate(inventory, workers=3)) == dumped(evaluate(inventory, workers=1))


def test_a_small_inventory_is_judged_in_one_process(inventory: Inventory, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork(*_: Any) -> Any:
        raise AssertionError("forked for a small inventory")

    monkeypatch.setattr(engine_fork, "_split", no_fork)
    assert evaluate(inventory).findings  # workers=None: the default, one process below MIN_WEIGHT
    with pytest.raises(AssertionError, match="forked"):
        evaluate(inventory, workers=2)  # the guard itself works


def test_groups_are_balanced_and_cover_every_control() -> None:
    weights = [1000, 10, 500, 499, 3, 7, 250, 250]
    groups = engine_fork._split(weights, 2)
    assert sorted(n for g in groups for n in g) == list(range(len(weights)))
    loads = [sum(weights[n] for n in g) for g in groups]
    assert max(loads) - min(loads) <= 300
