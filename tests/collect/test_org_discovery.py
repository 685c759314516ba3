"""--organization: accounts discovered through AWS Organizations on moto's server, filtered by OU and
account id, each entered through an assumed role; a member that cannot be entered fails alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from assay.collect.organization import DISCOVERY_PERMISSIONS, discover, member_accesses
from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.collect.targets import OrgOptions, build_targets
from assay.demo.server import seed_client
from assay.errors import CredentialError, UsageError
from assay.faults import deny, error_response
from assay.models.resources.kms import KmsKey
from assay.permissions import policy_document
from tests.helpers import ACCOUNT

REGION = "us-east-1"


@dataclass
class Org:
    root: str
    prod: str  # OU with member `a` and the nested OU `payments` (member `b`)
    payments: str
    dev: str  # OU with member `c`
    a: str
    b: str
    c: str
    closed: str  # a SUSPENDED member, directly under the root


def _member(org: Any, name: str) -> str:
    status = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
    return str(status["AccountId"])


@pytest.fixture()
def org(seed: Callable[..., Any]) -> Org:
    client = seed("organizations")
    client.create_organization(FeatureSet="ALL")
    root = client.list_roots()["Roots"][0]["Id"]

    def ou(name: str, parent: str) -> str:
        return str(client.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"])

    prod = ou("prod", root)
    payments = ou("payments", prod)
    dev = ou("dev", root)
    a, b, c, closed = (_member(client, n) for n in ("shop", "payments", "sandbox", "retired"))
    for acct, parent in ((a, prod), (b, payments), (c, dev)):
        client.move_account(AccountId=acct, SourceParentId=root, DestinationParentId=parent)
    client.close_account(AccountId=closed)
    return Org(root, prod, payments, dev, a, b, c, closed)


def test_all_active_accounts_are_discovered(access: AwsAccess, org: Org) -> None:
    found = discover(access)
    ids = [a.id for a in found.accounts]
    assert ids == sorted([ACCOUNT, org.a, org.b, org.c])  # the management account is a member too
    assert [(a.id, a.state) for a in found.skipped] == [(org.closed, "SUSPENDED")]
    assert found.caller_account == ACCOUNT and found.calls["organizations:ListAccounts"] >= 1


def test_ou_filter_is_recursive(access: AwsAccess, org: Org) -> None:
    assert [a.id for a in discover(access, ous=[org.prod]).accounts] == sorted([org.a, org.b])
    assert [a.id for a in discover(access, ous=[org.payments]).accounts] == [org.b]
    assert [a.id for a in discover(access, ous=[org.prod, org.dev]).accounts] == sorted([org.a, org.b, org.c])
    found = discover(access, ous=[org.prod])
    assert found.calls["organizations:ListAccountsForParent"] == 2 and found.calls["organizations:ListChildren"] == 2


def test_account_filters(access: AwsAccess, org: Org) -> None:
    assert [a.id for a in discover(access, include=[org.c]).accounts] == [org.c]
    assert [a.id for a in discover(access, exclude=[ACCOUNT, org.a]).accounts] == sorted([org.b, org.c])
    assert [a.id for a in discover(access, ous=[org.prod], exclude=[org.b]).accounts] == [org.a]
    with pytest.raises(UsageError, match=f"--account {org.c} not found in the selected organizational units"):
        discover(access, ous=[org.prod], include=[org.c])
    with pytest.raises(UsageError, match="12-digit"):
        discover(access, include=["12345"])


def test_bad_or_unknown_ou(access: AwsAccess, org: Org) -> None:
    with pytest.raises(UsageError, match="not an organizational unit"):
        discover(access, ous=["prod"])
    with pytest.raises(UsageError, match="organizational unit not found"):
        discover(access, ous=["ou-zzzz-zzzzzzzz"])


def test_discovery_needs_an_organization_and_permission(access: AwsAccess, seed: Any) -> None:
    with pytest.raises(UsageError, match="not in an AWS Organization"):
        discover(access)
    seed("organizations").create_organization(FeatureSet="ALL")
    denied = AwsAccess(endpoint_url=access.endpoint_url, home_region=REGION,
                       hooks=[("before-call", deny({"organizations:ListAccounts"}))])
    with pytest.raises(CredentialError, match=r"grant organizations:ListAccounts.*delegated administrator"):
        discover(denied)
    assert [a.id for a in discover(access).accounts] == [ACCOUNT]


def refuse_role(role_arn: str) -> Any:
    """AssumeRole into one role answered AccessDenied, as when its trust policy does not name the caller."""

    def hook(model: Any, params: dict[str, Any], **_: Any) -> Any:
        if model.name == "AssumeRole" and params.get("body", {}).get("RoleArn") == role_arn:
            return error_response("AccessDenied", f"User is not authorized to perform: sts:AssumeRole on {role_arn}")
        return None

    return hook


def test_organization_scan_with_a_member_that_cannot_be_entered(access: AwsAccess, org: Org, seed: Any) -> None:
    for acct in (org.a, org.c):  # one key per member, created from inside it
        creds = seed("sts").assume_role(RoleArn=f"arn:aws:iam::{acct}:role/AssayScan",
                                        RoleSessionName="setup")["Credentials"]
        kms = seed_client(access.endpoint_url or "", "kms", REGION, {
            "aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"]})
        kms.create_key(Description=f"key of {acct}")
    blocked = f"arn:aws:iam::{org.b}:role/AssayScan"
    access.hooks.append(("before-call", refuse_role(blocked)))
    found = discover(access, exclude=[ACCOUNT])
    accesses = member_accesses(access, found, "AssayScan")
    assert [a.role_arn for a in accesses] == [f"arn:aws:iam::{x}:role/AssayScan" for x in sorted([org.a, org.b, org.c])]
    inv = collect(accesses, regions=[REGION], services=["kms"])
    by_id = {a.account_id: a for a in inv.accounts}
    assert by_id[org.b].status == "failed"
    assert "cannot assume role" in by_id[org.b].reason and "AccessDenied" in by_id[org.b].reason
    assert by_id[org.a].status == by_id[org.c].status == "scanned"
    assert "assumed-role/AssayScan" in by_id[org.a].caller_arn
    assert sorted(k.account_id for k in inv.of(KmsKey)) == sorted([org.a, org.c])  # each sees its own key only
    assert not inv.complete  # partial: one account could not be scanned


def test_caller_account_is_scanned_with_its_own_credentials(access: AwsAccess, org: Org) -> None:
    accesses = member_accesses(access, discover(access, include=[ACCOUNT, org.a]), "audit/AssayScan")
    # moto draws member account ids at random, so the order of the two (by account id) varies
    assert len(accesses) == 2 and sum(a is access for a in accesses) == 1
    member = next(a for a in accesses if a is not access)
    assert member.role_arn == f"arn:aws:iam::{org.a}:role/audit/AssayScan" and member.source is access
    with pytest.raises(UsageError, match="not an IAM role name"):
        member_accesses(access, discover(access, include=[org.a]), "bad role")


def test_targets_count_discovery_calls_in_the_inventory(endpoint: str, org: Org) -> None:
    targets = build_targets(endpoint_url=endpoint, max_rate=None,
                            organization=OrgOptions(ous=[org.dev], role="AssayScan"))
    assert [a.role_arn for a in targets.accesses] == [f"arn:aws:iam::{org.c}:role/AssayScan"]
    inv = targets.record(collect(targets.accesses, regions=[REGION], services=["kms"]))
    assert inv.account_ids() == [org.c] and inv.complete
    assert inv.meta.api_calls["organizations:ListAccountsForParent"] == 1
    assert inv.meta.api_calls["sts:GetCallerIdentity"] >= 1


def test_option_combinations_are_checked(endpoint: str) -> None:
    with pytest.raises(UsageError, match="--external-id needs"):
        build_targets(external_id="x")
    with pytest.raises(UsageError, match="at most one --profile"):
        build_targets(profiles=["a", "b"], organization=OrgOptions())
    with pytest.raises(UsageError, match="alternatives"):
        build_targets(organization=OrgOptions(), accounts_file=__import__("pathlib").Path("x.yaml"))
    assert [a.profile for a in build_targets(profiles=["a", "b"]).accesses] == ["a", "b"]


def test_discovery_reads_are_in_the_policy() -> None:
    statements = policy_document()["Statement"]
    actions = {a for st in statements for a in st["Action"]}
    assert set(DISCOVERY_PERMISSIONS) <= actions
    assert set(DISCOVERY_PERMISSIONS) == {"organizations:ListAccounts", "organizations:ListAccountsForParent",
                                          "organizations:ListChildren"}
