"""Cognito controls: pure functions over CognitoUserPool."""

from __future__ import annotations

from typing import Any

from assay.controls import cognito
from assay.models.findings import Status
from assay.models.resources.cognito_idp import CognitoPasswordPolicy, CognitoUserPool

STRONG = CognitoPasswordPolicy(minimum_length=12, require_uppercase=True, require_lowercase=True,
                               require_numbers=True, require_symbols=True)


def pool(**over: Any) -> CognitoUserPool:
    base: dict[str, Any] = dict(arn="arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_a", id="us-east-1_a",
                                account_id="123456789012", region="us-east-1", mfa_configuration="ON",
                                advanced_security_mode="ENFORCED", password_policy=STRONG)
    return CognitoUserPool(**{**base, **over})


def test_user_pool_mfa_required() -> None:
    assert cognito.user_pool_mfa_required(pool()).status is Status.PASS
    out = cognito.user_pool_mfa_required(pool(mfa_configuration="OPTIONAL"))
    assert out.status is Status.FAIL and out.message == "MFA is optional, not required"
    assert cognito.user_pool_mfa_required(pool(mfa_configuration=None)).status is Status.ERROR
    # every user pool signs users in: no not-applicable case


def test_user_pool_threat_protection_enforced() -> None:
    assert cognito.user_pool_threat_protection_enforced(pool()).status is Status.PASS
    assert cognito.user_pool_threat_protection_enforced(pool(advanced_security_mode="AUDIT")).status is Status.FAIL
    assert cognito.user_pool_threat_protection_enforced(pool(advanced_security_mode=None)).status is Status.ERROR


def test_user_pool_password_policy_strong() -> None:
    assert cognito.user_pool_password_policy_strong(pool()).status is Status.PASS
    weak = CognitoPasswordPolicy(minimum_length=8, require_lowercase=True, require_numbers=True)
    out = cognito.user_pool_password_policy_strong(pool(password_policy=weak))
    assert out.status is Status.FAIL
    assert out.message == "weak password policy: minimum length 8 < 12, no uppercase required, no symbols required"
    assert cognito.user_pool_password_policy_strong(pool(), min_length=16).status is Status.FAIL
    assert cognito.user_pool_password_policy_strong(pool(password_policy=None)).status is Status.ERROR
