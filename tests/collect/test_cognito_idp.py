"""Cognito collector against moto's server, and ERROR when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.cognito_idp import CognitoUserPool
from tests.helpers import by_name, evaluate, findings_of, scan

CONTROLS = ["cognito.user_pool_mfa_required", "cognito.user_pool_threat_protection_enforced",
            "cognito.user_pool_password_policy_strong"]


def _estate(seed: Any) -> None:
    idp = seed("cognito-idp")
    idp.create_user_pool(PoolName="good", MfaConfiguration="ON", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"},
                         Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireUppercase": True,
                                                      "RequireLowercase": True, "RequireNumbers": True,
                                                      "RequireSymbols": True}})
    idp.create_user_pool(PoolName="bad")


def test_collects_pools(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["cognito-idp"])
    assert inv.complete
    pools = {p.name: p for p in inv.of(CognitoUserPool)}
    good, bad = pools["good"], pools["bad"]
    assert (good.mfa_configuration, good.advanced_security_mode) == ("ON", "ENFORCED")
    assert good.password_policy is not None and good.password_policy.minimum_length == 12
    assert (bad.mfa_configuration, bad.advanced_security_mode) == ("OFF", "OFF")
    assert good.arn.startswith("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_")


def test_controls_reach_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["cognito-idp"]))
    for cid in CONTROLS:
        assert by_name(ev, cid) == {"good": "pass", "bad": "fail"}, cid


@pytest.mark.parametrize("action", ["cognito-idp:ListUserPools", "cognito-idp:DescribeUserPool"])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["cognito-idp"]))
    for cid in CONTROLS:
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, cid
        assert all(action in f.message for f in found)
