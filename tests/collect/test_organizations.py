"""AWS Organizations collector against moto's server (and botocore's Stubber for a member account).
Denied reads are ERROR, never PASS or FAIL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.registry import load_collectors
from assay.faults import deny
from assay.models.resources.organizations import Organization
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import ACCOUNT, evaluate, findings_of, scan

PERMISSIONS = load_collectors()["organizations.collect_organization"].permissions
IN_ORG = "organizations.account_in_organization"
SCPS = "organizations.scps_attached"
DENY_LEAVE = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization",
                                                      "Resource": "*"}]}


def _org(seed: Any, attach: bool = True) -> str:
    org = seed("organizations")
    org_id = str(org.create_organization(FeatureSet="ALL")["Organization"]["Id"])
    policy = org.create_policy(Name="guardrails", Description="baseline", Type="SERVICE_CONTROL_POLICY",
                               Content=json.dumps(DENY_LEAVE))["Policy"]["PolicySummary"]["Id"]
    if attach:
        root = org.list_roots()["Roots"][0]["Id"]
        org.attach_policy(PolicyId=policy, TargetId=root)
    return org_id


def verdicts(ev: Any) -> dict[str, tuple[str, str]]:
    return {cid: next((f.status.value, f.message) for f in findings_of(ev, cid)) for cid in (IN_ORG, SCPS)}


def test_management_account_with_attached_scp(access: Any, seed: Any) -> None:
    org_id = _org(seed)
    inv = scan(access, ["organizations"])
    assert inv.complete and not inv.errors
    [org] = inv.of(Organization)
    assert org.in_organization and org.is_management_account and org.feature_set == "ALL"
    assert org.arn == f"arn:aws:organizations::{ACCOUNT}:account/{org_id}/{ACCOUNT}"
    assert org.scps is not None and list(org.scps) == ["guardrails"] and org.scps["guardrails"][0].startswith("ROOT")
    got = verdicts(evaluate(inv))
    assert got[IN_ORG] == ("pass", f"account is in organization {org_id} as management account")
    assert got[SCPS][0] == "pass" and got[SCPS][1].startswith("1 custom SCP(s) attached: guardrails on ROOT")


def test_scp_created_but_attached_nowhere_fails(access: Any, seed: Any) -> None:
    _org(seed, attach=False)
    status, message = verdicts(evaluate(scan(access, ["organizations"])))[SCPS]
    assert status == "fail" and "guardrails attached nowhere" in message


def test_standalone_account_fails_membership_and_skips_scps(access: Any, seed: Any) -> None:
    inv = scan(access, ["organizations"])
    assert inv.complete and not inv.errors  # AWSOrganizationsNotInUseException is an answer
    got = verdicts(evaluate(inv))
    assert got[IN_ORG] == ("fail", f"account {ACCOUNT} is not a member of any AWS Organization")
    assert got[SCPS][0] == "skip" and "AWSOrganizationsNotInUseException" in got[SCPS][1]


@pytest.mark.parametrize("action", PERMISSIONS)
def test_every_denied_read_errors_and_never_judges(access: Any, seed: Any, action: str) -> None:
    _org(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["organizations"]))
    for cid in (IN_ORG, SCPS):
        found = findings_of(ev, cid)
        if action == "organizations:DescribeOrganization" or cid == SCPS:
            assert [f.status.value for f in found] == ["error"] and action in found[0].message, cid
        else:
            assert [f.status.value for f in found] == ["pass"]  # membership was read


def test_member_account_cannot_list_scps_is_error() -> None:
    """A member account may describe its organisation but not list policies: AWS says AccessDenied."""
    def script(stub: Stubber, region: str) -> None:
        stub.add_response("describe_organization", {"Organization": {
            "Id": "o-abc1234567", "Arn": "arn:aws:organizations::999988887777:organization/o-abc1234567",
            "FeatureSet": "ALL", "MasterAccountId": "999988887777", "MasterAccountEmail": "root@example.com",
            "MasterAccountArn": "arn:aws:organizations::999988887777:account/o-abc1234567/999988887777"}})
        stub.add_client_error("list_policies", service_error_code="AccessDeniedException", http_status_code=400,
                              service_message="You don't have permissions to access this resource.")

    ev = evaluate(stubbed_scan("organizations", ["us-east-1"], script))
    got = verdicts(ev)
    assert got[IN_ORG] == ("pass", "account is in organization o-abc1234567 as member (management: 999988887777)")
    assert got[SCPS][0] == "error" and "organizations:ListPolicies" in got[SCPS][1]
