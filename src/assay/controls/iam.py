"""IAM controls: MFA, the root user, the password policy, credential hygiene, how permissions are granted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assay.controls.policy import as_list, statements
from assay.controls.registry import Remediation, control
from assay.models.base import Account
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.iam import AccessKeySlot, IamGroup, IamPasswordPolicy, IamPolicy, IamRole, IamRoot, IamUser

REPORT = ["iam:GenerateCredentialReport", "iam:GetCredentialReport"]
GAAD = "iam:GetAccountAuthorizationDetails"
NO_REPORT_ROW = "no credential report data for this user (report not read, or user created after it was generated)"
MAX_NAMED = 10


def _days(now: datetime, then: datetime) -> int:
    return (now - then).days


# -- MFA -----------------------------------------------------------------------------------------

@control(
    id="iam.console_users_have_mfa",
    title="IAM users with a console password have an MFA device",
    severity="high",
    needs=REPORT,
    rationale="A console password alone is one phished or reused secret away from an interactive session "
    "in the account. Requiring a second factor for every person who signs in is the access-control "
    "baseline auditors expect for authenticating users to in-scope systems (CC6.1, CC6.6).",
    remediation=Remediation(
        console="IAM console > Users > the user > Security credentials > Multi-factor authentication (MFA) > "
        "Assign MFA device; or, if the user does not need the console, Console sign-in > Disable console "
        "access. Enforce it with a policy that denies actions when aws:MultiFactorAuthPresent is false.",
        cli="aws iam create-virtual-mfa-device --virtual-mfa-device-name <user> --outfile qr.png "
        "--bootstrap-method QRCodePNG\n"
        "aws iam enable-mfa-device --user-name <user> --serial-number arn:aws:iam::<account>:mfa/<user> "
        "--authentication-code1 <code> --authentication-code2 <next-code>\n"
        "# or remove the console password:\naws iam delete-login-profile --user-name <user>",
        terraform='resource "aws_iam_virtual_mfa_device" "user" {\n  virtual_mfa_device_name = "<user>"\n}\n'
        "# the device is then enabled by the user (two consecutive codes); Terraform cannot do that step.\n"
        "# Alternatively drop the aws_iam_user_login_profile resource so the user has no console password.",
    ),
)
def console_users_have_mfa(user: IamUser) -> Outcome:
    if user.password_enabled is None:
        return Error(NO_REPORT_ROW)
    if not user.password_enabled:
        return Skip("user has no console password")
    if user.mfa_active is None:
        return Error("MFA status missing from the credential report")
    if user.mfa_active:
        return Pass("console user has an MFA device")
    return Fail(f"user {user.display_name} can sign in to the console with a password only (no MFA device)")


# -- root ------------------------------------------------------------------------------------------

@control(
    id="iam.root_mfa_enabled",
    title="The root user has MFA enabled",
    severity="critical",
    needs=["iam:GetAccountSummary"],
    rationale="The root user can do anything in the account, including closing it and changing its contact "
    "and billing details, and no IAM policy can restrict it. Protecting it with a second factor is the "
    "most important single safeguard of privileged access (CC6.1, CC6.6).",
    remediation=Remediation(
        console="Sign in as the root user > account menu > Security credentials > Multi-factor authentication "
        "(MFA) > Assign MFA device (a hardware key or a passkey is preferred).",
        cli="# Root MFA can only be assigned while signed in as root, in the console.\n"
        "aws iam get-account-summary --query 'SummaryMap.AccountMFAEnabled'  # 1 once done",
        terraform="# Not manageable with Terraform: root credentials are set in the console. In AWS "
        "Organizations,\n# centralised root access management (aws iam enable-organizations-root-credentials-"
        "management)\n# lets member accounts run without root credentials at all.",
    ),
)
def root_mfa_enabled(root: IamRoot) -> Outcome:
    if root.mfa_enabled is None:
        return Error("root MFA status unknown: the account summary did not report it")
    return Pass("root user has MFA enabled") if root.mfa_enabled else Fail("root user has no MFA device")


@control(
    id="iam.root_hardware_mfa",
    title="The root user's MFA is a hardware device",
    severity="medium",
    needs=["iam:GetAccountSummary", "iam:ListVirtualMFADevices"],
    rationale="A virtual MFA app lives on a phone that is also used for everyday things and can be cloned "
    "or restored from backups; a dedicated hardware key kept in a safe gives the root user a second factor "
    "that cannot be copied, which strengthens the protection of the most privileged credential (CC6.6).",
    remediation=Remediation(
        console="Sign in as the root user > Security credentials > Multi-factor authentication (MFA) > Assign "
        "MFA device > Passkey or security key (or Hardware TOTP token); then remove the virtual device.",
        cli="# Assigning root MFA is console-only. To check for a virtual device on root:\n"
        "aws iam list-virtual-mfa-devices --assignment-status Assigned "
        "--query \"VirtualMFADevices[?User.Arn=='arn:aws:iam::<account>:root']\"",
        terraform="# Not manageable with Terraform: root MFA is assigned in the console while signed in as root.",
    ),
)
def root_hardware_mfa(root: IamRoot) -> Outcome:
    if root.mfa_enabled is None:
        return Error("root MFA status unknown: the account summary did not report it")
    if not root.mfa_enabled:
        return Fail("root user has no MFA device at all")
    if root.virtual_mfa is None:
        return Error("virtual MFA devices were not listed")
    if root.virtual_mfa:
        return Fail("root user's MFA is a virtual device")
    return Pass("root user's MFA is a hardware device")


@control(
    id="iam.root_no_access_keys",
    title="The root user has no access keys",
    severity="critical",
    needs=["iam:GetAccountSummary"],
    rationale="Root access keys give unrestricted, long-lived programmatic control of the account that no "
    "policy can limit and that MFA does not protect; a leaked root key is a full compromise. Removing them "
    "limits privileged access to what can be traced to named identities (CC6.1, CC6.2, CC6.3).",
    remediation=Remediation(
        console="Sign in as the root user > Security credentials > Access keys > Actions > Deactivate, then "
        "Delete each key, after moving whatever used it to an IAM role.",
        cli="# Root keys can only be deleted by the root user itself (signed in with that key):\n"
        "aws iam list-access-keys\naws iam delete-access-key --access-key-id <key-id>",
        terraform="# Not manageable with Terraform: root access keys are removed while signed in as root.",
    ),
)
def root_no_access_keys(root: IamRoot) -> Outcome:
    if root.access_keys_present is None:
        return Error("root access keys unknown: the account summary did not report them")
    if not root.access_keys_present:
        return Pass("root user has no access keys")
    active = [f"key {k.slot}" for k in root.access_keys or () if k.active]
    detail = f" (active: {', '.join(active)})" if active else ""
    return Fail(f"root user has access keys{detail}")


# -- password policy -----------------------------------------------------------------------------

@control(
    id="iam.password_policy_strong",
    title="The account password policy meets the strength requirements",
    severity="medium",
    needs=["iam:GetAccountPasswordPolicy"],
    rationale="The password policy sets the minimum quality of every IAM user's console password. Long, "
    "complex, non-reused passwords resist guessing and credential stuffing, and an auditor looks for the "
    "policy as the technical enforcement of the written password standard (CC6.1, CC6.2).",
    remediation=Remediation(
        console="IAM console > Account settings > Password policy > Edit > Custom: minimum length 14, require "
        "upper case, lower case, numbers and non-alphanumeric characters, expire after 90 days, prevent reuse "
        "of the last 24 passwords > Save changes.",
        cli="aws iam update-account-password-policy --minimum-password-length 14 --require-uppercase-characters "
        "--require-lowercase-characters --require-numbers --require-symbols --max-password-age 90 "
        "--password-reuse-prevention 24 --allow-users-to-change-password",
        terraform='resource "aws_iam_account_password_policy" "strict" {\n  minimum_password_length        = 14\n'
        "  require_uppercase_characters   = true\n  require_lowercase_characters   = true\n"
        "  require_numbers                = true\n  require_symbols                = true\n"
        "  max_password_age               = 90\n  password_reuse_prevention      = 24\n"
        "  allow_users_to_change_password = true\n}",
    ),
)
def password_policy_strong(
    policy: IamPasswordPolicy, *, min_length: int = 14, reuse_prevention: int = 24, max_age_days: int = 90,
    require_uppercase: bool = True, require_lowercase: bool = True, require_numbers: bool = True,
    require_symbols: bool = True,
) -> Outcome:
    """max_age_days=0 or reuse_prevention=0 drops that requirement (NIST SP 800-63B advises against expiry)."""
    if policy.exists is None:
        return Error("password policy was not read")
    if not policy.exists:
        return Fail("the account has no password policy (AWS defaults: 8 characters, no complexity, no expiry)")
    gaps = []
    if (policy.minimum_length or 0) < min_length:
        gaps.append(f"minimum length {policy.minimum_length or 'unset'} < {min_length}")
    for wanted, have, what in (
        (require_uppercase, policy.require_uppercase, "upper-case letters"),
        (require_lowercase, policy.require_lowercase, "lower-case letters"),
        (require_numbers, policy.require_numbers, "numbers"),
        (require_symbols, policy.require_symbols, "symbols"),
    ):
        if wanted and not have:
            gaps.append(f"{what} not required")
    if reuse_prevention and (policy.reuse_prevention or 0) < reuse_prevention:
        gaps.append(f"reuse prevention {policy.reuse_prevention or 'off'} < {reuse_prevention}")
    if max_age_days and (policy.max_age_days is None or policy.max_age_days > max_age_days):
        gaps.append(f"maximum age {policy.max_age_days or 'never expires'} > {max_age_days} days")
    if gaps:
        return Fail("password policy is weak: " + "; ".join(gaps))
    return Pass("password policy meets every requirement")


# -- credential hygiene ----------------------------------------------------------------------------

def _key_idle(user: IamUser, key: AccessKeySlot, now: datetime) -> tuple[int, str] | None:
    if key.last_used is not None:
        return _days(now, key.last_used), "last used"
    since = key.last_rotated or user.created
    return None if since is None else (_days(now, since), "never used, created")


@control(
    id="iam.unused_credentials_disabled",
    title="IAM user passwords and active access keys have been used recently",
    severity="medium",
    needs=REPORT,
    rationale="Credentials nobody uses belong to people who left or to forgotten automation; they are an "
    "open door that no one would notice being used. Removing them promptly is how access is revoked when it "
    "is no longer needed (CC6.2, CC6.3).",
    remediation=Remediation(
        console="IAM console > Users > the user > Security credentials: Console sign-in > Disable console "
        "access; Access keys > Actions > Deactivate (then Delete once nothing breaks).",
        cli="aws iam delete-login-profile --user-name <user>\n"
        "aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive\n"
        "aws iam delete-access-key --user-name <user> --access-key-id <key-id>",
        terraform="# Remove the aws_iam_user_login_profile and aws_iam_access_key resources of users who no "
        "longer\n# need them (or set status = \"Inactive\" on the aws_iam_access_key first).",
    ),
)
def unused_credentials_disabled(user: IamUser, now: datetime, *, max_unused_days: int = 45) -> Outcome:
    if user.password_enabled is None or user.access_keys is None:
        return Error(NO_REPORT_ROW)
    stale, unknown = [], []
    if user.password_enabled:
        if user.password_last_used is not None:
            idle: tuple[int, str] | None = (_days(now, user.password_last_used), "last used")
        else:
            since = user.password_last_changed or user.created
            idle = None if since is None else (_days(now, since), "never used, set")
        if idle is None:
            unknown.append("console password")
        elif idle[0] > max_unused_days:
            stale.append(f"console password {idle[1]} {idle[0]} days ago")
    active = [k for k in user.access_keys if k.active]
    for key in active:
        idle = _key_idle(user, key, now)
        if idle is None:
            unknown.append(f"access key {key.slot}")
        elif idle[0] > max_unused_days:
            stale.append(f"access key {key.slot} {idle[1]} {idle[0]} days ago")
    if stale:
        return Fail(f"unused for more than {max_unused_days} days: " + "; ".join(stale))
    if unknown:
        return Error("no usage or creation date for " + ", ".join(unknown))
    if not user.password_enabled and not active:
        return Skip("user has no console password and no active access key")
    return Pass(f"every credential was used (or created) within {max_unused_days} days")


@control(
    id="iam.access_keys_rotated",
    title="Active IAM access keys are younger than the rotation period",
    severity="medium",
    needs=REPORT,
    rationale="An access key is a long-lived secret that ends up in scripts, CI variables and laptops. "
    "Rotating it on a fixed schedule bounds how long a copy that leaked unnoticed stays useful (CC6.1, CC6.2).",
    remediation=Remediation(
        console="IAM console > Users > the user > Security credentials > Create access key; move every consumer "
        "to the new key; then Actions > Deactivate and Delete on the old one. Better: replace the key with an "
        "IAM role or IAM Identity Center.",
        cli="aws iam create-access-key --user-name <user>\n"
        "aws iam update-access-key --user-name <user> --access-key-id <old-key-id> --status Inactive\n"
        "aws iam delete-access-key --user-name <user> --access-key-id <old-key-id>",
        terraform='# Rotate by replacing the key resource, e.g. keyed on a rotation date:\n'
        'resource "aws_iam_access_key" "ci" {\n  user = aws_iam_user.ci.name\n'
        "  lifecycle { create_before_destroy = true }\n}\n"
        "# terraform apply -replace=aws_iam_access_key.ci",
    ),
)
def access_keys_rotated(user: IamUser, now: datetime, *, max_age_days: int = 90) -> Outcome:
    if user.access_keys is None:
        return Error(NO_REPORT_ROW)
    active = [k for k in user.access_keys if k.active]
    if not active:
        return Skip("user has no active access key")
    old, unknown = [], []
    for key in active:
        if key.last_rotated is None:
            unknown.append(f"access key {key.slot}")
        elif (age := _days(now, key.last_rotated)) > max_age_days:
            old.append(f"access key {key.slot} is {age} days old")
    if old:
        return Fail(f"not rotated within {max_age_days} days: " + "; ".join(old))
    if unknown:
        return Error("no rotation date for " + ", ".join(unknown))
    return Pass(f"every active access key is at most {max_age_days} days old")


# -- how permissions are granted -----------------------------------------------------------------

@control(
    id="iam.users_no_direct_policies",
    title="IAM users receive permissions only through groups or roles",
    severity="low",
    needs=[GAAD],
    rationale="Permissions attached user by user drift apart, are hard to review and are easily forgotten when "
    "someone changes job. Granting them through groups or roles ties access to a job function that can be "
    "reviewed as a whole, which is what role-based access and periodic access reviews rely on (CC6.1, CC6.3).",
    remediation=Remediation(
        console="IAM console > User groups > create or pick a group with the needed policies > Add users; then "
        "Users > the user > Permissions > remove each directly attached or inline policy.",
        cli="aws iam add-user-to-group --group-name <group> --user-name <user>\n"
        "aws iam detach-user-policy --user-name <user> --policy-arn <policy-arn>\n"
        "aws iam delete-user-policy --user-name <user> --policy-name <inline-policy-name>",
        terraform='resource "aws_iam_group_policy_attachment" "team" {\n  group      = aws_iam_group.team.name\n'
        "  policy_arn = aws_iam_policy.team.arn\n}\n"
        'resource "aws_iam_user_group_membership" "alice" {\n  user   = aws_iam_user.alice.name\n'
        "  groups = [aws_iam_group.team.name]\n}\n"
        "# and remove aws_iam_user_policy / aws_iam_user_policy_attachment resources",
    ),
)
def users_no_direct_policies(user: IamUser) -> Outcome:
    if user.attached_policies is None or user.inline_policies is None:
        return Error("the user's policies were not read")
    direct = [f"attached {arn.rsplit('/', 1)[-1]}" for arn in user.attached_policies]
    direct += [f"inline {name}" for name in user.inline_policies]
    if direct:
        return Fail(f"user {user.display_name} has policies of its own: {', '.join(direct)}")
    return Pass("user has no directly attached or inline policies")


def full_admin_statements(document: dict[str, Any] | None) -> list[str]:
    """Sids (or positions) of Allow statements granting every action on every resource."""
    found = []
    for n, st in enumerate(statements(document)):
        if st.get("Effect") != "Allow":
            continue
        if {"*", "*:*"} & set(as_list(st.get("Action"))) and "*" in as_list(st.get("Resource")):
            found.append(str(st.get("Sid") or f"statement {n + 1}"))
    return found


def _inline_owners(inv: Inventory, account_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    """(owner label, policy name, document) for every inline policy the customer controls."""
    out: list[tuple[str, str, dict[str, Any] | None]] = []
    for user in inv.in_account(IamUser, account_id):
        out += [(f"user {user.display_name}", n, d) for n, d in (user.inline_policies or {}).items()]
    for group in inv.in_account(IamGroup, account_id):
        out += [(f"group {group.display_name}", n, d) for n, d in group.inline_policies.items()]
    for role in inv.in_account(IamRole, account_id):
        # service-linked roles are owned by an AWS service; the customer cannot edit their policies
        if not role.service_linked:
            out += [(f"role {role.display_name}", n, d) for n, d in role.inline_policies.items()]
    return out


@control(
    id="iam.no_full_admin_policies",
    title="No customer-managed or inline IAM policy allows every action on every resource",
    severity="high",
    needs=[GAAD],
    rationale="A policy that allows '*' on '*' hands out full control of the account, including the power to "
    "erase audit trails and grant itself more. Administrative access should come from a small number of "
    "reviewed, named roles, not from custom policies that can be attached anywhere (CC6.1, CC6.3).",
    remediation=Remediation(
        console="IAM console > Policies > Filter by type: Customer managed > the policy > Edit: replace the "
        "'*' statement with the services and resources the job needs (IAM Access Analyzer's 'Generate policy' "
        "helps). For inline policies: Users/Groups/Roles > the entity > Permissions > the policy > Edit.",
        cli="aws iam create-policy-version --policy-arn <policy-arn> --policy-document file://scoped.json "
        "--set-as-default\naws iam put-role-policy --role-name <role> --policy-name <name> "
        "--policy-document file://scoped.json",
        terraform='data "aws_iam_policy_document" "scoped" {\n  statement {\n'
        '    actions   = ["s3:GetObject", "s3:ListBucket"]\n'
        '    resources = [aws_s3_bucket.reports.arn, "${aws_s3_bucket.reports.arn}/*"]\n  }\n}\n'
        'resource "aws_iam_policy" "reports" {\n  policy = data.aws_iam_policy_document.scoped.json\n}',
    ),
)
def no_full_admin_policies(account: Account, inv: Inventory) -> Outcome:
    """Account-level: the engine gives a control one resource type, and the documents to judge live on four
    (customer-managed policies and the inline policies of users, groups and roles). One finding per account
    names every offending policy."""
    admin, unreadable, seen = [], [], 0
    for policy in inv.in_account(IamPolicy, account.account_id):
        seen += 1
        if policy.document is None:
            unreadable.append(f"policy {policy.display_name}")
        elif sids := full_admin_statements(policy.document):
            admin.append(f"policy {policy.display_name} ({', '.join(sids)}; "
                         f"attached {policy.attachment_count if policy.attachment_count is not None else '?'}x)")
    for owner, name, doc in _inline_owners(inv, account.account_id):
        seen += 1
        if doc is None:
            unreadable.append(f"inline {name} on {owner}")
        elif sids := full_admin_statements(doc):
            admin.append(f"inline {name} on {owner} ({', '.join(sids)})")
    if admin:
        more = f" (+{len(admin) - MAX_NAMED} more)" if len(admin) > MAX_NAMED else ""
        return Fail("allows '*' on '*': " + "; ".join(admin[:MAX_NAMED]) + more)
    if unreadable:
        return Error("policy documents could not be read: " + ", ".join(unreadable[:MAX_NAMED]))
    if not seen:
        return Skip("no customer-managed or inline policies in the account")
    return Pass(f"none of {seen} customer-managed and inline policies allows '*' on '*'")


# -- root use and support access -----------------------------------------------------------------

@control(
    id="iam.root_not_used_recently",
    title="The root user has not been used within the review period",
    severity="high",
    needs=REPORT,
    rationale="Everyday work should be done through named identities whose actions can be attributed and "
    "limited; the root user is for the handful of tasks only it can do. Root activity within the review "
    "period is either one of those rare, documented tasks or a sign of shared or compromised root "
    "credentials, and auditors ask for evidence that privileged access is restricted and its use "
    "monitored (CC6.1, CC6.2, CC7.2).",
    remediation=Remediation(
        console="CloudTrail console > Event history > filter User name: root to see what was done and from where. "
        "If it was not a documented root-only task, rotate the root password, check its MFA device, delete any "
        "root access keys, and move the work to an IAM role or IAM Identity Center user.",
        cli="aws iam generate-credential-report && aws iam get-credential-report --query Content --output text "
        "| base64 -d | grep '<root_account>'\n"
        "aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root",
        terraform="# Root use cannot be prevented by IAM policy in a standalone account. In AWS Organizations, an\n"
        "# SCP denying actions by root in member accounts does it:\n"
        'data "aws_iam_policy_document" "deny_root" {\n  statement {\n    effect    = "Deny"\n'
        '    actions   = ["*"]\n    resources = ["*"]\n    condition {\n      test     = "StringLike"\n'
        '      variable = "aws:PrincipalArn"\n      values   = ["arn:aws:iam::*:root"]\n    }\n  }\n}',
    ),
)
def root_not_used_recently(root: IamRoot, now: datetime, *, quiet_days: int = 90) -> Outcome:
    if not root.in_report:
        return Error("the credential report has no row for the root user (report not read)")
    if root.access_keys is None:
        return Error("root access-key columns missing from the credential report")
    uses = [("signed in with its password", root.password_last_used)]
    uses += [(f"used access key {k.slot}", k.last_used) for k in root.access_keys]
    recent = sorted(((_days(now, when), what) for what, when in uses if when is not None and
                     _days(now, when) <= quiet_days))
    if recent:
        return Fail("root user " + "; ".join(f"{what} {days} days ago" for days, what in recent)
                    + f" (within {quiet_days} days)")
    last = max((when for _, when in uses if when is not None), default=None)
    seen = f"; last used {_days(now, last)} days ago" if last else "; no recorded use"
    return Pass(f"root user not used in the last {quiet_days} days{seen}")


SUPPORT_POLICY = "policy/AWSSupportAccess"


@control(
    id="iam.support_role_exists",
    title="An IAM role, group or user holds the AWSSupportAccess policy",
    severity="low",
    needs=[GAAD],
    rationale="During an incident the team needs to open and follow AWS Support cases quickly, without "
    "reaching for the root user or an all-powerful administrator. A role that carries AWSSupportAccess "
    "gives that ability to the people on call and nothing more, which supports incident response (CC7.4) "
    "with least-privilege access (CC6.3).",
    remediation=Remediation(
        console="IAM console > Roles > Create role > AWS account (this account, or your identity provider) > "
        "Permissions: AWSSupportAccess > name it e.g. support-desk > Create role; let the on-call group assume it.",
        cli="aws iam create-role --role-name support-desk --assume-role-policy-document file://trust.json\n"
        "aws iam attach-role-policy --role-name support-desk "
        "--policy-arn arn:aws:iam::aws:policy/AWSSupportAccess",
        terraform='resource "aws_iam_role" "support" {\n  name               = "support-desk"\n'
        "  assume_role_policy = data.aws_iam_policy_document.oncall_trust.json\n}\n"
        'resource "aws_iam_role_policy_attachment" "support" {\n  role       = aws_iam_role.support.name\n'
        '  policy_arn = "arn:aws:iam::aws:policy/AWSSupportAccess"\n}',
    ),
)
def support_role_exists(account: Account, inv: Inventory) -> Outcome:
    """Account-level: any role, group or user of the account will do; the finding names them."""
    arn = f"arn:{account.partition}:iam::aws:{SUPPORT_POLICY}"
    holders = [f"role {r.display_name}" for r in inv.in_account(IamRole, account.account_id)
               if arn in r.attached_policies]
    holders += [f"group {g.display_name}" for g in inv.in_account(IamGroup, account.account_id)
                if arn in g.attached_policies]
    users = inv.in_account(IamUser, account.account_id)
    holders += [f"user {u.display_name}" for u in users if arn in (u.attached_policies or ())]
    if holders:
        return Pass("AWSSupportAccess is attached to " + ", ".join(holders[:MAX_NAMED]))
    if any(u.attached_policies is None for u in users):
        return Error("the policies of some users were not read")
    return Fail("no role, group or user has the AWSSupportAccess policy: AWS Support cases need the root "
                "user or an administrator")
