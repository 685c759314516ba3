"""Kinesis collector against moto's server, and ERROR (never PASS or FAIL) when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.aws.kinesis import collect_streams
from assay.faults import deny
from assay.models.resources.kinesis import KinesisStream
from tests.helpers import by_name, evaluate, findings_of, scan

PERMISSIONS = ["kinesis:ListStreams", "kinesis:DescribeStreamSummary"]
CONTROLS = {"kinesis.stream_encrypted": PERMISSIONS, "kinesis.stream_retention_sufficient": PERMISSIONS}


def _estate(seed: Any) -> None:
    kinesis = seed("kinesis")
    kinesis.create_stream(StreamName="good", ShardCount=1)
    kinesis.start_stream_encryption(StreamName="good", EncryptionType="KMS", KeyId="alias/aws/kinesis")
    kinesis.increase_stream_retention_period(StreamName="good", RetentionPeriodHours=200)
    kinesis.create_stream(StreamName="bad", ShardCount=1)


def test_collects_streams(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["kinesis"])
    assert inv.complete
    streams = {s.name: s for s in inv.of(KinesisStream)}
    assert (streams["good"].encryption_type, streams["good"].kms_key_id, streams["good"].retention_hours) == (
        "KMS", "alias/aws/kinesis", 200)
    assert (streams["bad"].encryption_type, streams["bad"].retention_hours) == ("NONE", 24)
    assert streams["good"].arn == "arn:aws:kinesis:us-east-1:123456789012:stream/good"


def test_controls_reach_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["kinesis"]))
    assert by_name(ev, "kinesis.stream_encrypted") == {"good": "pass", "bad": "fail"}
    assert by_name(ev, "kinesis.stream_retention_sufficient") == {"good": "pass", "bad": "fail"}


def test_declared_permissions_are_the_calls() -> None:
    from assay.collect.registry import load_collectors

    spec = next(s for s in load_collectors().values() if s.func is collect_streams)
    assert sorted(spec.permissions) == sorted(PERMISSIONS)


@pytest.mark.parametrize("action", PERMISSIONS)
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["kinesis"]))
    for cid, needs in CONTROLS.items():
        if action in needs:
            found = findings_of(ev, cid)
            assert found and {f.status.value for f in found} == {"error"}, cid
            assert all(action in f.message for f in found)
