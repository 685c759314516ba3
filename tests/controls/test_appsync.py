"""AppSync controls: pure functions over AppSyncGraphqlApi."""

from __future__ import annotations

from typing import Any

from assay.controls import appsync
from assay.models.findings import Status
from assay.models.resources.appsync import AppSyncGraphqlApi


def api(**over: Any) -> AppSyncGraphqlApi:
    base: dict[str, Any] = dict(arn="arn:aws:appsync:us-east-1:123456789012:apis/a1", id="a1",
                                account_id="123456789012", region="us-east-1", field_log_level="ERROR")
    return AppSyncGraphqlApi(**{**base, **over})


def test_field_logging_enabled() -> None:
    assert appsync.field_logging_enabled(api()).status is Status.PASS
    assert appsync.field_logging_enabled(api(field_log_level="ALL")).status is Status.PASS
    out = appsync.field_logging_enabled(api(field_log_level="NONE"))
    assert out.status is Status.FAIL and out.message == "field-level logging is off"
    # every GraphQL API can log: no not-applicable case; the listing is the only read (ERROR comes from it)
