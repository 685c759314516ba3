"""The accounts of an AWS Organization, discovered from its management or a delegated administrator account.

Discovery reads the organisation through the same guarded, counted Ctx as every collector
(ListAccounts, or ListAccountsForParent and ListChildren under the requested organizational units)
and keeps ACTIVE accounts only. Each member is then reached by assuming one named role in it with
refreshable credentials, chained from the discovering account's own. The discovering account
itself is scanned with its own credentials: service-managed StackSets, the usual way to deploy a
scanning role everywhere, never deploy to the management account.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from assay.collect.calls import Ctx
from assay.collect.session import AwsAccess
from assay.errors import CredentialError, UsageError
from assay.models.base import GLOBAL

# A dedicated read-only role (the policy `assay permissions` prints), deployed to every member, e.g.
# by a StackSet. OrganizationAccountAccessRole also works where it exists, but it is an administrator.
DEFAULT_ORG_ROLE = "AssayScan"

LIST_ACCOUNTS = "organizations:ListAccounts"
LIST_FOR_PARENT = "organizations:ListAccountsForParent"
LIST_CHILDREN = "organizations:ListChildren"
# Declared in `assay permissions`: the discovering account needs them (plus sts:AssumeRole on the
# member role, which the member role's trust policy must allow).
DISCOVERY_PERMISSIONS = (LIST_ACCOUNTS, LIST_FOR_PARENT, LIST_CHILDREN)

ACCOUNT_ID = re.compile(r"\d{12}")
PARENT_ID = re.compile(r"ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32}")
ROLE_NAME = re.compile(r"[\w+=,.@-]+(/[\w+=,.@-]+)*")


@dataclass(frozen=True)
class OrgAccount:
    id: str
    name: str
    state: str  # ACTIVE, SUSPENDED, PENDING_CLOSURE ...


@dataclass
class Discovery:
    caller_account: str
    partition: str
    accounts: list[OrgAccount]  # ACTIVE and selected: what gets scanned
    skipped: list[OrgAccount]  # selected but not ACTIVE: nothing to scan, said so
    calls: Counter[str] = field(default_factory=Counter)


def check_account_ids(ids: Iterable[str], option: str) -> list[str]:
    out = []
    for acct in ids:
        if not ACCOUNT_ID.fullmatch(acct):
            raise UsageError(f"{option} {acct!r} is not a 12-digit AWS account id")
        out.append(acct)
    return list(dict.fromkeys(out))


def _state(item: dict[str, object]) -> str:
    # `State` supersedes the deprecated `Status`; read whichever the endpoint sends.
    return str(item.get("State") or item.get("Status") or "UNKNOWN")


_NOT_IN_ORG = ("account {account} is not in an AWS Organization: --organization needs the management account or "
               "a delegated administrator")


def _fail(ctx: Ctx, parents: Sequence[str]) -> None:
    """Without a complete list of accounts there is nothing trustworthy to scan: stop, with the reason."""
    if not ctx.errors:
        return
    err = ctx.errors[0]
    if err.code == "ParentNotFoundException":
        raise UsageError(f"organizational unit not found in the organization: {', '.join(parents)}")
    if err.code == "AWSOrganizationsNotInUseException":
        raise UsageError(_NOT_IN_ORG.format(account=ctx.account_id))
    hint = ""
    if err.kind.value in ("denied", "scp_deny"):
        hint = " (--organization needs the management account or a delegated administrator)"
    raise CredentialError(f"cannot list the organization's accounts: {err.describe()}{hint}")


def _under(ctx: Ctx, org: object, parent: str, seen: set[str]) -> list[dict[str, object]]:
    """Accounts directly under `parent` and, recursively, under its child OUs."""
    if parent in seen:
        return []
    seen.add(parent)
    found = list(ctx.paginate(org, "list_accounts_for_parent", "Accounts", ParentId=parent))
    if ctx.errors:
        return found
    for child in list(ctx.paginate(org, "list_children", "Children", ParentId=parent,
                                   ChildType="ORGANIZATIONAL_UNIT")):
        if ctx.errors:
            break
        found += _under(ctx, org, str(child["Id"]), seen)
    return found


def discover(access: AwsAccess, *, ous: Sequence[str] = (), include: Sequence[str] = (),
             exclude: Sequence[str] = ()) -> Discovery:
    """The organisation's accounts, filtered by OU (recursively) and account id."""
    for ou in ous:
        if not PARENT_ID.fullmatch(ou):
            raise UsageError(f"--ou {ou!r} is not an organizational unit or root id (ou-xxxx-xxxxxxxx, r-xxxx)")
    include = check_account_ids(include, "--account")
    exclude = check_account_ids(exclude, "--exclude-account")
    ident = access.identity()
    partition = ident["arn"].split(":")[1] if ident["arn"].startswith("arn:") else "aws"
    ctx = Ctx(access, ident["account_id"], GLOBAL, "organizations", partition)
    ctx.calls["sts:GetCallerIdentity"] += 1  # made by identity(), outside the Ctx
    org = ctx.client("organizations")
    if ous:
        raw: list[dict[str, object]] = []
        seen: set[str] = set()
        for ou in ous:
            raw += _under(ctx, org, ou, seen)
            _fail(ctx, [ou])
    else:
        raw = list(ctx.paginate(org, "list_accounts", "Accounts"))
        _fail(ctx, [])
        if not raw:  # an organisation always holds at least its management account
            raise UsageError(_NOT_IN_ORG.format(account=ctx.account_id))
    by_id = {str(a["Id"]): OrgAccount(str(a["Id"]), str(a.get("Name") or ""), _state(a)) for a in raw}
    if include:
        missing = [a for a in include if a not in by_id]
        if missing:
            where = "the selected organizational units" if ous else "the organization"
            raise UsageError(f"--account {', '.join(missing)} not found in {where}")
    selected = [a for a_id, a in sorted(by_id.items()) if (not include or a_id in include) and a_id not in exclude]
    return Discovery(
        caller_account=ctx.account_id, partition=partition,
        accounts=[a for a in selected if a.state == "ACTIVE"],
        skipped=[a for a in selected if a.state != "ACTIVE"],
        calls=ctx.calls,
    )


def member_accesses(management: AwsAccess, discovery: Discovery, role_name: str = DEFAULT_ORG_ROLE,
                    external_id: str | None = None) -> list[AwsAccess]:
    """One access per account to scan: the caller's own as it is, every other through `role_name`."""
    if not ROLE_NAME.fullmatch(role_name):
        raise UsageError(f"--org-role {role_name!r} is not an IAM role name (or path/name)")
    out = []
    for acct in discovery.accounts:
        if acct.id == discovery.caller_account:
            out.append(management)
            continue
        out.append(replace(
            management, role_arn=f"arn:{discovery.partition}:iam::{acct.id}:role/{role_name}",
            external_id=external_id, hooks=list(management.hooks), source=management,
        ))
    return out
