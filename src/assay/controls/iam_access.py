"""What IAM users and roles may do, read statically from the policy documents GetAccountAuthorizationDetails
returns: customer-managed and inline policies, a user's groups included.

AWS-managed policies are not collected (their documents are AWS's, the same in every account); the few
whose grants matter to these controls are summarised in KNOWN_AWS_POLICIES from AWS's published
documents, and any other is treated as granting nothing here. The reading is deliberately
simple and errs towards "allowed": an Allow counts whatever its Resource and Condition say, and only a Deny
on every resource with no Condition takes actions away. A scoped grant that a control reports is a case
for review, not proof of misuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from assay.controls.policy import as_list, statements
from assay.models.inventory import Inventory
from assay.models.resources.iam import IamGroup, IamPolicy, IamRole, IamUser

Document = dict[str, Any]
ADMIN_POLICY = "AdministratorAccess"


def _grant(*actions: str, not_actions: tuple[str, ...] = ()) -> Document:
    key, value = ("NotAction", list(not_actions)) if not_actions else ("Action", list(actions))
    return {"Statement": [{"Effect": "Allow", key: value, "Resource": "*"}]}


# The grants of AWS-managed policies that these controls look for (from AWS's managed policy reference).
KNOWN_AWS_POLICIES: dict[str, Document] = {
    ADMIN_POLICY: _grant("*"),
    "PowerUserAccess": _grant(not_actions=("iam:*", "organizations:*", "account:*")),
    "IAMFullAccess": _grant("iam:*"),
    "AWSCloudTrail_FullAccess": _grant("cloudtrail:*"),
    "AWSMarketplaceFullAccess": _grant("aws-marketplace:*"),
    "AWSMarketplaceManageSubscriptions": _grant("aws-marketplace:Subscribe", "aws-marketplace:Unsubscribe",
                                                "aws-marketplace:ViewSubscriptions"),
}


def aws_policy_arn(partition: str, name: str) -> str:
    return f"arn:{partition}:iam::aws:policy/{name}"


def is_aws_managed(arn: str) -> bool:
    return ":iam::aws:policy/" in arn


@cache
def _pattern(glob: str) -> re.Pattern[str]:
    """IAM action globs: '*' any run of characters, '?' one character, case-insensitive."""
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob),
                      re.IGNORECASE)


def action_matches(glob: str, action: str) -> bool:
    return _pattern(str(glob)).fullmatch(action) is not None


def _covers(statement: dict[str, Any], action: str) -> bool:
    if "NotAction" in statement:
        return not any(action_matches(g, action) for g in as_list(statement["NotAction"]))
    return any(action_matches(g, action) for g in as_list(statement.get("Action")))


def _denied_everywhere(statement: dict[str, Any]) -> bool:
    return (statement.get("Effect") == "Deny" and not statement.get("Condition")
            and "NotResource" not in statement and "*" in as_list(statement.get("Resource")))


def allowed(documents: Iterable[Document], actions: Iterable[str]) -> set[str]:
    """The actions some Allow statement grants and no unconditional, account-wide Deny takes away."""
    docs = list(documents)
    granted = {a for a in actions
               if any(st.get("Effect") == "Allow" and _covers(st, a) for d in docs for st in statements(d))}
    return {a for a in granted if not any(_denied_everywhere(st) and _covers(st, a)
                                          for d in docs for st in statements(d))}


def grants_everything(document: Document | None) -> bool:
    """An Allow of every action ('*' or '*:*') on every resource."""
    return any(st.get("Effect") == "Allow" and {"*", "*:*"} & {str(a) for a in as_list(st.get("Action"))}
               and "*" in as_list(st.get("Resource")) for st in statements(document))


@dataclass
class Principal:
    """A user or role, with every policy that applies to it."""

    kind: str  # "user" or "role"
    name: str
    managed: set[str] = field(default_factory=set)  # attached managed policy ARNs, AWS-managed included
    documents: dict[str, Document] = field(default_factory=dict)  # label -> readable document
    unreadable: list[str] = field(default_factory=list)  # labels of documents that could not be read

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"

    @property
    def full_admin(self) -> bool:
        return any(grants_everything(d) for d in self.documents.values())

    def allowed(self, actions: Iterable[str]) -> set[str]:
        return allowed(self.documents.values(), actions)


def principals(inv: Inventory, account_id: str) -> tuple[list[Principal], list[str]]:
    """Every user and customer-controlled role of the account, and the users whose policies were not read.

    Service-linked roles are left out: an AWS service owns them and the customer cannot change them.
    Built once per inventory and account, for every control that reads it.
    """
    return inv.memo(("iam.principals", account_id), lambda: _principals(inv, account_id))


def _principals(inv: Inventory, account_id: str) -> tuple[list[Principal], list[str]]:
    policies = {p.arn: p for p in inv.in_account(IamPolicy, account_id)}
    groups = {g.name: g for g in inv.in_account(IamGroup, account_id)}
    out: list[Principal] = []
    unknown: list[str] = []
    for user in inv.in_account(IamUser, account_id):
        if user.attached_policies is None or user.inline_policies is None or user.groups is None:
            unknown.append(f"user {user.display_name}")
            continue
        p = Principal("user", user.display_name)
        _add(p, "", user.attached_policies, user.inline_policies, policies)
        for name in user.groups:
            group = groups.get(name)
            if group is None:
                p.unreadable.append(f"group {name}")
            else:
                _add(p, f"group {name}: ", group.attached_policies, group.inline_policies, policies)
        out.append(p)
    for role in inv.in_account(IamRole, account_id):
        if not role.service_linked:
            p = Principal("role", role.display_name)
            _add(p, "", role.attached_policies, role.inline_policies, policies)
            out.append(p)
    return out, unknown


def _add(p: Principal, via: str, attached: Iterable[str], inline: dict[str, Document | None],
         policies: dict[str, IamPolicy]) -> None:
    for arn in attached:
        p.managed.add(arn)
        label = f"{via}policy {arn.rsplit('/', 1)[-1]}"
        if is_aws_managed(arn):
            if (known := KNOWN_AWS_POLICIES.get(arn.rsplit("/", 1)[-1])) is not None:
                p.documents[label] = known
            continue
        policy = policies.get(arn)
        if policy is None or policy.document is None:
            p.unreadable.append(label)
        else:
            p.documents[label] = policy.document
    for name, doc in inline.items():
        label = f"{via}inline {name}"
        if doc is None:
            p.unreadable.append(label)
        else:
            p.documents[label] = doc


def exempt(p: Principal, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(p.name, pattern) for pattern in patterns)
