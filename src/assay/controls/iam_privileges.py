"""IAM controls on who holds powerful permissions: administrator access, broad AWS-managed policies, paths to
escalate privileges, the power to silence audit logging, and the power to buy third-party software.

All read GetAccountAuthorizationDetails only and give one finding per account that names every holder.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from assay.controls.iam_access import ADMIN_POLICY, Principal, aws_policy_arn, exempt, principals
from assay.controls.messages import names
from assay.controls.registry import Remediation, control
from assay.models.base import Account
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.iam import IamGroup, IamRole, IamUser

GAAD = "iam:GetAccountAuthorizationDetails"
ADMINS_ELSEWHERE = ("holders of full administrator rights are judged by iam.admin_policy_only_on_approved_roles "
                    "and iam.no_full_admin_policies")


def _holders(account: Account, inv: Inventory, arn: str) -> tuple[list[str], list[str], list[str], bool]:
    """(users, groups, roles) that have the managed policy attached, and whether every user was read."""
    users = inv.in_account(IamUser, account.account_id)
    return ([u.display_name for u in users if arn in (u.attached_policies or ())],
            [g.display_name for g in inv.in_account(IamGroup, account.account_id) if arn in g.attached_policies],
            [r.display_name for r in inv.in_account(IamRole, account.account_id)
             if arn in r.attached_policies and not r.service_linked],
            all(u.attached_policies is not None for u in users))


# -- administrator access ---------------------------------------------------------------------------

# Roles AWS Organizations, Control Tower and IAM Identity Center create for administrators.
APPROVED_ADMIN_ROLES = ["OrganizationAccountAccessRole", "AWSControlTowerExecution",
                        "AWSReservedSSO_AdministratorAccess_*"]

@control(
    id="iam.admin_policy_only_on_approved_roles",
    title="The AdministratorAccess policy is attached only to approved roles",
    severity="high",
    needs=[GAAD],
    rationale="AdministratorAccess is full authority over the account. Held through a few approved roles that "
    "people assume for a session, that authority is assigned deliberately, limited to named functions and "
    "visible in one place; attached to users or groups, it becomes a standing personal privilege that no "
    "one re-approves. The finding lists every holder, which is the record of who may administer the system "
    "(CC1.3) and evidence that privileged access is restricted (CC6.3). Roles created by AWS Organizations, "
    "Control Tower and IAM Identity Center for administrators are approved by default (approved_roles).",
    remediation=Remediation(
        console="IAM console > Policies > AdministratorAccess > Entities attached: for each user or group, "
        "Detach; give those people an approved administrator role (or an IAM Identity Center permission set) "
        "that they assume when needed. Add any other deliberate holder to approved_roles in the Assay config.",
        cli="aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AdministratorAccess\n"
        "aws iam detach-user-policy --user-name <user> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess\n"
        "aws iam detach-group-policy --group-name <group> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess",
        terraform='resource "aws_iam_role" "admin" {\n  name               = "platform-admin"\n'
        "  assume_role_policy = data.aws_iam_policy_document.admins_with_mfa.json\n}\n"
        'resource "aws_iam_role_policy_attachment" "admin" {\n  role       = aws_iam_role.admin.name\n'
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
        "# and no aws_iam_user_policy_attachment / aws_iam_group_policy_attachment of AdministratorAccess",
    ),
)
def admin_policy_only_on_approved_roles(
    account: Account, inv: Inventory, *,
    approved_roles: list[str] = APPROVED_ADMIN_ROLES,
) -> Outcome:
    """approved_roles: role names or fnmatch patterns allowed to hold AdministratorAccess."""
    users, groups, roles, complete = _holders(account, inv, aws_policy_arn(account.partition, ADMIN_POLICY))
    approved = [r for r in roles if any(fnmatchcase(r, p) for p in approved_roles)]
    wrong = [f"user {u}" for u in users] + [f"group {g}" for g in groups]
    wrong += [f"role {r}" for r in roles if r not in approved]
    if wrong:
        return Fail("AdministratorAccess is attached to " + names(wrong, sep=", ")
                    + (" (approved: " + ", ".join(approved) + ")" if approved else ""))
    if not complete:
        return Error("the policies of some users were not read")
    if approved:
        return Pass("AdministratorAccess is attached only to approved roles: " + ", ".join(approved))
    return Pass("AdministratorAccess is attached to no user, group or role")


_BROAD = {
    "AWSCloudShellFullAccess": "CloudShell with file upload and download: a browser channel to move data in "
                               "and out of the account outside any monitored path",
    "AmazonBedrockFullAccess": "every Bedrock model, agent and guardrail, including turning guardrails off and "
                               "running up model invocation costs",
}


@control(
    id="iam.broad_managed_policies_not_attached",
    title="Broad AWS-managed policies such as AWSCloudShellFullAccess are attached to no one",
    severity="medium",
    needs=[GAAD],
    rationale="Some AWS-managed policies give a whole service with its riskiest features in one click: "
    "AWSCloudShellFullAccess lets the holder upload and download files through the browser, a data path no "
    "network control sees, and AmazonBedrockFullAccess opens every model and the guardrails meant to constrain "
    "them. Granting the needed actions through a scoped policy keeps access to what the job requires (CC6.3). "
    "The `policies` parameter lists the policies to report and why.",
    remediation=Remediation(
        console="IAM console > Policies > the policy (e.g. AWSCloudShellFullAccess) > Entities attached > Detach "
        "from each user, group and role; grant the specific actions needed through a customer-managed policy "
        "(for CloudShell, deny cloudshell:GetFileDownloadUrls and cloudshell:GetFileUploadUrls).",
        cli="aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess\n"
        "aws iam detach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess",
        terraform='data "aws_iam_policy_document" "cloudshell_no_files" {\n  statement {\n'
        '    actions   = ["cloudshell:CreateEnvironment", "cloudshell:CreateSession", "cloudshell:StartEnvironment"]\n'
        '    resources = ["*"]\n  }\n}\n'
        "# attach this scoped policy instead of an aws_iam_*_policy_attachment of AWSCloudShellFullAccess",
    ),
)
def broad_managed_policies_not_attached(
    account: Account, inv: Inventory, *, policies: dict[str, str] = _BROAD,
) -> Outcome:
    found, complete = [], True
    for name, why in sorted(policies.items()):
        users, groups, roles, read_all = _holders(account, inv, aws_policy_arn(account.partition, name))
        complete = complete and read_all
        holders = [f"user {u}" for u in users] + [f"group {g}" for g in groups] + [f"role {r}" for r in roles]
        if holders:
            found.append(f"{name} ({why}) is attached to {', '.join(holders)}")
    if found:
        return Fail(names(found))
    if not complete:
        return Error("the policies of some users were not read")
    return Pass(f"none of {', '.join(sorted(policies))} is attached to a user, group or role")


# -- what non-administrators can do ------------------------------------------------------------------

def _judge(account: Account, inv: Inventory, exempt_principals: list[str],
           find: dict[str, list[list[str]]], what: str, none: str) -> Outcome:
    """Report principals (other than full administrators and exempt ones) that hold any action set of `find`."""
    people, unknown_users = principals(inv, account.account_id)
    if not people and not unknown_users:
        return Skip("the account has no IAM users or customer-managed roles")
    hits, unread, admins = [], [], 0
    for p in people:
        if p.full_admin:
            admins += 1
            continue
        if exempt(p, exempt_principals):
            continue
        found = _sets_held(p, find)
        if found:
            hits.append(f"{p.label}: {'; '.join(found)}")
        elif p.unreadable:
            unread.append(f"{p.label} ({', '.join(p.unreadable)})")
    if hits:
        return Fail(f"{what}: " + names(hits))
    if unknown_users or unread:
        return Error("policies could not be read for " + names(unknown_users + unread))
    note = f"; {admins} full administrator(s) not counted: {ADMINS_ELSEWHERE}" if admins else ""
    return Pass(none + note)


def _sets_held(p: Principal, find: dict[str, list[list[str]]], shown: int = 3) -> list[str]:
    out = []
    for label, sets in find.items():
        held = [" + ".join(actions) for actions in sets if p.allowed(actions) == set(actions)]
        if held:
            more = f", +{len(held) - shown} more" if len(held) > shown else ""
            out.append(f"{label} ({', '.join(held[:shown])}{more})")
    return out


ESCALATION_PATHS: list[list[str]] = [
    ["iam:CreatePolicyVersion"], ["iam:SetDefaultPolicyVersion"],
    ["iam:AttachUserPolicy"], ["iam:AttachGroupPolicy"], ["iam:AttachRolePolicy"],
    ["iam:PutUserPolicy"], ["iam:PutGroupPolicy"], ["iam:PutRolePolicy"],
    ["iam:AddUserToGroup"], ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    ["iam:CreateAccessKey"], ["iam:CreateLoginProfile"], ["iam:UpdateLoginProfile"],
    ["iam:PassRole", "ec2:RunInstances"],
    ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
    ["iam:PassRole", "cloudformation:CreateStack"],
    ["iam:PassRole", "glue:CreateDevEndpoint"],
    ["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"],
    ["iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"],
]


@control(
    id="iam.no_privilege_escalation_paths",
    title="No IAM user or role other than an administrator can grant itself more privileges",
    severity="high",
    needs=[GAAD],
    rationale="Some permissions are administrator rights in disguise: rewriting or attaching a policy, minting "
    "keys or passwords for other users, or passing a powerful role to a new instance, function or stack lets "
    "the holder become an administrator without anyone granting it. They are the IT opportunity a fraud risk "
    "assessment has to weigh (CC3.3) and they defeat least privilege (CC6.3). The reading is static: Resource "
    "and Condition scoping are not evaluated, so a scoped grant that is reported needs a review and, if "
    "accepted, an entry in exempt_principals. The action sets are the `paths` parameter.",
    remediation=Remediation(
        console="IAM console > Users or Roles > the principal named in the finding > Permissions: remove the "
        "reported actions from its policies, or scope them to specific resources (iam:PassRole to the one role "
        "the workload needs) and add a permissions boundary that denies IAM changes.",
        cli="aws iam get-account-authorization-details --filter Role User Group LocalManagedPolicy\n"
        "aws iam create-policy-version --policy-arn <policy-arn> --policy-document file://without-escalation.json "
        "--set-as-default\n"
        "aws iam put-role-permissions-boundary --role-name <role> --permissions-boundary <boundary-policy-arn>",
        terraform='data "aws_iam_policy_document" "deploy" {\n  statement {\n'
        '    actions   = ["iam:PassRole"]\n    resources = [aws_iam_role.app.arn]  # only the role it deploys\n'
        "    condition {\n      test     = \"StringEquals\"\n      variable = \"iam:PassedToService\"\n"
        '      values   = ["lambda.amazonaws.com"]\n    }\n  }\n}',
    ),
)
def no_privilege_escalation_paths(
    account: Account, inv: Inventory, *,
    paths: list[list[str]] = ESCALATION_PATHS,
    exempt_principals: list[str] = [],  # noqa: B006
) -> Outcome:
    """exempt_principals: user or role names (fnmatch patterns) whose reported grants were reviewed and accepted."""
    return _judge(account, inv, exempt_principals, {"can escalate": paths}, "privilege escalation paths",
                  "no user or role other than full administrators holds a known privilege escalation path")


AUDIT_TAMPERING: list[str] = [
    "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
    "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel",
    "guardduty:DeleteDetector", "guardduty:UpdateDetector", "securityhub:DisableSecurityHub",
]


@control(
    id="iam.audit_logging_changes_limited_to_admins",
    title="Only administrators can stop or reconfigure CloudTrail, AWS Config, GuardDuty and Security Hub",
    severity="high",
    needs=[GAAD],
    rationale="Someone who can stop the trail, the configuration recorder or threat detection can act unseen "
    "and then remove the traces; that is the opportunity a fraud risk assessment looks for (CC3.3), and keeping "
    "it to the few approved administrators protects the monitoring the other controls rely on (CC6.3, CC7.2). "
    "Each of the `actions` held by a user or role without full administrator rights is reported, whether it "
    "comes from a customer policy, an inline policy or a broad AWS-managed policy such as PowerUserAccess.",
    remediation=Remediation(
        console="IAM console > the user or role named in the finding > Permissions: remove cloudtrail:*, "
        "config:* or guardduty:* grants (or replace AWSCloudTrail_FullAccess / PowerUserAccess with scoped "
        "policies); in AWS Organizations, add an SCP that denies these actions to everyone but the security role.",
        cli="aws iam detach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/PowerUserAccess\n"
        "aws organizations create-policy --type SERVICE_CONTROL_POLICY --name protect-audit "
        "--content file://deny-audit-changes.json",
        terraform='data "aws_iam_policy_document" "protect_audit" {\n  statement {\n    effect    = "Deny"\n'
        '    actions   = ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "config:StopConfigurationRecorder",\n'
        '                 "guardduty:DeleteDetector"]\n    resources = ["*"]\n    condition {\n'
        '      test     = "ArnNotLike"\n      variable = "aws:PrincipalArn"\n'
        '      values   = ["arn:aws:iam::*:role/security-admin"]\n    }\n  }\n}\n'
        'resource "aws_organizations_policy" "protect_audit" {\n  name    = "protect-audit"\n'
        "  content = data.aws_iam_policy_document.protect_audit.json\n}",
    ),
)
def audit_logging_changes_limited_to_admins(
    account: Account, inv: Inventory, *,
    actions: list[str] = AUDIT_TAMPERING,
    exempt_principals: list[str] = [],  # noqa: B006
) -> Outcome:
    return _judge(account, inv, exempt_principals, {"may change audit logging": [[a] for a in actions]},
                  "users or roles that can switch off audit logging or detection",
                  "no user or role other than full administrators can stop or reconfigure audit logging")


@control(
    id="iam.marketplace_subscribe_restricted",
    title="Only administrators and approved buyers can subscribe to AWS Marketplace products",
    severity="low",
    needs=[GAAD],
    rationale="An AWS Marketplace subscription engages a new third-party vendor, on the AWS bill, without "
    "passing through procurement or vendor review. Keeping aws-marketplace:Subscribe to administrators and a "
    "named buyer role makes every new software vendor go through the vendor risk process (CC9.2) and keeps the "
    "permission to those whose job it is (CC6.3). Approved buyers go in exempt_principals.",
    remediation=Remediation(
        console="IAM console > the user or role named in the finding > Permissions: remove aws-marketplace:* and "
        "aws-marketplace:Subscribe (or AWSMarketplaceFullAccess / AWSMarketplaceManageSubscriptions); grant them "
        "to a procurement role only. AWS Private Marketplace can further limit which products may be bought.",
        cli="aws iam detach-user-policy --user-name <user> "
        "--policy-arn arn:aws:iam::aws:policy/AWSMarketplaceManageSubscriptions\n"
        "aws iam put-role-policy --role-name <role> --policy-name deny-marketplace "
        "--policy-document file://deny-marketplace-subscribe.json",
        terraform='data "aws_iam_policy_document" "no_marketplace" {\n  statement {\n    effect    = "Deny"\n'
        '    actions   = ["aws-marketplace:Subscribe"]\n    resources = ["*"]\n  }\n}\n'
        'resource "aws_iam_role_policy" "no_marketplace" {\n  role   = aws_iam_role.developer.name\n'
        "  policy = data.aws_iam_policy_document.no_marketplace.json\n}",
    ),
)
def marketplace_subscribe_restricted(
    account: Account, inv: Inventory, *, exempt_principals: list[str] = [],  # noqa: B006
) -> Outcome:
    """exempt_principals: the approved buyer roles or users (fnmatch patterns)."""
    return _judge(account, inv, exempt_principals, {"can buy": [["aws-marketplace:Subscribe"]]},
                  "users or roles that can subscribe to Marketplace products",
                  "no user or role other than full administrators and approved buyers can subscribe to "
                  "Marketplace products")
