"""KMS controls: pure functions over KmsKey."""

from __future__ import annotations

from typing import Any

from assay.controls import kms
from assay.models.findings import Status
from assay.models.resources.kms import KmsKey


def key(**over: Any) -> KmsKey:
    base: dict[str, Any] = dict(
        arn="arn:aws:kms:us-east-1:123456789012:key/k1", id="k1", account_id="123456789012",
        region="us-east-1", manager="CUSTOMER", state="Enabled", spec="SYMMETRIC_DEFAULT",
        rotation_enabled=True, policy={"Statement": []},
    )
    return KmsKey(**{**base, **over})


def test_rotation_pass_fail_skip_error() -> None:
    assert kms.key_rotation_enabled(key()).status is Status.PASS
    assert kms.key_rotation_enabled(key(rotation_enabled=False)).status is Status.FAIL
    assert kms.key_rotation_enabled(key(manager="AWS")).status is Status.SKIP
    assert kms.key_rotation_enabled(key(spec="RSA_2048")).status is Status.SKIP
    assert kms.key_rotation_enabled(key(rotation_enabled=None)).status is Status.ERROR


def test_policy_public_without_condition_fails() -> None:
    public = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "kms:*", "Resource": "*"}]}
    scoped = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                             "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-123"}}}]}
    assert kms.key_policy_not_public(key(policy=public)).status is Status.FAIL
    assert kms.key_policy_not_public(key(policy=scoped)).status is Status.PASS
    assert kms.key_policy_not_public(key(manager="AWS")).status is Status.SKIP
    assert kms.key_policy_not_public(key(policy=None)).status is Status.ERROR


def test_pending_deletion() -> None:
    assert kms.key_not_pending_deletion(key()).status is Status.PASS
    assert kms.key_not_pending_deletion(key(state="PendingDeletion")).status is Status.FAIL
    assert kms.key_not_pending_deletion(key(manager="AWS")).status is Status.SKIP
