"""Athena collector against moto's server, and ERROR (never PASS or FAIL) when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.athena import AthenaWorkGroup
from tests.helpers import by_name, evaluate, findings_of, scan

CONTROL = "athena.workgroup_publishes_metrics"


def _estate(seed: Any) -> None:
    athena = seed("athena")
    athena.create_work_group(Name="good", Configuration={"PublishCloudWatchMetricsEnabled": True})
    athena.create_work_group(Name="bad", Configuration={"PublishCloudWatchMetricsEnabled": False})


def test_collects_workgroups_and_evaluates(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["athena"])
    assert inv.complete
    groups = {w.name: w for w in inv.of(AthenaWorkGroup)}
    assert groups["good"].publishes_metrics is True and groups["good"].state == "ENABLED"
    assert groups["good"].arn == "arn:aws:athena:us-east-1:123456789012:workgroup/good"
    verdicts = by_name(evaluate(inv), CONTROL)
    assert (verdicts["good"], verdicts["bad"]) == ("pass", "fail")  # moto also creates "primary"


@pytest.mark.parametrize("action", ["athena:ListWorkGroups", "athena:GetWorkGroup"])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    found = findings_of(evaluate(scan(access, ["athena"])), CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(action in f.message for f in found)
