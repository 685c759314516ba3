"""AWS Config: one record per scanned region with its customer-managed recorder and whether it records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.config import ConfigRecorder

DESCRIBE = "config:DescribeConfigurationRecorders"
STATUS = "config:DescribeConfigurationRecorderStatus"


def _customer(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The region's customer-managed recorder (at most one exists); service-linked ones name a servicePrincipal."""
    return next((r for r in items if not r.get("servicePrincipal")), None)


@collector(service="config", produces=[ConfigRecorder], permissions=[DESCRIBE, STATUS])
def collect_recorders(ctx: Ctx) -> Iterator[ConfigRecorder]:
    config = ctx.client("config")
    got = ctx.call(config, "describe_configuration_recorders")
    if got is None:
        return  # unknown, not "no recorder": the engine reports the region as ERROR
    recorder = _customer(got.get("ConfigurationRecorders") or [])
    base = {"account_id": ctx.account_id, "region": ctx.region}
    if recorder is None:
        yield ConfigRecorder(arn=ctx.arn("config", "configuration-recorder"), id=ctx.region, name=ctx.region, **base)
        return
    name = str(recorder.get("name", "default"))
    arn = str(recorder.get("arn") or ctx.arn("config", f"configuration-recorder/{name}"))
    group = recorder.get("recordingGroup") or {}
    listed = group.get("resourceTypes") or (group.get("exclusionByResourceTypes") or {}).get("resourceTypes") or []
    status = ctx.call(config, "describe_configuration_recorder_status", resource_arn=arn,
                      ConfigurationRecorderNames=[name])
    state = next((s for s in (status or {}).get("ConfigurationRecordersStatus") or [] if s.get("name") == name), None)
    yield ConfigRecorder(
        arn=arn, id=name, name=name, **base, recorder_name=name,
        all_supported=bool(group.get("allSupported")) if group else None,
        include_global=bool(group.get("includeGlobalResourceTypes")) if group else None,
        strategy=(group.get("recordingStrategy") or {}).get("useOnly"),
        resource_types=tuple(str(t) for t in listed),
        recording=None if state is None else bool(state.get("recording")),
        last_status=None if state is None else (str(state["lastStatus"]).upper() if state.get("lastStatus") else None),
        last_error=None if state is None else state.get("lastErrorCode"),
    )
