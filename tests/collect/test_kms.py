"""KMS collector against moto's server, and ERROR (never PASS) when its reads are denied."""

from __future__ import annotations

import json

from assay.faults import deny
from tests.helpers import by_name, evaluate, scan


def _estate(seed) -> None:  # type: ignore[no-untyped-def]
    kms = seed("kms")
    good = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=good)
    kms.create_alias(AliasName="alias/pass-key", TargetKeyId=good)
    bad = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/fail-key", TargetKeyId=bad)
    public = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}
    pub = kms.create_key(Policy=json.dumps(public))["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/public-key", TargetKeyId=pub)


def test_collects_keys_and_evaluates(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    ev = evaluate(scan(access, ["kms"]))
    assert by_name(ev, "kms.key_rotation_enabled") == {
        "alias/pass-key": "pass", "alias/fail-key": "fail", "alias/public-key": "fail"}
    assert by_name(ev, "kms.key_policy_not_public")["alias/public-key"] == "fail"
    assert by_name(ev, "kms.key_policy_not_public")["alias/pass-key"] == "pass"
    assert ev.inventory.complete


def test_denied_rotation_status_is_error_not_pass(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    access.hooks.append(("before-call", deny({"kms:GetKeyRotationStatus"})))
    ev = evaluate(scan(access, ["kms"]))
    statuses = by_name(ev, "kms.key_rotation_enabled")
    assert set(statuses.values()) == {"error"}
    assert all("kms:GetKeyRotationStatus" in f.message for f in ev.findings
               if f.control_id == "kms.key_rotation_enabled")
    # a control that does not need the denied read is still evaluated
    assert by_name(ev, "kms.key_policy_not_public")["alias/pass-key"] == "pass"
    assert not ev.inventory.complete


def test_denied_list_is_error_for_the_region(access, seed) -> None:  # type: ignore[no-untyped-def]
    _estate(seed)
    access.hooks.append(("before-call", deny({"kms:ListKeys"})))
    ev = evaluate(scan(access, ["kms"]))
    found = [f for f in ev.findings if f.control_id == "kms.key_rotation_enabled"]
    assert [f.status.value for f in found] == ["error"]
    assert "kms:ListKeys" in found[0].message
