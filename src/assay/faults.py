"""Fault injection through botocore event hooks: works against moto's server, the Stubber and AWS.

    access.hooks.append(("before-call", deny({"kms:GetKeyRotationStatus"})))

A hook answers a matching call with an AWS-shaped error instead of sending it, so collectors see
exactly what AWS would have returned.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from botocore.awsrequest import AWSResponse

from assay.collect.calls import action_name

Hook = Callable[..., Any]


def action_of(model: Any) -> str:
    return action_name(model.service_model, model.name)


def error_response(code: str, message: str, status: int = 403) -> tuple[AWSResponse, dict[str, Any]]:
    parsed = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status, "RetryAttempts": 0},
    }
    return AWSResponse("https://fault.invalid/", status, {}, None), parsed


def deny(actions: Collection[str] | None = None, code: str = "AccessDenied", message: str | None = None,
         status: int = 403) -> Hook:
    """Answer every call whose IAM action is in `actions` (all calls if None) with `code`."""

    def hook(model: Any, **_: Any) -> Any:
        action = action_of(model)
        if actions is not None and action not in actions:
            return None
        text = message or f"User is not authorized to perform: {action}"
        return error_response(code, text, status)

    return hook
