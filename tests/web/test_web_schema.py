"""Schemathesis against the API's own OpenAPI document, signed in with a token: a bounded number of
generated requests per operation; no server error, and every response as the document says."""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

EXAMPLES = 12


def test_api_conforms_to_its_document(app: FastAPI, viewer_token: str) -> None:
    auth = {"Authorization": f"Bearer {viewer_token}"}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=auth)

        check()
