"""AppSync collector against moto's server, and ERROR when the listing is denied."""

from __future__ import annotations

from typing import Any

from assay.faults import deny
from assay.models.resources.appsync import AppSyncGraphqlApi
from tests.helpers import by_name, evaluate, findings_of, scan

CONTROL = "appsync.field_logging_enabled"


def _estate(seed: Any) -> None:
    appsync = seed("appsync")
    appsync.create_graphql_api(name="good", authenticationType="API_KEY",
                               logConfig={"fieldLogLevel": "ALL", "cloudWatchLogsRoleArn": "arn:aws:iam::1:role/l"})
    appsync.create_graphql_api(name="bad", authenticationType="API_KEY")


def test_collects_apis_and_evaluates(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["appsync"])
    assert inv.complete
    apis = {a.name: a for a in inv.of(AppSyncGraphqlApi)}
    assert (apis["good"].field_log_level, apis["good"].logs_role_arn) == ("ALL", "arn:aws:iam::1:role/l")
    assert apis["bad"].field_log_level == "NONE"
    assert by_name(evaluate(inv), CONTROL) == {"good": "pass", "bad": "fail"}


def test_denied_listing_is_error(access: Any, seed: Any) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({"appsync:ListGraphqlApis"}, code="AccessDeniedException")))
    found = findings_of(evaluate(scan(access, ["appsync"])), CONTROL)
    assert [f.status.value for f in found] == ["error"]
    assert "appsync:ListGraphqlApis" in found[0].message
