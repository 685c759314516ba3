"""Step Functions controls: execution logging and least-privilege execution roles.

`execution_role_breadth` is shared with the Bedrock controls: it judges any service role found in the
IAM inventory by the policies attached to it.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from assay.controls.policy import as_list, statements
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.iam import IamPolicy, IamRole
from assay.models.resources.stepfunctions import StateMachine

GAAD = "iam:GetAccountAuthorizationDetails"
NEEDS = ["states:ListStateMachines", "states:DescribeStateMachine"]
LEVELS = {"OFF": 0, "FATAL": 1, "ERROR": 2, "ALL": 3}
# AWS-managed policies are not read; these grant every action of one or all services on every resource.
AWS_BROAD = frozenset({"AdministratorAccess", "PowerUserAccess"})


def broad_statements(document: dict[str, Any]) -> list[str]:
    """Actions allowed on every resource that cover a whole service ("*", "s3:*") or all but some (NotAction)."""
    found: list[str] = []
    for st in statements(document):
        if st.get("Effect") != "Allow" or "*" not in as_list(st.get("Resource")):
            continue
        if "NotAction" in st:
            found.append("NotAction " + ",".join(map(str, as_list(st["NotAction"]))))
            continue
        found += [str(a) for a in as_list(st.get("Action"))
                  if a == "*" or (isinstance(a, str) and fnmatchcase(a, "*:*") and a.split(":", 1)[1] == "*")]
    return found


def _first_roles(inv: Inventory) -> tuple[dict[str, tuple[int, IamRole]], dict[tuple[str, str], tuple[int, IamRole]]]:
    """Each role ARN and each (account, last ARN segment) with its first role and that role's position."""
    by_arn: dict[str, tuple[int, IamRole]] = {}
    by_name: dict[tuple[str, str], tuple[int, IamRole]] = {}
    for n, role in enumerate(inv.of(IamRole)):
        by_arn.setdefault(role.arn, (n, role))
        by_name.setdefault((role.account_id, role.arn.rsplit("/", 1)[-1]), (n, role))
    return by_arn, by_name


def find_role(inv: Inventory, role_arn: str) -> IamRole | None:
    """The first role in inventory order with this ARN, or with its name in the ARN's account."""
    name = role_arn.rsplit("/", 1)[-1]
    account = role_arn.split(":")[4] if role_arn.count(":") >= 5 else ""
    by_arn, by_name = inv.memo(("stepfunctions.first_roles",), lambda: _first_roles(inv))
    found = [m for m in (by_arn.get(role_arn), by_name.get((account, name))) if m is not None]
    return min(found, key=lambda m: m[0])[1] if found else None


def execution_role_breadth(inv: Inventory, role_arn: str) -> tuple[list[str], list[str]] | None:
    """(broad grants, unreadable policies) of a role; None when the role is not in the IAM inventory."""
    role = find_role(inv, role_arn)
    if role is None:
        return None
    broad: list[str] = []
    unreadable: list[str] = []
    for name, doc in sorted(role.inline_policies.items()):
        if doc is None:
            unreadable.append(f"inline {name}")
        else:
            broad += [f"inline {name} allows {a} on *" for a in broad_statements(doc)]
    customer = inv.by_arn(IamPolicy)
    for arn in role.attached_policies:
        policy_name = arn.rsplit("/", 1)[-1]
        if arn in customer:
            doc = customer[arn].document
            if doc is None:
                unreadable.append(f"policy {policy_name}")
            else:
                broad += [f"policy {policy_name} allows {a} on *" for a in broad_statements(doc)]
        elif ":aws:policy/" in arn and (policy_name in AWS_BROAD or policy_name.endswith("FullAccess")):
            broad.append(f"AWS managed policy {policy_name}")
    return broad, unreadable


def judge_role(inv: Inventory, role_arn: str | None, what: str) -> Outcome:
    if role_arn is None:
        return Error(f"{what} was not read")
    if not role_arn:
        return Skip(f"no {what}")
    breadth = execution_role_breadth(inv, role_arn)
    if breadth is None:
        return Error(f"{what} {role_arn} is not in the IAM inventory (deleted, or in another account)")
    broad, unreadable = breadth
    if broad:
        return Fail(f"{what} {role_arn.rsplit('/', 1)[-1]}: {'; '.join(broad[:5])}")
    if unreadable:
        return Error(f"policies of {role_arn.rsplit('/', 1)[-1]} could not be read: {', '.join(unreadable)}")
    return Pass(f"{what} {role_arn.rsplit('/', 1)[-1]} grants no service-wide or '*' actions on all resources")


@control(
    id="stepfunctions.logging_enabled",
    title="Step Functions state machines log executions to CloudWatch Logs",
    severity="low",
    needs=NEEDS,
    rationale="State machines orchestrate business processes; their execution history is the record of which "
    "steps ran, failed or were retried. Standard workflows keep 90 days of history and Express workflows keep "
    "none without logging, so a CloudWatch Logs destination is what lets failures be monitored and processing "
    "be shown complete (A1.2, CC7.2, PI1.3).",
    remediation=Remediation(
        console="Step Functions console > State machines > the machine > Edit > Config > Logging: set the log "
        "level to ERROR (or ALL) and choose a CloudWatch log group > Save.",
        cli="aws stepfunctions update-state-machine --state-machine-arn <arn> --logging-configuration "
        "'level=ERROR,includeExecutionData=false,destinations=[{cloudWatchLogsLogGroup={logGroupArn=<log-group-arn>}}]'",
        terraform='resource "aws_sfn_state_machine" "etl" {\n  logging_configuration {\n'
        '    log_destination        = "${aws_cloudwatch_log_group.sfn.arn}:*"\n    level                  = "ERROR"\n'
        '    include_execution_data = false\n  }\n}',
    ),
)
def logging_enabled(sm: StateMachine, *, min_level: str = "FATAL") -> Outcome:
    if sm.status == "DELETING":
        return Skip("state machine is being deleted")
    if sm.log_level is None:
        return Error("logging configuration was not read")
    if sm.log_level == "OFF" or not sm.log_destinations:
        return Fail(f"execution logging is off (level {sm.log_level}, {len(sm.log_destinations)} destinations)")
    if LEVELS.get(sm.log_level, 0) < LEVELS.get(min_level, 1):
        return Fail(f"logs only at level {sm.log_level} (required: {min_level} or more)")
    return Pass(f"logs at level {sm.log_level} to {', '.join(sm.log_destinations)}")


@control(
    id="stepfunctions.role_least_privilege",
    title="Step Functions execution roles do not allow whole services or '*' on every resource",
    severity="medium",
    needs=[*NEEDS, GAAD],
    rationale="A state machine acts with its execution role. If that role may use every action of a service on "
    "every resource, a flawed or tampered workflow definition can read, change or delete far more than the "
    "process needs; scoping the role to the tasks it invokes keeps access to what the workflow requires "
    "(CC6.1, CC6.3).",
    remediation=Remediation(
        console="IAM console > Roles > the execution role > Permissions: replace '*' or 'service:*' statements on "
        "'*' with the actions the workflow's tasks call (e.g. lambda:InvokeFunction on the named functions); "
        "detach AWS managed *FullAccess policies.",
        cli="aws iam put-role-policy --role-name <role> --policy-name workflow --policy-document file://scoped.json\n"
        "aws iam detach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/<BroadPolicy>",
        terraform='data "aws_iam_policy_document" "sfn" {\n  statement {\n    actions   = ["lambda:InvokeFunction"]\n'
        '    resources = [aws_lambda_function.step.arn]\n  }\n}',
    ),
)
def role_least_privilege(sm: StateMachine, inv: Inventory) -> Outcome:
    return judge_role(inv, sm.role_arn, "execution role")
