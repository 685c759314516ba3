"""SQS collector against moto's server (seeded with the demo's queues), and ERROR, never PASS or FAIL,
when a read is denied: for the region when the listing is, for each queue when its attributes are."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import sqs as sqs_estate
from assay.faults import deny
from assay.models.resources.sqs import SqsQueue
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1"]
CONTROLS = sorted(cid for cid in load_controls() if cid.startswith("sqs."))


def test_reads_queues(access: AwsAccess, seed: Any) -> None:
    sqs_estate.seed(seed, REGIONS)
    inv = scan(access, ["sqs"], regions=REGIONS)
    assert inv.complete
    queues = {q.name: q for q in inv.of(SqsQueue)}
    orders = queues["pass-orders"]
    assert orders.arn == "arn:aws:sqs:us-east-1:123456789012:pass-orders"
    assert (orders.sqs_managed_sse, orders.dead_letter_target, orders.max_receive_count) == (
        True, "arn:aws:sqs:us-east-1:123456789012:skip-orders-dlq", 5)
    assert orders.policy is not None and orders.policy["Statement"][0]["Sid"] == "OrderTopic"
    assert queues["skip-orders-dlq"].retention_seconds == 1209600
    legacy = queues["fail-legacy-import"]
    assert (legacy.sqs_managed_sse, legacy.dead_letter_target) == (False, "")
    assert inv.meta.api_calls["sqs:GetQueueAttributes"] == 3
    ev = evaluate(inv)
    assert {cid: by_name(ev, cid) for cid in CONTROLS} == {
        "sqs.queue_encrypted": {"pass-orders": "pass", "skip-orders-dlq": "pass", "fail-legacy-import": "fail"},
        "sqs.queue_has_dead_letter_queue": {"pass-orders": "pass", "skip-orders-dlq": "skip",
                                            "fail-legacy-import": "fail"},
        "sqs.queue_policy_not_public": {"pass-orders": "pass", "skip-orders-dlq": "pass",
                                        "fail-legacy-import": "fail"},
    }


@pytest.mark.parametrize("action", ["sqs:ListQueues", "sqs:GetQueueAttributes"])
def test_denied_read_is_error_never_pass_or_fail(access: AwsAccess, seed: Any, action: str) -> None:
    sqs_estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({action}, code="AccessDenied")))
    ev = evaluate(scan(access, ["sqs"], regions=REGIONS))
    for cid in CONTROLS:
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, (cid, by_name(ev, cid))
        assert all(action in f.message for f in found)
    if action == "sqs:GetQueueAttributes":  # one ERROR per queue, named
        assert sorted(by_name(ev, CONTROLS[0])) == ["fail-legacy-import", "pass-orders", "skip-orders-dlq"]
