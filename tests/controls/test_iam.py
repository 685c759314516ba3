"""IAM controls: pure functions over IAM resources built here, no moto."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from assay.controls import iam, iam_access, iam_credentials, iam_hygiene, iam_privileges
from assay.models.base import GLOBAL, Account
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.iam import (
    AccessKeySlot,
    IamGroup,
    IamPasswordPolicy,
    IamPolicy,
    IamRole,
    IamRoot,
    IamUser,
)
from assay.models.resources.iam_certificates import IamServerCertificate

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


# -- who holds powerful permissions (assay.controls.iam_privileges) --------------------------------

ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
CLOUDSHELL = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"


def attached_role(name: str, *arns: str, inline: dict[str, Any] | None = None, path: str = "/") -> IamRole:
    return IamRole(arn=f"arn:aws:iam::{ACCT}:role/{name}", id=name, name=name, account_id=ACCT, region=GLOBAL,
                   path=path, attached_policies=arns, inline_policies=inline or {})


def group(name: str, *arns: str, inline: dict[str, Any] | None = None) -> IamGroup:
    return IamGroup(arn=f"arn:aws:iam::{ACCT}:group/{name}", id=name, name=name, account_id=ACCT, region=GLOBAL,
                    attached_policies=arns, inline_policies=inline or {})


def allow(*actions: str, resource: str = "*") -> dict[str, Any]:
    return {"Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": resource}]}


def test_action_matching_follows_iam_globs() -> None:
    assert iam_access.action_matches("iam:*", "iam:PassRole")
    assert iam_access.action_matches("IAM:pass*", "iam:PassRole")
    assert iam_access.action_matches("iam:Put?serPolicy", "iam:PutUserPolicy")
    assert not iam_access.action_matches("iam:Get*", "iam:PassRole")
    assert not iam_access.action_matches("s3:[ab]*", "s3:aGet")  # brackets are literal in IAM
    not_iam = {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}
    assert iam_access.allowed([not_iam], ["iam:PassRole", "ec2:RunInstances"]) == {"ec2:RunInstances"}
    deny = {"Statement": [{"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}]}
    assert iam_access.allowed([allow("*"), deny], ["ec2:RunInstances", "s3:GetObject"]) == {"s3:GetObject"}
    scoped_deny = {"Statement": [{"Effect": "Deny", "Action": "ec2:*", "Resource": "*",
                                  "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}
    assert iam_access.allowed([allow("ec2:*"), scoped_deny], ["ec2:RunInstances"]) == {"ec2:RunInstances"}


def test_admin_policy_only_on_approved_roles() -> None:
    f = iam_privileges.admin_policy_only_on_approved_roles
    assert f(ACCOUNT, inventory(user(), attached_role("app"))) == (
        Status.PASS, "AdministratorAccess is attached to no user, group or role")
    approved = inventory(user(), attached_role("OrganizationAccountAccessRole", ADMIN_ARN),
                         attached_role("AWSReservedSSO_AdministratorAccess_0123abcd", ADMIN_ARN))
    out = f(ACCOUNT, approved)
    assert out.status is Status.PASS and "OrganizationAccountAccessRole" in out.message
    wrong = inventory(user(attached_policies=(ADMIN_ARN,)), group("ops", ADMIN_ARN),
                      attached_role("ci-deploy", ADMIN_ARN), attached_role("OrganizationAccountAccessRole", ADMIN_ARN))
    out = f(ACCOUNT, wrong)
    assert out.status is Status.FAIL
    assert "user alice, group ops, role ci-deploy" in out.message and "approved: OrganizationAccountAccessRole" \
        in out.message
    assert f(ACCOUNT, wrong, approved_roles=["ci-*", "Organization*"]).status is Status.FAIL  # user, group remain
    assert f(ACCOUNT, inventory(attached_role("ci-deploy", ADMIN_ARN)), approved_roles=["ci-*"]).status is Status.PASS
    assert f(ACCOUNT, inventory(user(attached_policies=None))).status is Status.ERROR


def test_broad_managed_policies_not_attached() -> None:
    f = iam_privileges.broad_managed_policies_not_attached
    assert f(ACCOUNT, inventory(user(), attached_role("app"))).status is Status.PASS
    out = f(ACCOUNT, inventory(group("support", CLOUDSHELL), user()))
    assert out.status is Status.FAIL and "AWSCloudShellFullAccess" in out.message and "group support" in out.message
    assert f(ACCOUNT, inventory(group("support", CLOUDSHELL)), policies={"IAMFullAccess": "x"}).status is Status.PASS
    assert f(ACCOUNT, inventory(user(attached_policies=None))).status is Status.ERROR


def test_no_privilege_escalation_paths() -> None:
    f = iam_privileges.no_privilege_escalation_paths
    clean = inventory(user(), group("analysts", inline={"read": SCOPED}), attached_role("app", inline={"s3": SCOPED}))
    assert f(ACCOUNT, clean).status is Status.PASS
    # a path through a group the user belongs to, one through a role's customer policy, one with a wildcard
    launcher = policy("launcher", allow("iam:PassRole", "ec2:RunInstances"))
    risky = inventory(user(), group("analysts", inline={"keys": allow("iam:CreateAccessKey")}), launcher,
                      attached_role("builder", launcher.arn),
                      attached_role("iam-helper", inline={"iam": allow("iam:Put*")}))
    out = f(ACCOUNT, risky)
    assert out.status is Status.FAIL
    assert "user alice: can escalate (iam:CreateAccessKey)" in out.message
    assert "role builder: can escalate (iam:PassRole + ec2:RunInstances)" in out.message
    assert "role iam-helper: can escalate (iam:PutUserPolicy, iam:PutGroupPolicy, iam:PutRolePolicy)" in out.message
    assert f(ACCOUNT, risky, exempt_principals=["alice", "builder", "iam-*"]).status is Status.PASS
    # half a path is no path: PassRole without anything to pass the role to
    assert f(ACCOUNT, inventory(attached_role("x", inline={"p": allow("iam:PassRole")}))).status is Status.PASS


def test_escalation_ignores_administrators_and_service_linked_roles() -> None:
    f = iam_privileges.no_privilege_escalation_paths
    admins = inventory(attached_role("admin", ADMIN_ARN), attached_role("root-ish", inline={"all": ADMIN}),
                       attached_role("AWSServiceRoleForX", inline={"iam": allow("iam:*")},
                                     path="/aws-service-role/x.amazonaws.com/"))
    out = f(ACCOUNT, admins)
    assert out.status is Status.PASS and "2 full administrator(s) not counted" in out.message
    assert f(ACCOUNT, inventory()).status is Status.SKIP
    # AWS-managed IAMFullAccess is known to grant iam:*
    assert f(ACCOUNT, inventory(attached_role("idm", "arn:aws:iam::aws:policy/IAMFullAccess"))).status is Status.FAIL


def test_escalation_unknown_is_error_never_pass() -> None:
    f = iam_privileges.no_privilege_escalation_paths
    assert f(ACCOUNT, inventory(user(attached_policies=None))).status is Status.ERROR
    gone = inventory(attached_role("app", f"arn:aws:iam::{ACCT}:policy/missing"))
    out = f(ACCOUNT, gone)
    assert out.status is Status.ERROR and "policy missing" in out.message
    assert f(ACCOUNT, inventory(user(groups=("nonexistent",)))).status is Status.ERROR
    # a proven path still fails even if another document is unreadable
    both = inventory(attached_role("app", f"arn:aws:iam::{ACCT}:policy/missing",
                                   inline={"k": allow("iam:CreateLoginProfile")}))
    assert f(ACCOUNT, both).status is Status.FAIL


def test_audit_logging_changes_limited_to_admins() -> None:
    f = iam_privileges.audit_logging_changes_limited_to_admins
    assert f(ACCOUNT, inventory(user(groups=()), attached_role("app", inline={"s3": SCOPED}))).status is Status.PASS
    power = inventory(attached_role("dev", "arn:aws:iam::aws:policy/PowerUserAccess"),
                      attached_role("ops", inline={"trail": allow("cloudtrail:*", resource="arn:aws:cloudtrail:*")}))
    out = f(ACCOUNT, power)
    assert out.status is Status.FAIL
    assert "role dev: may change audit logging (cloudtrail:StopLogging, cloudtrail:DeleteTrail" in out.message
    assert "role ops" in out.message
    assert f(ACCOUNT, power, actions=["guardduty:DeleteDetector"], exempt_principals=["dev"]).status is Status.PASS
    assert f(ACCOUNT, inventory()).status is Status.SKIP
    assert f(ACCOUNT, inventory(user(attached_policies=None))).status is Status.ERROR


def test_marketplace_subscribe_restricted() -> None:
    f = iam_privileges.marketplace_subscribe_restricted
    assert f(ACCOUNT, inventory(user(groups=()))).status is Status.PASS
    buyer = inventory(user(groups=(), inline_policies={"buy": allow("aws-marketplace:*")}),
                      attached_role("procurement", "arn:aws:iam::aws:policy/AWSMarketplaceManageSubscriptions"))
    out = f(ACCOUNT, buyer)
    assert out.status is Status.FAIL and "user alice" in out.message and "role procurement" in out.message
    assert f(ACCOUNT, buyer, exempt_principals=["alice", "procurement"]).status is Status.PASS
    assert f(ACCOUNT, inventory()).status is Status.SKIP
    assert f(ACCOUNT, inventory(user(attached_policies=None))).status is Status.ERROR


# -- credentials and trusts (assay.controls.iam_credentials) ---------------------------------------

def test_users_single_active_access_key() -> None:
    f = iam_credentials.users_single_active_access_key
    assert f(user(access_keys=(key(1), key(2, active=False)))) == (Status.PASS, "user has one active access key")
    assert f(user(access_keys=(key(1), key(2)))) == (Status.FAIL, "user alice has 2 active access keys")
    assert f(user(access_keys=(key(1, active=False),))).status is Status.SKIP
    assert f(user(access_keys=None)).status is Status.ERROR


def cert(expires: datetime | None) -> IamServerCertificate:
    return IamServerCertificate(arn=f"arn:aws:iam::{ACCT}:server-certificate/www", id="ASCA1", name="www",
                                account_id=ACCT, region=GLOBAL, expiration=expires)


def test_server_certificates_not_expired() -> None:
    f = iam_credentials.server_certificates_not_expired
    assert f(cert(NOW + timedelta(days=40)), NOW) == (Status.PASS, "certificate is valid for 40 more days")
    assert f(cert(ago(3)), NOW) == (Status.FAIL, "certificate www expired 3 days ago")
    assert f(cert(NOW + timedelta(days=10)), NOW, min_days_left=30).status is Status.FAIL
    assert f(cert(None), NOW).status is Status.ERROR


def trusting(statement: dict[str, Any], path: str = "/") -> IamRole:
    return IamRole(arn=f"arn:aws:iam::{ACCT}:role/vendor", id="v", name="vendor", account_id=ACCT, region=GLOBAL,
                   path=path, trust_policy={"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                           **statement}]})


VENDOR = {"Principal": {"AWS": "arn:aws:iam::444455556666:root"}}
EXTERNAL_ID = {"Condition": {"StringEquals": {"sts:ExternalId": "n0rthw1nd"}}}


def test_third_party_role_trusts_require_external_id() -> None:
    f = iam_credentials.third_party_role_trusts_require_external_id
    inv = inventory()
    assert f(trusting({**VENDOR, **EXTERNAL_ID}), inv).status is Status.PASS
    out = f(trusting(VENDOR), inv)
    assert out == (Status.FAIL, "role vendor can be assumed without an external ID by account 444455556666")
    assert f(trusting({"Principal": {"AWS": "444455556666"}}), inv).status is Status.FAIL
    assert f(trusting({"Principal": "*"}), inv).message.endswith("any AWS account ('*')")
    org = {"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}
    assert f(trusting({"Principal": "*", **org}), inv).status is Status.PASS
    # own account, accounts of the same scan or listed as trusted, and services: nothing outside to judge
    assert f(trusting({"Principal": {"AWS": f"arn:aws:iam::{ACCT}:role/ci"}}), inv).status is Status.SKIP
    assert f(trusting({"Principal": {"Service": "lambda.amazonaws.com"}}), inv).status is Status.SKIP
    assert f(trusting(VENDOR), inv, trusted_accounts=["444455556666"]).status is Status.SKIP
    assert f(trusting(VENDOR, path="/aws-service-role/x/"), inv).status is Status.SKIP
    assert f(IamRole(arn="arn:aws:iam::1:role/x", id="x", account_id=ACCT, region=GLOBAL), inv).status \
        is Status.ERROR


# -- housekeeping (assay.controls.iam_hygiene) ------------------------------------------------------

def member_group(name: str, members: tuple[str, ...] | None, *arns: str,
                 inline: dict[str, Any] | None = None) -> IamGroup:
    return IamGroup(arn=f"arn:aws:iam::{ACCT}:group/{name}", id=name, name=name, account_id=ACCT, region=GLOBAL,
                    attached_policies=arns, inline_policies=inline or {}, members=members)


def test_groups_have_members() -> None:
    f = iam_hygiene.groups_have_members
    assert f(member_group("analysts", ("alice", "bob"))) == (Status.PASS, "group has 2 user(s)")
    out = f(member_group("auditors-2023", (), f"arn:aws:iam::{ACCT}:policy/reports", inline={"extra": SCOPED}))
    assert out == (Status.FAIL, "group auditors-2023 has no users; it still grants attached reports, inline extra "
                                "to anyone added to it")
    assert f(member_group("old", ())) == (Status.FAIL, "group old has no users")
    allowed = f(member_group("break-glass-admins", ()), allowed_empty_groups=["break-glass-*"])
    assert allowed == (Status.PASS, "group is empty by design (allowed_empty_groups: break-glass-*)")
    # other empty groups still fail
    assert f(member_group("old", ()), allowed_empty_groups=["break-glass-*"]).status is Status.FAIL
    assert f(member_group("analysts", None)).status is Status.ERROR


def used_policy(attached: int | None, boundary: int | None, name: str = "reports") -> IamPolicy:
    return IamPolicy(arn=f"arn:aws:iam::{ACCT}:policy/{name}", id=name, name=name, account_id=ACCT, region=GLOBAL,
                     document=SCOPED, attachment_count=attached, boundary_count=boundary)


def test_customer_policies_attached() -> None:
    f = iam_hygiene.customer_policies_attached
    assert f(used_policy(3, 0)) == (Status.PASS, "attached to 3 user(s), group(s) or role(s)")
    assert f(used_policy(1, None)).status is Status.PASS  # attachments alone settle it
    boundary = f(used_policy(0, 2))
    assert boundary == (Status.PASS, "not attached, but the permissions boundary of 2 user(s) or role(s)")
    assert f(used_policy(0, 0)) == (
        Status.FAIL, "policy reports is attached to no user, group or role and is no permissions boundary")
    template = f(used_policy(0, 0, name="template-readonly"), allowed_unattached=["template-*"])
    assert template == (Status.PASS, "unattached by design (allowed_unattached: template-*)")
    assert f(used_policy(None, 0)).status is Status.ERROR
    assert f(used_policy(0, None)).status is Status.ERROR  # might be a boundary: unknown, never FAIL or PASS


SHARING = iam_credentials.CLOUDWATCH_SHARING_ROLE
MONITORING, PARTNER = "111122223333", "999900001111"


def sharing_role(*principals: str, condition: dict[str, Any] | None = None, acct: str = ACCT,
                 name: str = SHARING, readable: bool = True) -> IamRole:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": "sts:AssumeRole",
                                 "Principal": {"AWS": [p if p == "*" else f"arn:aws:iam::{p}:root"
                                                       for p in principals]}}
    if condition:
        statement["Condition"] = condition
    return IamRole(arn=f"arn:aws:iam::{acct}:role/{name}", id=name, name=name, account_id=acct, region=GLOBAL,
                   trust_policy={"Statement": [statement]} if readable else None)


def scanned(*resources: Any) -> Inventory:
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=NOW, finished_at=NOW)
    accounts = [AccountInfo(account_id=a) for a in (ACCT, MONITORING)]
    return Inventory(meta, accounts, [], [], list(resources), [])


def test_cloudwatch_sharing_role_trusts_own_accounts() -> None:
    f = iam_credentials.cloudwatch_sharing_role_trusts_own_accounts
    assert f(ACCOUNT, scanned(sharing_role(MONITORING))) == (
        Status.PASS, f"{SHARING} is assumable only by accounts of this scan or trusted_accounts")
    out = f(ACCOUNT, scanned(sharing_role(MONITORING, PARTNER)))
    assert out == (Status.FAIL, f"{SHARING} lets account {PARTNER} outside the organisation read this account's "
                                "CloudWatch data")
    # an external ID keeps out confused deputies, not the outside account itself
    external_id = {"StringEquals": {"sts:ExternalId": "x-1"}}
    assert f(ACCOUNT, scanned(sharing_role(PARTNER, condition=external_id))).status is Status.FAIL
    assert f(ACCOUNT, scanned(sharing_role(PARTNER)), trusted_accounts=[PARTNER]).status is Status.PASS
    org = {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}
    in_org = f(ACCOUNT, scanned(sharing_role("*", condition=org)))
    assert in_org == (Status.PASS, f"{SHARING} admits any AWS account ('*') only with an organisation condition")
    assert f(ACCOUNT, scanned(sharing_role("*"))).message.startswith(f"{SHARING} lets any AWS account ('*')")
    # not applicable: no sharing role, or only another account's or another role's
    assert f(ACCOUNT, scanned(sharing_role(PARTNER, acct=MONITORING))).status is Status.SKIP
    assert f(ACCOUNT, scanned(sharing_role(PARTNER, name="vendor"))).status is Status.SKIP
    assert f(ACCOUNT, scanned(sharing_role(PARTNER, name="vendor")), role_name="vendor").status is Status.FAIL
    assert f(ACCOUNT, scanned(sharing_role(PARTNER, readable=False))).status is Status.ERROR
