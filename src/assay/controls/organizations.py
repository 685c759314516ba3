"""AWS Organizations controls: the account is governed by an organisation, and guardrail SCPs apply."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.organizations import Organization

DESCRIBE = "organizations:DescribeOrganization"


@control(
    id="organizations.account_in_organization",
    title="The account belongs to an AWS Organization",
    severity="medium",
    needs=[DESCRIBE],
    rationale="An organisation gives central governance over every account: guardrail policies that even an "
    "account's administrators cannot lift, central CloudTrail, GuardDuty and Config, consolidated billing and "
    "a single place to see which accounts exist. A standalone account sits outside that structure, so the "
    "control environment the organisation defines does not reach it (CC5.1, CC5.2).",
    remediation=Remediation(
        console="From the management account: AWS Organizations console > AWS accounts > Add an AWS account > "
        "Invite an existing AWS account; then, signed in to this account: AWS Organizations > Invitations > "
        "Accept.",
        cli="# in the management account\naws organizations invite-account-to-organization --target "
        "Id=<account-id>,Type=ACCOUNT\n# in this account\naws organizations list-handshakes-for-account\n"
        "aws organizations accept-handshake --handshake-id <handshake-id>",
        terraform="# Accounts are best created inside the organisation from the start:\n"
        'resource "aws_organizations_account" "workload" {\n  name      = "workload"\n'
        '  email     = "aws-workload@example.com"\n  parent_id = aws_organizations_organizational_unit.prod.id\n}',
    ),
)
def account_in_organization(org: Organization) -> Outcome:
    if not org.in_organization:
        return Fail(f"account {org.account_id} is not a member of any AWS Organization")
    role = "management account" if org.is_management_account else f"member (management: {org.management_account_id})"
    return Pass(f"account is in organization {org.org_id} as {role}")


@control(
    id="organizations.scps_attached",
    title="A service control policy other than FullAWSAccess is attached in the organization",
    severity="medium",
    needs=[DESCRIBE, "organizations:ListPolicies", "organizations:ListTargetsForPolicy"],
    rationale="Service control policies are the preventive guardrails of an organisation: they cap what any "
    "principal in a member account may do, for example leaving the organisation, disabling CloudTrail or "
    "GuardDuty, or using unapproved regions. With only AWS's default FullAWSAccess in place, nothing limits an "
    "account administrator, so the organisation defines no preventive control over its accounts (CC5.2, "
    "CC6.1, CC6.3).",
    remediation=Remediation(
        console="Management account > AWS Organizations > Policies > Service control policies (enable them if "
        "needed) > Create policy, e.g. deny organizations:LeaveOrganization and cloudtrail:StopLogging/"
        "DeleteTrail > Targets > Attach to the root or to the workload OUs.",
        cli="aws organizations enable-policy-type --root-id <root-id> --policy-type SERVICE_CONTROL_POLICY\n"
        "aws organizations create-policy --type SERVICE_CONTROL_POLICY --name guardrails "
        "--description 'baseline guardrails' --content file://guardrails.json\n"
        "aws organizations attach-policy --policy-id <policy-id> --target-id <root-or-ou-id>",
        terraform='resource "aws_organizations_policy" "guardrails" {\n  name    = "guardrails"\n'
        '  type    = "SERVICE_CONTROL_POLICY"\n  content = data.aws_iam_policy_document.guardrails.json\n}\n'
        'resource "aws_organizations_policy_attachment" "root" {\n'
        "  policy_id = aws_organizations_policy.guardrails.id\n"
        "  target_id = aws_organizations_organization.main.roots[0].id\n}",
    ),
)
def scps_attached(org: Organization) -> Outcome:
    if not org.in_organization:
        return Skip(f"account {org.account_id} is not in an organization (AWSOrganizationsNotInUseException), "
                    "so no SCP can apply to it")
    if org.feature_set == "CONSOLIDATED_BILLING":
        return Fail(f"organization {org.org_id} has only consolidated billing enabled: SCPs cannot be used")
    if org.scps is None:
        return Error("service control policies were not listed (only the management account or a delegated "
                     "administrator can list them)")
    attached = {name: targets for name, targets in org.scps.items() if targets}
    if not attached:
        unused = f" ({', '.join(sorted(org.scps))} attached nowhere)" if org.scps else ""
        return Fail(f"no SCP other than FullAWSAccess is attached in organization {org.org_id}{unused}")
    shown = "; ".join(f"{name} on {', '.join(targets[:3])}" for name, targets in sorted(attached.items())[:5])
    return Pass(f"{len(attached)} custom SCP(s) attached: {shown}")
