"""Athena controls: pure functions over AthenaWorkGroup."""

from __future__ import annotations

from typing import Any

from assay.controls import athena
from assay.models.findings import Status
from assay.models.resources.athena import AthenaWorkGroup


def wg(**over: Any) -> AthenaWorkGroup:
    base: dict[str, Any] = dict(arn="arn:aws:athena:us-east-1:123456789012:workgroup/w", id="w",
                                account_id="123456789012", region="us-east-1", state="ENABLED",
                                publishes_metrics=True)
    return AthenaWorkGroup(**{**base, **over})


def test_workgroup_publishes_metrics() -> None:
    assert athena.workgroup_publishes_metrics(wg()).status is Status.PASS
    assert athena.workgroup_publishes_metrics(wg(publishes_metrics=False)).status is Status.FAIL
    assert athena.workgroup_publishes_metrics(wg(state="DISABLED", publishes_metrics=False)).status is Status.SKIP
    assert athena.workgroup_publishes_metrics(wg(publishes_metrics=None)).status is Status.ERROR
