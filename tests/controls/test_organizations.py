"""AWS Organizations controls: pure functions over the account's Organization record."""

from __future__ import annotations

from typing import Any

from assay.controls import organizations
from assay.models.base import GLOBAL
from assay.models.findings import Status
from assay.models.resources.organizations import Organization

ACCOUNT = "123456789012"


def org(**over: Any) -> Organization:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:organizations::999988887777:account/o-abc/{ACCOUNT}", id="o-abc", name="o-abc",
        account_id=ACCOUNT, region=GLOBAL, in_organization=True, org_id="o-abc", management_account_id="999988887777",
        feature_set="ALL", scps={"guardrails": ("ROOT Root",), "region-lock": ("ORGANIZATIONAL_UNIT prod",)},
    )
    return Organization(**{**base, **over})


ALONE = Organization(arn=f"arn:aws:organizations::{ACCOUNT}:organization", id=ACCOUNT, name="no organization",
                     account_id=ACCOUNT, region=GLOBAL)


def test_account_in_organization() -> None:
    assert organizations.account_in_organization(org()) == (
        Status.PASS, "account is in organization o-abc as member (management: 999988887777)")
    assert organizations.account_in_organization(org(management_account_id=ACCOUNT)).message.endswith(
        "as management account")
    assert organizations.account_in_organization(ALONE) == (
        Status.FAIL, f"account {ACCOUNT} is not a member of any AWS Organization")


def test_scps_attached_pass() -> None:
    assert organizations.scps_attached(org()) == (
        Status.PASS, "2 custom SCP(s) attached: guardrails on ROOT Root; region-lock on ORGANIZATIONAL_UNIT prod")


def test_scps_attached_fail() -> None:
    assert organizations.scps_attached(org(scps={})) == (
        Status.FAIL, "no SCP other than FullAWSAccess is attached in organization o-abc")
    unused = organizations.scps_attached(org(scps={"draft": ()}))
    assert unused.status is Status.FAIL and "draft attached nowhere" in unused.message
    billing = organizations.scps_attached(org(feature_set="CONSOLIDATED_BILLING", scps={}))
    assert billing.status is Status.FAIL and "consolidated billing" in billing.message


def test_scps_attached_skip_outside_an_organization() -> None:
    outcome = organizations.scps_attached(ALONE)
    assert outcome.status is Status.SKIP and "not in an organization" in outcome.message


def test_scps_not_listed_is_error() -> None:
    assert organizations.scps_attached(org(scps=None)).status is Status.ERROR
