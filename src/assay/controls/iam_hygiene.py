"""IAM housekeeping: groups that nobody belongs to and customer-managed policies that nothing uses.

Both read the one GetAccountAuthorizationDetails listing. Neither finding means access is granted today;
each is a definition of access that no longer matches anyone's job and that a later change can bring back
into force without a fresh review.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.iam import IamGroup, IamPolicy

GAAD = "iam:GetAccountAuthorizationDetails"


def _listed(name: str, patterns: list[str]) -> str | None:
    return next((p for p in patterns if fnmatchcase(name, p)), None)


@control(
    id="iam.groups_have_members",
    title="Every IAM group has at least one user",
    severity="low",
    needs=[GAAD],
    rationale="A group is a job function's bundle of permissions. One left without users is usually the trace "
    "of a team, project or contractor arrangement that ended: it still appears in access reviews as if it "
    "were in use, and whoever can add users to groups can hand its permissions out again without anyone "
    "defining the role afresh. Keeping only the groups that people hold keeps role definitions current "
    "and reviewable (CC6.3). Groups that are empty by design, such as a break-glass group filled only "
    "during an emergency, go in allowed_empty_groups.",
    remediation=Remediation(
        console="IAM console > User groups > the group named in the finding: if no one should hold it any more, "
        "Permissions > remove each policy, then Delete the group; if it is kept empty on purpose, add its name "
        "to allowed_empty_groups in the Assay configuration.",
        cli="aws iam get-group --group-name <group>  # confirms Users is empty\n"
        "aws iam list-attached-group-policies --group-name <group>\n"
        "aws iam detach-group-policy --group-name <group> --policy-arn <policy-arn>\n"
        "aws iam delete-group-policy --group-name <group> --policy-name <inline-policy-name>\n"
        "aws iam delete-group --group-name <group>",
        terraform="# Remove the aws_iam_group resource together with its aws_iam_group_policy and\n"
        "# aws_iam_group_policy_attachment resources; or give it members:\n"
        'resource "aws_iam_group_membership" "reporting" {\n  name  = "reporting-members"\n'
        "  group = aws_iam_group.reporting.name\n  users = [aws_iam_user.dana.name]\n}",
    ),
)
def groups_have_members(group: IamGroup, *, allowed_empty_groups: list[str] = []) -> Outcome:  # noqa: B006
    """allowed_empty_groups: group names (fnmatch patterns) that are kept empty on purpose."""
    if group.members is None:
        return Error("the group's members are unknown: the listing of IAM users was incomplete")
    if group.members:
        return Pass(f"group has {len(group.members)} user(s)")
    if (pattern := _listed(group.display_name, allowed_empty_groups)) is not None:
        return Pass(f"group is empty by design (allowed_empty_groups: {pattern})")
    grants = [f"attached {arn.rsplit('/', 1)[-1]}" for arn in group.attached_policies]
    grants += [f"inline {name}" for name in group.inline_policies]
    still = f"; it still grants {', '.join(grants)} to anyone added to it" if grants else ""
    return Fail(f"group {group.display_name} has no users{still}")


@control(
    id="iam.customer_policies_attached",
    title="Customer-managed IAM policies are in use: attached, or a permissions boundary",
    severity="low",
    needs=[GAAD],
    rationale="A customer-managed policy that nothing uses grants nothing today, but it stays in the account "
    "as a ready-made permission set that anyone allowed to attach policies can put into force, with "
    "content nobody has looked at since it was last used. Removing unused policies keeps the set of "
    "permission definitions to those that are assigned and reviewed (CC6.3). Policies used as permissions "
    "boundaries count as in use; templates kept on purpose go in allowed_unattached. Where a policy is "
    "attached (to users, to groups or to roles) is judged by iam.users_no_direct_policies.",
    remediation=Remediation(
        console="IAM console > Policies > Filter by type: Customer managed > the policy named in the finding > "
        "Entities attached (empty) and Permissions boundaries (empty) > Actions > Delete. Delete its "
        "non-default versions first if IAM asks for it.",
        cli="aws iam list-entities-for-policy --policy-arn <policy-arn>\n"
        "aws iam list-policy-versions --policy-arn <policy-arn>\n"
        "aws iam delete-policy-version --policy-arn <policy-arn> --version-id <non-default-version>\n"
        "aws iam delete-policy --policy-arn <policy-arn>",
        terraform="# Delete the aws_iam_policy resource that no aws_iam_*_policy_attachment or\n"
        "# permissions_boundary refers to; terraform plan lists it as to be destroyed.",
    ),
)
def customer_policies_attached(policy: IamPolicy, *, allowed_unattached: list[str] = []) -> Outcome:  # noqa: B006
    """allowed_unattached: policy names (fnmatch patterns) kept unattached on purpose, e.g. templates."""
    if policy.attachment_count is None:
        return Error("the policy's attachment count was not reported")
    if policy.attachment_count > 0:
        return Pass(f"attached to {policy.attachment_count} user(s), group(s) or role(s)")
    if policy.boundary_count is None:
        return Error("whether the policy is a permissions boundary is unknown: the IAM listing was incomplete")
    if policy.boundary_count > 0:
        return Pass(f"not attached, but the permissions boundary of {policy.boundary_count} user(s) or role(s)")
    if (pattern := _listed(policy.display_name, allowed_unattached)) is not None:
        return Pass(f"unattached by design (allowed_unattached: {pattern})")
    return Fail(f"policy {policy.display_name} is attached to no user, group or role and is no permissions boundary")
