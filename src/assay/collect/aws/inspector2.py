"""Amazon Inspector: one record per region with the account's scan status for each resource type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.inspector2 import InspectorAccountStatus

STATUS = "inspector2:BatchGetAccountStatus"


def _states(resource_state: dict[str, Any]) -> dict[str, str]:
    return {kind: str((value or {}).get("status", "")) for kind, value in resource_state.items()}


@collector(service="inspector2", produces=[InspectorAccountStatus], permissions=[STATUS])
def collect_account_status(ctx: Ctx) -> Iterator[InspectorAccountStatus]:
    inspector = ctx.client("inspector2")
    answer = ctx.call(inspector, "batch_get_account_status", accountIds=[ctx.account_id])
    if answer is None:
        return  # unknown: the engine reports the region as ERROR
    base = {"arn": ctx.arn("inspector2", "account-status"), "id": ctx.region, "name": ctx.region,
            "account_id": ctx.account_id, "region": ctx.region}
    ours = [a for a in answer.get("accounts") or [] if a.get("accountId") == ctx.account_id]
    failed = [a for a in answer.get("failedAccounts") or [] if a.get("accountId") == ctx.account_id]
    if ours:
        yield InspectorAccountStatus(**base, state=str((ours[0].get("state") or {}).get("status", "")),
                                     resource_states=_states(ours[0].get("resourceState") or {}))
    elif failed:
        f = failed[0]
        yield InspectorAccountStatus(**base, failure=f"{f.get('errorCode', '')}: {f.get('errorMessage', '')}")
    else:  # AWS always reports the caller's own account; an answer without it says nothing
        yield InspectorAccountStatus(**base, failure="the account is missing from Inspector's answer")
