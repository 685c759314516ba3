"""IAM collectors against moto's server; ERROR (never PASS or FAIL) when any of their reads is denied."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from assay.collect.aws import iam as collector
from assay.collect.registry import load_collectors
from assay.controls.registry import load_controls
from assay.demo.estate import iam as demo_estate
from assay.faults import action_of, deny, error_response
from assay.models.inventory import Inventory
from assay.models.resources.iam import IamGroup, IamPasswordPolicy, IamPolicy, IamRole, IamRoot, IamUser
from assay.models.resources.iam_certificates import IamServerCertificate
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

ADMIN = {"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]}
SCOPED = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
EC2_TRUST = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                            "Action": "sts:AssumeRole"}]}
IAM_PERMISSIONS = sorted({p for s in load_collectors().values() if s.service == "iam" for p in s.permissions})
IAM_CONTROLS = {cid: c for cid, c in load_controls().items() if c.service == "iam"}


def _estate(seed: Any) -> None:
    iam = seed("iam")
    iam.create_group(GroupName="devs")
    scoped = iam.create_policy(PolicyName="scoped", PolicyDocument=json.dumps(SCOPED))["Policy"]["Arn"]
    iam.attach_group_policy(GroupName="devs", PolicyArn=scoped)
    iam.create_policy(PolicyName="admin-all", PolicyDocument=json.dumps(ADMIN))
    # alice: console + MFA + key, permissions via a group
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="not-a-real-password-1!")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1="111111",
                          AuthenticationCode2="222222")
    iam.create_access_key(UserName="alice")
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    # bob: console without MFA, a directly attached policy
    iam.create_user(UserName="bob")
    iam.create_login_profile(UserName="bob", Password="not-a-real-password-2!")
    iam.attach_user_policy(UserName="bob", PolicyArn=scoped)
    # svc: a key only, an inline policy
    iam.create_user(UserName="svc")
    iam.create_access_key(UserName="svc")
    iam.put_user_policy(UserName="svc", PolicyName="own", PolicyDocument=json.dumps(SCOPED))
    iam.create_role(RoleName="deploy", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    iam.put_role_policy(RoleName="deploy", PolicyName="ci", PolicyDocument=json.dumps(ADMIN))
    iam.update_account_password_policy(
        MinimumPasswordLength=16, RequireUppercaseCharacters=True, RequireLowercaseCharacters=True,
        RequireNumbers=True, RequireSymbols=True, MaxPasswordAge=60, PasswordReusePrevention=24)
    iam.upload_server_certificate(ServerCertificateName="www", CertificateBody=CERT, PrivateKey="not-a-key")


CERT = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----"


def later(inv: Inventory, days: int) -> Inventory:
    """The same inventory, evaluated as if collected `days` later (moto cannot backdate credentials)."""
    inv.meta = inv.meta.model_copy(update={"finished_at": inv.meta.finished_at + timedelta(days=days)})
    return inv


def test_collects_users_root_policies(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["iam"])
    assert inv.errors == [] and inv.complete
    users = {u.name: u for u in inv.of(IamUser)}
    assert set(users) == {"alice", "bob", "svc"}
    alice = users["alice"]
    assert alice.password_enabled is True and alice.mfa_active is True
    assert alice.groups == ("devs",) and alice.attached_policies == () and alice.inline_policies == {}
    assert alice.access_keys is not None and [k.active for k in alice.access_keys] == [True]
    assert alice.access_keys[0].last_rotated is not None and alice.access_keys[0].last_rotated.tzinfo is not None
    assert alice.access_keys[0].last_used is None and alice.password_last_used is None
    assert users["bob"].attached_policies == (f"arn:aws:iam::{ACCOUNT}:policy/scoped",)
    assert users["svc"].password_enabled is False and users["svc"].inline_policies == {"own": SCOPED}
    [root] = inv.of(IamRoot)
    assert root.arn == f"arn:aws:iam::{ACCOUNT}:root" and root.region == "global"
    assert (root.mfa_enabled, root.access_keys_present, root.virtual_mfa) == (False, False, False)
    policies = {p.name: p for p in inv.of(IamPolicy)}
    assert policies["admin-all"].document == ADMIN and policies["scoped"].attachment_count == 2
    [role] = inv.of(IamRole)
    assert role.inline_policies == {"ci": ADMIN} and role.trust_policy is not None
    [pp] = inv.of(IamPasswordPolicy)
    assert pp.exists is True and pp.minimum_length == 16 and pp.max_age_days == 60
    # bulk reads only: no call per user
    assert sum(inv.meta.api_calls.values()) <= 12


def test_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["iam"]))
    assert by_name(ev, "iam.console_users_have_mfa") == {"alice": "pass", "bob": "fail", "svc": "skip"}
    assert by_name(ev, "iam.users_no_direct_policies") == {"alice": "pass", "bob": "fail", "svc": "fail"}
    assert by_name(ev, "iam.access_keys_rotated") == {"alice": "pass", "bob": "skip", "svc": "pass"}
    assert by_name(ev, "iam.unused_credentials_disabled") == {"alice": "pass", "bob": "pass", "svc": "pass"}
    assert by_name(ev, "iam.password_policy_strong") == {"account password policy": "pass"}
    # moto 5.2.1 always reports AccountMFAEnabled 0 and no root keys
    assert by_name(ev, "iam.root_mfa_enabled") == {"root": "fail"}
    assert by_name(ev, "iam.root_hardware_mfa") == {"root": "fail"}
    assert by_name(ev, "iam.root_no_access_keys") == {"root": "pass"}
    [admin] = findings_of(ev, "iam.no_full_admin_policies")
    assert admin.status.value == "fail"
    assert "policy admin-all" in admin.message and "inline ci on role deploy" in admin.message
    assert "scoped" not in admin.message


def test_age_verdicts_a_hundred_days_later(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(later(scan(access, ["iam"]), 100))
    assert by_name(ev, "iam.access_keys_rotated") == {"alice": "fail", "bob": "skip", "svc": "fail"}
    assert by_name(ev, "iam.unused_credentials_disabled") == {"alice": "fail", "bob": "fail", "svc": "fail"}
    bob = next(f for f in findings_of(ev, "iam.unused_credentials_disabled") if f.resource_name == "bob")
    assert "console password never used, set 100 days ago" in bob.message


def test_call_count_does_not_grow_with_users(access: Any, seed: Any) -> None:
    iam = seed("iam")
    iam.create_user(UserName="first")
    small = scan(access, ["iam"]).meta.api_calls
    for n in range(60):
        iam.create_user(UserName=f"user-{n}")
        iam.create_access_key(UserName=f"user-{n}")
    large = scan(access, ["iam"])
    assert len(large.of(IamUser)) == 61
    # the second scan finds the report already generated: one GenerateCredentialReport call fewer at most
    assert sum(large.meta.api_calls.values()) <= sum(small.values()) <= 12


def test_snapshot_round_trip_keeps_resources_and_verdicts(access: Any, seed: Any, tmp_path: Any) -> None:
    _estate(seed)
    inv = scan(access, ["iam"])
    inv.save(tmp_path / "snap.json.gz")
    loaded = Inventory.load(tmp_path / "snap.json.gz")
    assert loaded.of(IamUser) == inv.of(IamUser) and loaded.of(IamRoot) == inv.of(IamRoot)
    assert [(f.id, f.status) for f in evaluate(loaded).findings] == [(f.id, f.status) for f in evaluate(inv).findings]


def test_no_password_policy_fails(access: Any, seed: Any) -> None:
    seed("iam").create_user(UserName="solo")
    ev = evaluate(scan(access, ["iam"]))
    assert by_name(ev, "iam.password_policy_strong") == {"account password policy": "fail"}
    assert by_name(ev, "iam.no_full_admin_policies") == {ACCOUNT: "skip"}
    assert ev.inventory.complete


def answer(operation: str, parsed: dict[str, Any]) -> Any:
    """A before-call hook answering one operation with a canned response, as AWS would."""
    from botocore.awsrequest import AWSResponse

    def hook(model: Any, **_: Any) -> Any:
        if action_of(model) != operation:
            return None
        return AWSResponse("https://canned.invalid/", 200, {}, None), {
            **parsed, "ResponseMetadata": {"HTTPStatusCode": 200, "RetryAttempts": 0}}

    return hook


ROOT_ARN = f"arn:aws:iam::{ACCOUNT}:root"


@pytest.mark.parametrize(("devices", "hardware"), [
    ([], "pass"),
    ([{"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device", "User": {"Arn": ROOT_ARN}}], "fail"),
])
def test_root_mfa_kinds(access: Any, seed: Any, devices: list[dict[str, Any]], hardware: str) -> None:
    """moto cannot give root MFA, so AWS's answers are canned: MFA on, and a virtual device or none."""
    seed("iam")
    summary = {"SummaryMap": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 1}}
    access.hooks.append(("before-call", answer("iam:GetAccountSummary", summary)))
    access.hooks.append(("before-call", answer("iam:ListVirtualMFADevices",
                                               {"VirtualMFADevices": devices, "IsTruncated": False})))
    ev = evaluate(scan(access, ["iam"]))
    assert by_name(ev, "iam.root_mfa_enabled") == {"root": "pass"}
    assert by_name(ev, "iam.root_hardware_mfa") == {"root": hardware}
    assert by_name(ev, "iam.root_no_access_keys") == {"root": "fail"}


def test_report_never_ready_is_error(access: Any, seed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS still building the report after the polling budget: GetCredentialReport's error is recorded."""
    _estate(seed)
    monkeypatch.setattr(collector, "POLL_DELAYS", (0.0, 0.0))
    access.hooks.append(("before-call", answer("iam:GenerateCredentialReport", {"State": "INPROGRESS"})))
    ev = evaluate(scan(access, ["iam"]))
    assert ev.inventory.meta.api_calls["iam:GenerateCredentialReport"] == 3
    for cid in ("iam.console_users_have_mfa", "iam.unused_credentials_disabled", "iam.access_keys_rotated"):
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}
        assert all("iam:GetCredentialReport" in f.message for f in found)
    assert by_name(ev, "iam.users_no_direct_policies")["bob"] == "fail"  # unaffected


def test_user_newer_than_the_report_is_error(access: Any, seed: Any) -> None:
    """AWS serves a report up to four hours old; users created since have no row (moto builds it live)."""
    _estate(seed)
    header = AWS_REPORT.splitlines()[0]
    row = (f"alice,arn:aws:iam::{ACCOUNT}:user/alice,2026-01-01T00:00:00+00:00,true,no_information,"
           f"{datetime.now(UTC).isoformat()},N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A")
    report = {"Content": f"{header}\n{row}\n".encode(), "ReportFormat": "text/csv"}
    access.hooks.append(("before-call", answer("iam:GetCredentialReport", report)))
    ev = evaluate(scan(access, ["iam"]))
    assert ev.inventory.complete  # every read succeeded
    assert by_name(ev, "iam.console_users_have_mfa") == {"alice": "pass", "bob": "error", "svc": "error"}
    assert by_name(ev, "iam.unused_credentials_disabled") == {"alice": "pass", "bob": "error", "svc": "error"}
    assert by_name(ev, "iam.access_keys_rotated") == {"alice": "skip", "bob": "error", "svc": "error"}
    assert by_name(ev, "iam.users_no_direct_policies")["bob"] == "fail"


def test_report_rows_of_deleted_users_are_dropped(access: Any, seed: Any) -> None:
    seed("iam").create_user(UserName="current")
    header = AWS_REPORT.splitlines()[0]
    gone = f"gone,arn:aws:iam::{ACCOUNT}:user/gone,2026-01-01T00:00:00+00:00" + ",false" * 2 + ",N/A" * 17
    access.hooks.append(("before-call", answer(
        "iam:GetCredentialReport", {"Content": f"{header}\n{gone}\n".encode(), "ReportFormat": "text/csv"})))
    assert [u.name for u in scan(access, ["iam"]).of(IamUser)] == ["current"]


ROOT_ROW = (f"<root_account>,{ROOT_ARN},2019-01-01T10:00:00+00:00,not_supported,2019-02-01T08:00:00+00:00,"
            "not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A")


def with_root_row(model: Any, parsed: dict[str, Any], **_: Any) -> None:
    """moto's credential report has no <root_account> row; AWS's always has one, second line."""
    if action_of(model) == "iam:GetCredentialReport" and "Content" in parsed:
        header, _, rest = parsed["Content"].decode().partition("\n")
        parsed["Content"] = f"{header}\n{ROOT_ROW}\n{rest}".encode()


def test_root_use_from_the_report(access: Any, seed: Any) -> None:
    seed("iam")
    access.hooks.append(("before-call", answer("iam:GetCredentialReport",
                                               {"Content": AWS_REPORT.encode(), "ReportFormat": "text/csv"})))
    inv = scan(access, ["iam"])
    [root] = inv.of(IamRoot)
    assert root.in_report and root.password_last_used == datetime(2026, 5, 30, 8, tzinfo=UTC)
    inv.meta = inv.meta.model_copy(update={"finished_at": datetime(2026, 6, 1, tzinfo=UTC)})
    [found] = findings_of(evaluate(inv), "iam.root_not_used_recently")
    assert (found.status.value, found.message) == (
        "fail", "root user signed in with its password 1 days ago (within 90 days)")
    inv.meta = inv.meta.model_copy(update={"finished_at": datetime(2027, 1, 1, tzinfo=UTC)})
    assert by_name(evaluate(inv), "iam.root_not_used_recently") == {"root": "pass"}


def test_moto_report_without_root_row_is_error(access: Any, seed: Any) -> None:
    _estate(seed)
    [found] = findings_of(evaluate(scan(access, ["iam"])), "iam.root_not_used_recently")
    assert found.status.value == "error" and "no row for the root user" in found.message


def test_support_role(access: Any, seed: Any) -> None:
    _estate(seed)
    assert by_name(evaluate(scan(access, ["iam"])), "iam.support_role_exists") == {ACCOUNT: "fail"}


def test_support_role_attached(access: Any, seed: Any) -> None:
    """moto attaches AWS-managed policies only when told to load them (slow); AWS's GAAD answer is played here."""
    seed("iam").create_role(RoleName="support-desk", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))

    def attach(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        for role in parsed.get("RoleDetailList") or [] if action_of(model) == collector.GAAD else []:
            role["AttachedManagedPolicies"] = [{"PolicyName": "AWSSupportAccess",
                                                "PolicyArn": "arn:aws:iam::aws:policy/AWSSupportAccess"}]

    access.hooks.append(("after-call", attach))
    [found] = findings_of(evaluate(scan(access, ["iam"])), "iam.support_role_exists")
    assert (found.status.value, found.message) == ("pass", "AWSSupportAccess is attached to role support-desk")


@pytest.mark.parametrize("permission", IAM_PERMISSIONS)
def test_denied_read_is_error_never_pass_or_fail(access: Any, seed: Any, permission: str) -> None:
    _estate(seed)
    access.hooks.append(("after-call", with_root_row))
    access.hooks.append(("before-call", deny({permission})))
    ev = evaluate(scan(access, ["iam"]))
    assert not ev.inventory.complete
    affected = [cid for cid, c in IAM_CONTROLS.items() if permission in c.needs]
    assert affected, f"no control needs {permission}"
    for cid in IAM_CONTROLS:
        statuses = {f.status.value for f in findings_of(ev, cid)}
        if cid in affected:
            assert statuses == {"error"}, (cid, statuses)
            assert all(permission in f.message for f in findings_of(ev, cid))
        else:
            assert statuses and "error" not in statuses, (cid, statuses)


def test_demo_estate_names_match_verdicts(access: Any, seed: Any) -> None:
    demo_estate.seed(lambda service, region: seed(service, region), ["us-east-1", "eu-west-1"])
    ev = evaluate(scan(access, ["iam"]))
    expected = {
        "iam.console_users_have_mfa": ["pass-analyst-mfa", "fail-contractor-no-mfa", "skip-etl-service"],
        "iam.users_no_direct_policies": ["fail-reporting-direct-policy", "fail-legacy-inline-policy"],
    }
    for cid, names in expected.items():
        got = by_name(ev, cid)
        for name in names:
            assert got[name] == name.split("-", 1)[0], (cid, name, got[name])
    assert by_name(ev, "iam.password_policy_strong") == {"account password policy": "fail"}
    [admin] = findings_of(ev, "iam.no_full_admin_policies")
    assert admin.status.value == "fail" and "fail-admin-everything" in admin.message
    assert "fail-break-glass" in admin.message and "pass-" not in admin.message
    assert by_name(ev, "iam.third_party_role_trusts_require_external_id") == {
        "pass-data-pipeline": "pass", "fail-break-glass": "fail", "ci-instance-launcher": "skip",
        "support-desk": "skip", "CloudWatch-CrossAccountSharingRole": "fail"}
    assert by_name(ev, "iam.groups_have_members") == {
        "analysts": "pass", "etl-services": "pass", "fail-retired-auditors": "fail"}
    assert by_name(ev, "iam.customer_policies_attached") == {
        "pass-reports-read": "pass", "pass-etl-staging-write": "pass", "pass-cloudwatch-sharing-read": "pass",
        "fail-admin-everything": "fail"}
    assert by_name(ev, "iam.cloudwatch_sharing_role_trusts_own_accounts") == {ACCOUNT: "fail"}
    assert by_name(ev, "iam.users_single_active_access_key")["fail-two-active-keys"] == "fail"
    assert by_name(ev, "iam.server_certificates_not_expired") == {"fail-legacy-portal-cert": "fail"}
    messages = {cid: findings_of(ev, cid)[0].message for cid in (
        "iam.admin_policy_only_on_approved_roles", "iam.broad_managed_policies_not_attached",
        "iam.no_privilege_escalation_paths", "iam.audit_logging_changes_limited_to_admins",
        "iam.marketplace_subscribe_restricted", "iam.support_role_exists")}
    assert messages["iam.admin_policy_only_on_approved_roles"] == \
        "AdministratorAccess is attached to user fail-legacy-inline-policy"
    assert "AWSCloudShellFullAccess" in messages["iam.broad_managed_policies_not_attached"]
    # PowerUserAccess supplies the services, the inline policy iam:PassRole: every pass-a-role path is open
    assert messages["iam.no_privilege_escalation_paths"].startswith(
        "privilege escalation paths: role ci-instance-launcher: can escalate (iam:PassRole + ec2:RunInstances, "
        "iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction")
    assert messages["iam.audit_logging_changes_limited_to_admins"].startswith(
        "users or roles that can switch off audit logging or detection: role ci-instance-launcher")
    assert "role ci-instance-launcher" in messages["iam.marketplace_subscribe_restricted"]
    assert messages["iam.support_role_exists"] == "AWSSupportAccess is attached to role support-desk"
    assert ev.inventory.complete


def test_server_certificates_listed_in_one_call(access: Any, seed: Any) -> None:
    iam = seed("iam")
    for n in range(3):
        iam.upload_server_certificate(ServerCertificateName=f"cert-{n}", Path="/cloudfront/", CertificateBody=CERT,
                                      PrivateKey="not-a-key")
    inv = scan(access, ["iam"])
    certs = sorted(inv.of(IamServerCertificate), key=lambda c: c.name)
    assert (certs[0].name, certs[0].path, certs[0].arn) == (
        "cert-0", "/cloudfront/", f"arn:aws:iam::{ACCOUNT}:server-certificate/cloudfront/cert-0")
    assert all(c.expiration is not None and c.expiration.year == 2012 for c in certs)  # moto's fixed date
    assert inv.meta.api_calls["iam:ListServerCertificates"] == 1
    assert set(by_name(evaluate(inv), "iam.server_certificates_not_expired").values()) == {"fail"}


# -- the credential report as AWS writes it (moto's has no root row) ---------------------------------

AWS_REPORT = """user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,\
password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,\
access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,\
access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,\
cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2019-01-01T10:00:00+00:00,not_supported,2026-05-30T08:00:00+00:00,\
not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,true,2020-02-02T00:00:00+00:00,\
2026-01-01T00:00:00+00:00,us-east-1,s3,false,N/A,false,N/A
carol,arn:aws:iam::123456789012:user/ops/carol,2024-03-01T09:30:00+00:00,true,no_information,\
2024-03-01T09:31:00+00:00,2024-05-30T09:31:00+00:00,false,false,2024-03-01T09:32:00+00:00,N/A,N/A,N/A,false,N/A,\
N/A,N/A,N/A,false,N/A,false,N/A
"""


def test_parse_aws_credential_report() -> None:
    rows = collector.parse_report(AWS_REPORT.encode())
    assert set(rows) == {collector.ROOT_ROW, "arn:aws:iam::123456789012:user/ops/carol"}
    root_keys = collector.access_keys(rows[collector.ROOT_ROW])
    assert root_keys is not None and [(k.slot, k.active) for k in root_keys] == [(2, True)]
    assert root_keys[0].last_used == datetime(2026, 1, 1, tzinfo=UTC)
    carol = rows["arn:aws:iam::123456789012:user/ops/carol"]
    assert collector.report_bool(carol["password_enabled"]) is True
    assert collector.report_date(carol["password_last_used"]) is None  # no_information: never used
    assert collector.report_date(carol["password_last_changed"]) == datetime(2024, 3, 1, 9, 31, tzinfo=UTC)
    carol_keys = collector.access_keys(carol)
    assert carol_keys is not None and [(k.slot, k.active, k.last_used) for k in carol_keys] == [(1, False, None)]
    assert collector.report_bool("not_supported") is None
    assert collector.report_date("2024-03-01T09:31:00Z") == datetime(2024, 3, 1, 9, 31, tzinfo=UTC)
    assert collector.report_date("garbage") is None and collector.report_date("2024-03-01T09:31:00") is None
    assert collector.access_keys({"user": "x"}) is None  # columns missing: unknown, not "no keys"


def test_policy_document_decoding() -> None:
    assert collector.policy_document(SCOPED) == SCOPED
    assert collector.policy_document("%7B%22Statement%22%3A%20%5B%5D%7D") == {"Statement": []}
    assert collector.policy_document("not json") is None and collector.policy_document(None) is None


# -- group members, policy use and the CloudWatch sharing role, from the same listing -------------

def test_group_members_and_policy_use(access: Any, seed: Any) -> None:
    _estate(seed)
    iam = seed("iam")
    iam.create_group(GroupName="former-contractors")
    boundary = iam.create_policy(PolicyName="boundary", PolicyDocument=json.dumps(SCOPED))["Policy"]["Arn"]
    iam.create_role(RoleName="sandboxed", AssumeRolePolicyDocument=json.dumps(EC2_TRUST), PermissionsBoundary=boundary)
    inv = scan(access, ["iam"])
    groups = {g.name: g for g in inv.of(IamGroup)}
    assert (groups["devs"].members, groups["former-contractors"].members) == (("alice",), ())
    policies = {p.name: p for p in inv.of(IamPolicy)}
    # moto omits PermissionsBoundaryUsageCount: the boundaries named on users and roles are counted instead
    assert {n: (p.attachment_count, p.boundary_count) for n, p in policies.items()} == {
        "scoped": (2, 0), "admin-all": (0, 0), "boundary": (0, 1)}
    ev = evaluate(inv)
    assert by_name(ev, "iam.groups_have_members") == {"devs": "pass", "former-contractors": "fail"}
    assert by_name(ev, "iam.customer_policies_attached") == {"scoped": "pass", "admin-all": "fail", "boundary": "pass"}
    assert by_name(ev, "iam.cloudwatch_sharing_role_trusts_own_accounts") == {ACCOUNT: "skip"}
    assert sum(inv.meta.api_calls.values()) <= 12  # no call per group or policy


def test_aws_boundary_usage_count_is_used_as_stated(access: Any, seed: Any) -> None:
    seed("iam").create_policy(PolicyName="boundary", PolicyDocument=json.dumps(SCOPED))

    def stated(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        for p in parsed.get("Policies") or [] if action_of(model) == collector.GAAD else []:
            p["PermissionsBoundaryUsageCount"] = 3

    access.hooks.append(("after-call", stated))
    inv = scan(access, ["iam"])
    [policy] = inv.of(IamPolicy)
    assert policy.boundary_count == 3
    assert by_name(evaluate(inv), "iam.customer_policies_attached") == {"boundary": "pass"}


def test_incomplete_listing_leaves_members_and_boundaries_unknown(access: Any, seed: Any) -> None:
    """A second page that fails may hold any group's members and any boundary: unknown, never "none"."""
    _estate(seed)
    calls: list[str] = []

    def second_page_denied(model: Any, **_: Any) -> Any:
        if action_of(model) != collector.GAAD:
            return None
        calls.append("GAAD")
        return error_response("AccessDenied", "denied") if len(calls) > 1 else None

    def truncated(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        if action_of(model) == collector.GAAD and "UserDetailList" in parsed:
            parsed.update(IsTruncated=True, Marker="page-2")

    access.hooks += [("before-call", second_page_denied), ("after-call", truncated)]
    inv = scan(access, ["iam"])
    assert calls == ["GAAD", "GAAD"]
    assert [g.members for g in inv.of(IamGroup)] == [None]
    assert {p.boundary_count for p in inv.of(IamPolicy)} == {None}
    ev = evaluate(inv)
    for cid in ("iam.groups_have_members", "iam.customer_policies_attached",
                "iam.cloudwatch_sharing_role_trusts_own_accounts"):
        assert {f.status.value for f in findings_of(ev, cid)} == {"error"}, cid


SHARING = "CloudWatch-CrossAccountSharingRole"


def test_cloudwatch_sharing_role_outside_the_organisation(access: Any, seed: Any) -> None:
    trust = {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                            "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]}}]}
    seed("iam").create_role(RoleName=SHARING, AssumeRolePolicyDocument=json.dumps(trust))
    inv = scan(access, ["iam"])
    cid = "iam.cloudwatch_sharing_role_trusts_own_accounts"
    [found] = findings_of(evaluate(inv), cid)
    assert (found.status.value, found.message) == (
        "fail", f"{SHARING} lets account 111122223333 outside the organisation read this account's CloudWatch data")
    approved = evaluate(inv, params={cid: {"trusted_accounts": ["111122223333"]}})
    assert by_name(approved, cid) == {ACCOUNT: "pass"}
