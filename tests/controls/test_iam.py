"""IAM controls: pure functions over IAM resources built here, no moto."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from assay.controls import iam
from assay.models.base import GLOBAL, Account
from assay.models.findings import Status
from assay.models.inventory import Inventory, ScanMeta
from assay.models.resources.iam import (
    AccessKeySlot,
    IamGroup,
    IamPasswordPolicy,
    IamPolicy,
    IamRole,
    IamRoot,
    IamUser,
)

ACCT = "123456789012"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
ADMIN = {"Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]}
SCOPED = {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]}


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def key(slot: int = 1, active: bool = True, rotated: int | None = 10, used: int | None = 1) -> AccessKeySlot:
    return AccessKeySlot(slot=slot, active=active, last_rotated=None if rotated is None else ago(rotated),
                         last_used=None if used is None else ago(used))


def user(**over: Any) -> IamUser:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:iam::{ACCT}:user/alice", id="AIDA1", name="alice", account_id=ACCT, region=GLOBAL,
        created=ago(400), password_enabled=True, password_last_used=ago(3), password_last_changed=ago(60),
        mfa_active=True, access_keys=(), groups=("analysts",), attached_policies=(), inline_policies={},
    )
    return IamUser(**{**base, **over})


def root(**over: Any) -> IamRoot:
    base: dict[str, Any] = dict(arn=f"arn:aws:iam::{ACCT}:root", id=ACCT, name="root", account_id=ACCT,
                                region=GLOBAL, mfa_enabled=True, access_keys_present=False, virtual_mfa=False)
    return IamRoot(**{**base, **over})


def pwpolicy(**over: Any) -> IamPasswordPolicy:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:iam::{ACCT}:account-password-policy", id="pp", account_id=ACCT, region=GLOBAL, exists=True,
        minimum_length=14, require_uppercase=True, require_lowercase=True, require_numbers=True,
        require_symbols=True, max_age_days=90, reuse_prevention=24,
    )
    return IamPasswordPolicy(**{**base, **over})


# -- MFA ---------------------------------------------------------------------------------------------

def test_console_users_have_mfa() -> None:
    assert iam.console_users_have_mfa(user()).status is Status.PASS
    failed = iam.console_users_have_mfa(user(mfa_active=False))
    assert failed.status is Status.FAIL and "alice" in failed.message
    assert iam.console_users_have_mfa(user(password_enabled=False, mfa_active=False)).status is Status.SKIP
    assert iam.console_users_have_mfa(user(password_enabled=None)).status is Status.ERROR
    assert iam.console_users_have_mfa(user(mfa_active=None)).status is Status.ERROR


# -- root: no natural "not applicable" case, so these check Error instead -------------------------

def test_root_mfa_enabled() -> None:
    assert iam.root_mfa_enabled(root()).status is Status.PASS
    assert iam.root_mfa_enabled(root(mfa_enabled=False)).status is Status.FAIL
    assert iam.root_mfa_enabled(root(mfa_enabled=None)).status is Status.ERROR


def test_root_hardware_mfa() -> None:
    assert iam.root_hardware_mfa(root()).status is Status.PASS
    virtual = iam.root_hardware_mfa(root(virtual_mfa=True))
    assert virtual.status is Status.FAIL and "virtual" in virtual.message
    assert iam.root_hardware_mfa(root(mfa_enabled=False, virtual_mfa=False)).status is Status.FAIL
    assert iam.root_hardware_mfa(root(virtual_mfa=None)).status is Status.ERROR
    assert iam.root_hardware_mfa(root(mfa_enabled=None)).status is Status.ERROR
    # no MFA at all is a failure whatever the device listing says
    assert iam.root_hardware_mfa(root(mfa_enabled=False, virtual_mfa=None)).status is Status.FAIL


def test_root_no_access_keys() -> None:
    assert iam.root_no_access_keys(root()).status is Status.PASS
    failed = iam.root_no_access_keys(root(access_keys_present=True, access_keys=(key(2),)))
    assert failed.status is Status.FAIL and "key 2" in failed.message
    assert iam.root_no_access_keys(root(access_keys_present=True)).status is Status.FAIL
    assert iam.root_no_access_keys(root(access_keys_present=None)).status is Status.ERROR


# -- password policy ---------------------------------------------------------------------------------

def test_password_policy_strong() -> None:
    assert iam.password_policy_strong(pwpolicy()).status is Status.PASS
    assert iam.password_policy_strong(pwpolicy(exists=False)).status is Status.FAIL
    assert iam.password_policy_strong(pwpolicy(exists=None)).status is Status.ERROR
    weak = iam.password_policy_strong(pwpolicy(minimum_length=8, require_symbols=False, max_age_days=None,
                                               reuse_prevention=None))
    assert weak.status is Status.FAIL
    for gap in ("minimum length 8 < 14", "symbols not required", "never expires", "reuse prevention off"):
        assert gap in weak.message


@pytest.mark.parametrize("over", [
    {"minimum_length": 13}, {"reuse_prevention": 23}, {"max_age_days": 91}, {"require_uppercase": False},
    {"require_lowercase": False}, {"require_numbers": False}, {"require_symbols": False},
])
def test_password_policy_each_requirement_counts(over: dict[str, Any]) -> None:
    assert iam.password_policy_strong(pwpolicy(**over)).status is Status.FAIL


def test_password_policy_parameters() -> None:
    relaxed = pwpolicy(minimum_length=12, max_age_days=None)
    assert iam.password_policy_strong(relaxed).status is Status.FAIL
    assert iam.password_policy_strong(relaxed, min_length=12, max_age_days=0).status is Status.PASS


# -- credential hygiene ------------------------------------------------------------------------------

def test_unused_credentials_pass_fail_skip_error() -> None:
    fresh = user(access_keys=(key(used=2),))
    assert iam.unused_credentials_disabled(fresh, NOW).status is Status.PASS
    idle_pw = iam.unused_credentials_disabled(user(password_last_used=ago(46)), NOW)
    assert idle_pw.status is Status.FAIL and "console password last used 46 days ago" in idle_pw.message
    idle_key = iam.unused_credentials_disabled(user(access_keys=(key(2, rotated=300, used=100),)), NOW)
    assert idle_key.status is Status.FAIL and "access key 2 last used 100 days ago" in idle_key.message
    none = user(password_enabled=False, access_keys=(key(active=False, rotated=900, used=None),))
    assert iam.unused_credentials_disabled(none, NOW).status is Status.SKIP
    assert iam.unused_credentials_disabled(user(password_enabled=None), NOW).status is Status.ERROR
    assert iam.unused_credentials_disabled(user(access_keys=None), NOW).status is Status.ERROR


def test_never_used_credentials_count_from_creation() -> None:
    new_pw = user(password_last_used=None, password_last_changed=ago(10))
    assert iam.unused_credentials_disabled(new_pw, NOW).status is Status.PASS
    old_pw = iam.unused_credentials_disabled(user(password_last_used=None, password_last_changed=ago(50)), NOW)
    assert old_pw.status is Status.FAIL and "never used, set 50 days ago" in old_pw.message
    old_key = iam.unused_credentials_disabled(user(access_keys=(key(rotated=60, used=None),)), NOW)
    assert old_key.status is Status.FAIL and "access key 1 never used, created 60 days ago" in old_key.message
    assert iam.unused_credentials_disabled(user(access_keys=(key(rotated=40, used=None),)), NOW).status is Status.PASS
    # the threshold is a parameter
    assert iam.unused_credentials_disabled(user(password_last_used=ago(60)), NOW,
                                           max_unused_days=90).status is Status.PASS


def test_unused_credentials_unknown_dates_are_error_not_pass() -> None:
    undated = user(password_last_used=None, password_last_changed=None, created=None)
    assert iam.unused_credentials_disabled(undated, NOW).status is Status.ERROR


def test_access_keys_rotated() -> None:
    assert iam.access_keys_rotated(user(access_keys=(key(rotated=90),)), NOW).status is Status.PASS
    old = iam.access_keys_rotated(user(access_keys=(key(1, rotated=10), key(2, rotated=120))), NOW)
    assert old.status is Status.FAIL and "access key 2 is 120 days old" in old.message
    inactive_old = user(access_keys=(key(active=False, rotated=500),))
    assert iam.access_keys_rotated(inactive_old, NOW).status is Status.SKIP
    assert iam.access_keys_rotated(user(access_keys=()), NOW).status is Status.SKIP
    assert iam.access_keys_rotated(user(access_keys=None), NOW).status is Status.ERROR
    assert iam.access_keys_rotated(user(access_keys=(key(rotated=None),)), NOW).status is Status.ERROR
    assert iam.access_keys_rotated(user(access_keys=(key(rotated=120),)), NOW,
                                   max_age_days=180).status is Status.PASS


# -- how permissions are granted -------------------------------------------------------------------

def test_users_no_direct_policies() -> None:
    assert iam.users_no_direct_policies(user()).status is Status.PASS
    attached = iam.users_no_direct_policies(user(attached_policies=(f"arn:aws:iam::{ACCT}:policy/reports",)))
    assert attached.status is Status.FAIL and "attached reports" in attached.message
    inline = iam.users_no_direct_policies(user(inline_policies={"legacy": SCOPED}))
    assert inline.status is Status.FAIL and "inline legacy" in inline.message
    assert iam.users_no_direct_policies(user(attached_policies=None)).status is Status.ERROR
    assert iam.users_no_direct_policies(user(inline_policies=None)).status is Status.ERROR


def test_full_admin_statements() -> None:
    assert iam.full_admin_statements(ADMIN) == ["All"]
    listed = {"Statement": {"Effect": "Allow", "Action": ["s3:*", "*:*"], "Resource": ["*"]}}
    assert iam.full_admin_statements(listed) == ["statement 1"]
    assert iam.full_admin_statements({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}) == []
    assert iam.full_admin_statements({"Statement": [{"Effect": "Allow", "Action": "*",
                                                     "Resource": "arn:aws:s3:::b/*"}]}) == []
    assert iam.full_admin_statements(SCOPED) == []


def inventory(*resources: Any) -> Inventory:
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW)
    return Inventory(meta, [], [], [], list(resources), [])


def policy(name: str, doc: dict[str, Any] | None, acct: str = ACCT) -> IamPolicy:
    return IamPolicy(arn=f"arn:aws:iam::{acct}:policy/{name}", id=name, name=name, account_id=acct,
                     region=GLOBAL, document=doc, attachment_count=1)


def role(name: str, inline: dict[str, Any], path: str = "/") -> IamRole:
    return IamRole(arn=f"arn:aws:iam::{ACCT}:role/{name}", id=name, name=name, account_id=ACCT, region=GLOBAL,
                   path=path, inline_policies=inline)


ACCOUNT = Account(arn=f"arn:aws:iam::{ACCT}:root", id=ACCT, account_id=ACCT, region=GLOBAL)


def test_no_full_admin_policies() -> None:
    clean = inventory(policy("reports", SCOPED), role("pipeline", {"s3": SCOPED}), user())
    assert iam.no_full_admin_policies(ACCOUNT, clean).status is Status.PASS
    group = IamGroup(arn=f"arn:aws:iam::{ACCT}:group/ops", id="g", name="ops", account_id=ACCT, region=GLOBAL,
                     inline_policies={"ops-all": ADMIN})
    dirty = inventory(policy("reports", SCOPED), policy("admin", ADMIN), role("deploy", {"ci": ADMIN}),
                      user(inline_policies={"mine": ADMIN}), group)
    out = iam.no_full_admin_policies(ACCOUNT, dirty)
    assert out.status is Status.FAIL
    for name in ("policy admin (All", "inline ci on role deploy", "inline mine on user alice",
                 "inline ops-all on group ops"):
        assert name in out.message
    assert "reports" not in out.message
    assert iam.no_full_admin_policies(ACCOUNT, inventory(user())).status is Status.SKIP
    assert iam.no_full_admin_policies(ACCOUNT, inventory(policy("x", None))).status is Status.ERROR


def test_no_full_admin_ignores_other_accounts_and_service_linked_roles() -> None:
    other = inventory(policy("admin", ADMIN, acct="999999999999"),
                      role("AWSServiceRoleForX", {"svc": ADMIN}, path="/aws-service-role/x.amazonaws.com/"))
    assert iam.no_full_admin_policies(ACCOUNT, other).status is Status.SKIP


# -- root use and support access -----------------------------------------------------------------

def test_root_not_used_recently() -> None:
    quiet = root(in_report=True, password_last_used=ago(200), access_keys=())
    assert iam.root_not_used_recently(quiet, NOW) == (
        Status.PASS, "root user not used in the last 90 days; last used 200 days ago")
    never = root(in_report=True, access_keys=())
    assert iam.root_not_used_recently(never, NOW).message.endswith("no recorded use")
    signed_in = root(in_report=True, password_last_used=ago(5), access_keys=(key(used=40), key(2, used=300)))
    out = iam.root_not_used_recently(signed_in, NOW)
    assert out == (Status.FAIL, "root user signed in with its password 5 days ago; used access key 1 40 days ago "
                                "(within 90 days)")
    assert iam.root_not_used_recently(signed_in, NOW, quiet_days=3).status is Status.PASS


def test_root_not_used_recently_without_report_row_is_error_never_skip() -> None:
    for r in (root(), root(in_report=True, access_keys=None)):
        assert iam.root_not_used_recently(r, NOW).status is Status.ERROR


SUPPORT = "arn:aws:iam::aws:policy/AWSSupportAccess"


def test_support_role_exists() -> None:
    desk = IamRole(arn=f"arn:aws:iam::{ACCT}:role/support-desk", id="r", name="support-desk", account_id=ACCT,
                   region=GLOBAL, attached_policies=(SUPPORT,))
    assert iam.support_role_exists(ACCOUNT, inventory(desk, user())) == (
        Status.PASS, "AWSSupportAccess is attached to role support-desk")
    by_user = iam.support_role_exists(ACCOUNT, inventory(user(attached_policies=(SUPPORT,))))
    assert by_user == (Status.PASS, "AWSSupportAccess is attached to user alice")
    out = iam.support_role_exists(ACCOUNT, inventory(role("pipeline", {}), user()))
    assert out.status is Status.FAIL and "AWSSupportAccess" in out.message
    elsewhere = IamRole(arn="arn:aws:iam::999999999999:role/desk", id="r", name="desk", account_id="999999999999",
                        region=GLOBAL, attached_policies=(SUPPORT,))
    assert iam.support_role_exists(ACCOUNT, inventory(elsewhere)).status is Status.FAIL
    assert iam.support_role_exists(ACCOUNT, inventory(user(attached_policies=None))).status is Status.ERROR
