"""Secrets Manager collector against moto's server: metadata from one listing per region (never a secret
value), and ERROR (never PASS or FAIL) when the listing is denied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from assay.collect.session import AwsAccess
from assay.demo.estate import secretsmanager as estate
from assay.faults import deny
from assay.models.resources.secretsmanager import Secret
from tests.helpers import by_name, evaluate, findings_of, scan

WAREHOUSE, PARTNER = "pass-northwind-warehouse-db", "fail-northwind-partner-api-key"
CONTROLS = ["secretsmanager.secret_rotation_enabled", "secretsmanager.secret_rotated_recently",
            "secretsmanager.secret_in_use"]


def test_collects_secret_metadata_and_evaluates(access: AwsAccess, seed: Any) -> None:
    estate.seed(seed, ["us-east-1"])
    inv = scan(access, ["secretsmanager"])
    assert inv.complete and not inv.errors
    # no per-secret call, no value read (the other calls are the scan's planning: identity and regions)
    assert {op for op in inv.meta.api_calls if op.startswith("secretsmanager:")} == {"secretsmanager:ListSecrets"}
    secrets = {s.name: s for s in inv.of(Secret)}
    warehouse, partner = secrets[WAREHOUSE], secrets[PARTNER]
    assert (warehouse.rotation_enabled, warehouse.rotation_days) == (True, 30)
    assert warehouse.last_rotated is not None and warehouse.created is not None
    assert (partner.rotation_enabled, partner.rotation_days, partner.last_rotated) == (False, None, None)
    ev = evaluate(inv)
    assert by_name(ev, "secretsmanager.secret_rotation_enabled") == {WAREHOUSE: "pass", PARTNER: "fail"}
    assert by_name(ev, "secretsmanager.secret_rotated_recently") == {WAREHOUSE: "pass", PARTNER: "pass"}
    assert by_name(ev, "secretsmanager.secret_in_use") == {WAREHOUSE: "skip", PARTNER: "skip"}


def test_ages_are_judged_against_collection_time(access: AwsAccess, seed: Any) -> None:
    """moto cannot age a secret; AWS reports old dates. Age the listing's dates after the call."""
    estate.seed(seed, ["us-east-1"])
    old = datetime.now(UTC) - timedelta(days=200)

    def age(parsed: dict[str, Any], **_: Any) -> None:
        for s in parsed["SecretList"]:
            s["CreatedDate"] = old
            if s["Name"] == WAREHOUSE:
                s["LastRotatedDate"] = old + timedelta(days=100)
                s["LastAccessedDate"] = old + timedelta(days=190)

    access.hooks.append(("after-call.secretsmanager.ListSecrets", age))
    ev = evaluate(scan(access, ["secretsmanager"]))
    assert by_name(ev, "secretsmanager.secret_rotated_recently") == {WAREHOUSE: "fail", PARTNER: "fail"}
    assert by_name(ev, "secretsmanager.secret_in_use") == {WAREHOUSE: "pass", PARTNER: "fail"}
    messages = {f.resource_name: f.message for f in findings_of(ev, "secretsmanager.secret_rotated_recently")}
    assert messages[WAREHOUSE] == "last rotated 100 days ago, beyond its rotation period of 30 days"


@pytest.mark.parametrize("control_id", CONTROLS)
def test_denied_listing_is_error(access: AwsAccess, seed: Any, control_id: str) -> None:
    estate.seed(seed, ["us-east-1"])
    access.hooks.append(("before-call", deny({"secretsmanager:ListSecrets"}, code="AccessDeniedException")))
    found = findings_of(evaluate(scan(access, ["secretsmanager"])), control_id)
    assert [f.status.value for f in found] == ["error"]
    assert "secretsmanager:ListSecrets" in found[0].message
