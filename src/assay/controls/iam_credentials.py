"""IAM credential controls beyond the basics: one active access key per user, no expired server
certificates, and cross-account role trusts that third parties cannot misuse."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from assay.controls.iam_access import action_matches
from assay.controls.policy import as_list, statements
from assay.controls.registry import Remediation, control
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
# Conditions that keep a trust to an account or to everyone from serving any caller.
_NARROWING = ("sts:externalid", "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount",
              "aws:principalarn", "aws:sourceaccount", "aws:sourcearn")


def _condition_keys(statement: dict[str, Any]) -> set[str]:
    keys: set[str] = set()
    for operands in (statement.get("Condition") or {}).values():
        if isinstance(operands, dict):
            keys |= {str(k).lower() for k in operands}
    return keys


def _account_of(principal: str) -> str | None:
    m = _ACCOUNT.match(principal)
    return (m.group(1) or principal) if m else None


def outside_trusts(role: IamRole, trusted: set[str]) -> dict[str, bool]:
    """Principals outside the `trusted` accounts that the trust policy lets assume the role, each with whether a
    condition narrows the trust (an external ID, or the caller's organisation or account)."""
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
                who, narrowed = "any AWS account ('*')", bool(keys & set(_NARROWING))
            elif (account := _account_of(p)) is not None and account not in trusted:
                who = f"account {account}"
                narrowed = bool(keys & {"sts:externalid", "aws:principalorgid", "aws:principalorgpaths"})
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
