"""IAM credential controls beyond the basics: one active access key per user, no expired server
certificates, cross-account role trusts that third parties cannot misuse, and CloudWatch data shared only
within the organisation."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from assay.controls.iam_access import action_matches
from assay.controls.policy import as_list, statements
from assay.controls.registry import Remediation, control
from assay.models.base import Account
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.iam import IamRole, IamUser
from assay.models.resources.iam_certificates import IamServerCertificate

REPORT = ["iam:GenerateCredentialReport", "iam:GetCredentialReport"]
GAAD = "iam:GetAccountAuthorizationDetails"


@control(
    id="iam.users_single_active_access_key",
    title="IAM users have at most one active access key",
    severity="medium",
    needs=REPORT,
    rationale="IAM lets a user hold two keys so that one can replace the other during a rotation; a user who "
    "keeps both active after the switch has a second long-lived secret that nobody uses on purpose and "
    "nobody will miss if it leaks. One active key per user keeps every credential accounted for and "
    "withdrawn when it is replaced (CC6.1, CC6.2).",
    remediation=Remediation(
        console="IAM console > Users > the user > Security credentials > Access keys: check 'Last used' on each "
        "key, then Actions > Deactivate on the one no longer in use, and Delete it once nothing breaks.",
        cli="aws iam list-access-keys --user-name <user>\n"
        "aws iam get-access-key-last-used --access-key-id <key-id>\n"
        "aws iam update-access-key --user-name <user> --access-key-id <old-key-id> --status Inactive",
        terraform="# Keep one aws_iam_access_key resource per user; during a rotation create the new one with\n"
        "# lifecycle { create_before_destroy = true } so the old key is destroyed in the same apply.",
    ),
)
def users_single_active_access_key(user: IamUser) -> Outcome:
    if user.access_keys is None:
        return Error("no credential report data for this user")
    active = [k for k in user.access_keys if k.active]
    if not active:
        return Skip("user has no active access key")
    if len(active) > 1:
        return Fail(f"user {user.display_name} has {len(active)} active access keys")
    return Pass("user has one active access key")


@control(
    id="iam.server_certificates_not_expired",
    title="IAM server certificates are not expired",
    severity="medium",
    needs=["iam:ListServerCertificates"],
    rationale="A server certificate kept in IAM after it expired can still be attached to a load balancer or "
    "CloudFront distribution by mistake, breaking TLS for clients or training them to click through "
    "warnings; removing expired ones keeps the certificates that protect data in transit valid (CC6.7). "
    "Set min_days_left to be warned before the expiry date.",
    remediation=Remediation(
        console="IAM server certificates have no console page: use the CLI. Replace the certificate where it is "
        "used (preferably with an ACM certificate), then delete the expired one.",
        cli="aws iam list-server-certificates\n"
        "aws iam delete-server-certificate --server-certificate-name <name>",
        terraform="# Remove the aws_iam_server_certificate resource, or replace it with an ACM certificate:\n"
        'resource "aws_acm_certificate" "site" {\n  domain_name       = "www.example.com"\n'
        '  validation_method = "DNS"\n}',
    ),
)
def server_certificates_not_expired(cert: IamServerCertificate, now: datetime, *, min_days_left: int = 0) -> Outcome:
    if cert.expiration is None:
        return Error("the certificate's expiry date was not reported")
    days = (cert.expiration - now).days
    if cert.expiration <= now:
        return Fail(f"certificate {cert.display_name} expired {-days} days ago")
    if days < min_days_left:
        return Fail(f"certificate {cert.display_name} expires in {days} days (minimum {min_days_left})")
    return Pass(f"certificate is valid for {days} more days")


_ACCOUNT = re.compile(r"^(?:\d{12}|arn:aws[\w-]*:(?:iam|sts)::(\d{12}):.*)$")
# Conditions that keep a trust to an outside account, or to everyone, from serving any caller.
_ORG = frozenset({"aws:principalorgid", "aws:principalorgpaths"})
_FOR_ACCOUNTS = _ORG | {"sts:externalid"}
_FOR_ANYONE = _FOR_ACCOUNTS | {"aws:principalaccount", "aws:principalarn", "aws:sourceaccount", "aws:sourcearn"}


def _condition_keys(statement: dict[str, Any]) -> set[str]:
    keys: set[str] = set()
    for operands in (statement.get("Condition") or {}).values():
        if isinstance(operands, dict):
            keys |= {str(k).lower() for k in operands}
    return keys


def _account_of(principal: str) -> str | None:
    m = _ACCOUNT.match(principal)
    return (m.group(1) or principal) if m else None


def outside_trusts(role: IamRole, trusted: set[str], *, org_only: bool = False) -> dict[str, bool]:
    """Principals outside the `trusted` accounts that the trust policy lets assume the role, each with whether a
    condition narrows the trust (an external ID, or the caller's organisation or account). With org_only, only
    a condition on the caller's organisation narrows: an external ID still lets the outside account in."""
    out: dict[str, bool] = {}
    for st in statements(role.trust_policy):
        if st.get("Effect") != "Allow" or not any(action_matches(str(a), "sts:AssumeRole")
                                                  for a in as_list(st.get("Action"))):
            continue
        principal = st.get("Principal")
        aws = ["*"] if principal == "*" else as_list(principal.get("AWS")) if isinstance(principal, dict) else []
        keys = _condition_keys(st)
        for p in map(str, aws):
            if p == "*":
                who, narrowed = "any AWS account ('*')", bool(keys & (_ORG if org_only else _FOR_ANYONE))
            elif (account := _account_of(p)) is not None and account not in trusted:
                who = f"account {account}"
                narrowed = bool(keys & (_ORG if org_only else _FOR_ACCOUNTS))
            else:
                continue
            out[who] = out.get(who, True) and narrowed
    return out


@control(
    id="iam.third_party_role_trusts_require_external_id",
    title="Roles that accounts outside the organisation can assume require an external ID",
    severity="high",
    needs=[GAAD],
    rationale="Vendors such as monitoring, backup or cost tools reach the account by assuming a role from their "
    "own AWS account. Without an sts:ExternalId condition, any customer of that vendor who learns the role's "
    "ARN can make the vendor act on this account (the confused deputy problem), and a trust to '*' lets every "
    "AWS account in. Requiring the external ID the vendor issued is how vendor access is kept to the agreed "
    "relationship (CC9.2) and external access to the environment restricted (CC6.1). Accounts in the same "
    "scan, in trusted_accounts, or checked with aws:PrincipalOrgID count as the organisation's own.",
    remediation=Remediation(
        console="IAM console > Roles > the role > Trust relationships > Edit trust policy: add a condition "
        "\"StringEquals\": {\"sts:ExternalId\": \"<id the vendor gave you>\"} to the statement that trusts the "
        "vendor's account (or aws:PrincipalOrgID for the organisation's own accounts) > Update policy.",
        cli="aws iam update-assume-role-policy --role-name <role> --policy-document file://trust-with-external-id.json",
        terraform='data "aws_iam_policy_document" "vendor_trust" {\n  statement {\n'
        '    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "AWS"\n'
        '      identifiers = ["arn:aws:iam::<vendor-account>:root"]\n    }\n    condition {\n'
        '      test     = "StringEquals"\n      variable = "sts:ExternalId"\n'
        "      values   = [var.vendor_external_id]\n    }\n  }\n}",
    ),
)
def third_party_role_trusts_require_external_id(
    role: IamRole, inv: Inventory, *, trusted_accounts: list[str] = [],  # noqa: B006
) -> Outcome:
    """trusted_accounts: account ids of the organisation's own accounts that are not part of the scan."""
    if role.service_linked:
        return Skip("service-linked role: its trust policy belongs to an AWS service")
    if role.trust_policy is None:
        return Error("the role's trust policy could not be read")
    outside = outside_trusts(role, {role.account_id, *inv.account_ids(), *trusted_accounts})
    if open_to := sorted(who for who, narrowed in outside.items() if not narrowed):
        return Fail(f"role {role.display_name} can be assumed without an external ID by " + ", ".join(open_to))
    if outside:
        return Pass("outside accounts may assume the role only with an external ID or an organisation condition: "
                    + ", ".join(sorted(outside)))
    return Skip("the role trusts no AWS account outside the organisation")


CLOUDWATCH_SHARING_ROLE = "CloudWatch-CrossAccountSharingRole"


@control(
    id="iam.cloudwatch_sharing_role_trusts_own_accounts",
    title="The CloudWatch cross-account sharing role trusts only the organisation's own accounts",
    severity="medium",
    needs=[GAAD],
    rationale="Turning on CloudWatch cross-account sharing creates the role CloudWatch-CrossAccountSharingRole, "
    "which the accounts named in its trust policy assume to read this account's metrics, alarms and "
    "dashboards and, with the options usually chosen, its log events and X-Ray traces: application data "
    "that can hold personal or confidential details. Sharing it with the organisation's central monitoring "
    "account is normal; sharing it with an account outside the organisation moves that information to a "
    "party nobody may have approved, and an external ID does not change who receives it. Keeping the "
    "trust to the organisation's own accounts restricts the movement of information to authorised users "
    "(CC6.7) and external access to the environment (CC6.1). Accounts in the same scan, in "
    "trusted_accounts (an approved monitoring vendor included), or admitted by an aws:PrincipalOrgID or "
    "aws:PrincipalOrgPaths condition count as the organisation's own.",
    remediation=Remediation(
        console="IAM console > Roles > CloudWatch-CrossAccountSharingRole > Trust relationships > Edit trust "
        "policy: keep only the monitoring accounts of your organisation (or add an aws:PrincipalOrgID "
        "condition) > Update policy. If sharing is no longer wanted: CloudWatch console > Settings > "
        "Cross-account cross-region > Share your data > Disable, then delete the role.",
        cli="aws iam get-role --role-name CloudWatch-CrossAccountSharingRole --query Role.AssumeRolePolicyDocument\n"
        "aws iam update-assume-role-policy --role-name CloudWatch-CrossAccountSharingRole "
        "--policy-document file://monitoring-accounts-only.json",
        terraform='data "aws_iam_policy_document" "cloudwatch_sharing" {\n  statement {\n'
        '    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "AWS"\n'
        '      identifiers = ["arn:aws:iam::<monitoring-account>:root"]\n    }\n    condition {\n'
        '      test     = "StringEquals"\n      variable = "aws:PrincipalOrgID"\n'
        "      values   = [var.organization_id]\n    }\n  }\n}\n"
        'resource "aws_iam_role" "cloudwatch_sharing" {\n  name               = "CloudWatch-CrossAccountSharingRole"\n'
        "  assume_role_policy = data.aws_iam_policy_document.cloudwatch_sharing.json\n}",
    ),
)
def cloudwatch_sharing_role_trusts_own_accounts(
    account: Account, inv: Inventory, *, role_name: str = CLOUDWATCH_SHARING_ROLE,
    trusted_accounts: list[str] = [],  # noqa: B006
) -> Outcome:
    """Account-level: one finding per account, Skip where CloudWatch data is not shared at all.

    trusted_accounts: account ids of the organisation's own (or approved) accounts that are not part of the scan.
    """
    role = next((r for r in inv.in_account(IamRole, account.account_id) if r.name == role_name), None)
    if role is None:
        return Skip(f"the account has no {role_name} role: it shares no CloudWatch data with other accounts")
    if role.trust_policy is None:
        return Error(f"the trust policy of {role_name} could not be read")
    outside = outside_trusts(role, {account.account_id, *inv.account_ids(), *trusted_accounts}, org_only=True)
    if open_to := sorted(who for who, narrowed in outside.items() if not narrowed):
        return Fail(f"{role_name} lets {', '.join(open_to)} outside the organisation read this account's "
                    "CloudWatch data")
    if outside:
        return Pass(f"{role_name} admits {', '.join(sorted(outside))} only with an organisation condition")
    return Pass(f"{role_name} is assumable only by accounts of this scan or trusted_accounts")
