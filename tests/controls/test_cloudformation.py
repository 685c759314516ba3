"""CloudFormation controls: pure functions over CloudFormationStack records."""

from __future__ import annotations

from typing import Any

import pytest

from assay.controls.cloudformation import stacks_without_drift
from assay.models.findings import Status
from assay.models.resources.cloudformation import CloudFormationStack

ACCOUNT = "123456789012"


def stack(**over: Any) -> CloudFormationStack:
    arn = f"arn:aws:cloudformation:eu-west-1:{ACCOUNT}:stack/app/1"
    base: dict[str, Any] = dict(arn=arn, id=arn, name="app", account_id=ACCOUNT, region="eu-west-1",
                                status="UPDATE_COMPLETE", drift_status="IN_SYNC",
                                drift_checked_at="2025-05-30T10:00:00+00:00")
    return CloudFormationStack(**{**base, **over})


def test_in_sync_passes() -> None:
    assert stacks_without_drift(stack()) == (
        Status.PASS, "the stack matches its template (checked 2025-05-30T10:00:00+00:00)")


def test_drifted_fails() -> None:
    assert stacks_without_drift(stack(drift_status="DRIFTED")) == (
        Status.FAIL, "the stack has drifted from its template (detected 2025-05-30T10:00:00+00:00)")


def test_never_checked_fails_saying_so() -> None:
    outcome = stacks_without_drift(stack(drift_status="NOT_CHECKED", drift_checked_at=""))
    assert outcome == (Status.FAIL,
                       "drift detection has never run on the stack, so nothing shows it matches its template")


def test_failed_detection_fails() -> None:
    assert stacks_without_drift(stack(drift_status="UNKNOWN")).status is Status.FAIL


@pytest.mark.parametrize("status", ["REVIEW_IN_PROGRESS", "ROLLBACK_COMPLETE"])
def test_stacks_without_resources_are_skipped(status: str) -> None:
    assert stacks_without_drift(stack(status=status, drift_status="NOT_CHECKED")).status is Status.SKIP


def test_missing_drift_information_is_error() -> None:
    assert stacks_without_drift(stack(drift_status=None)) == (
        Status.ERROR, "AWS returned no drift information for the stack")
