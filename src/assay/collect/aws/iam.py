"""IAM, read in bulk: the credential report and GetAccountAuthorizationDetails instead of per-user calls.

An account with 5,000 users costs about ten calls plus pages, whatever its size. IAM is global, so
these collectors run once per account.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import unquote
from weakref import WeakKeyDictionary

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.iam import (
    AccessKeySlot,
    IamGroup,
    IamPasswordPolicy,
    IamPolicy,
    IamRole,
    IamRoot,
    IamUser,
    PolicyDocuments,
)

GAAD = "iam:GetAccountAuthorizationDetails"
GET_REPORT = "iam:GetCredentialReport"
PAGE = 1000  # the AWS maximum for MaxItems on IAM list calls
# Waits between polls of GenerateCredentialReport: about five seconds in all, then give up.
POLL_DELAYS: tuple[float, ...] = (0.1, 0.4, 1.0, 1.5, 2.0)
ROOT_ROW = "<root_account>"
_NO_VALUE = {"", "N/A", "no_information", "not_supported"}

Row = dict[str, str]


# -- credential report -------------------------------------------------------------------------

def report_date(value: str | None) -> datetime | None:
    """ISO 8601 from the report; None for N/A, no_information, not_supported or anything unparsable."""
    if value is None or value in _NO_VALUE:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def report_bool(value: str | None) -> bool | None:
    return {"true": True, "false": False}.get((value or "").lower())


def access_keys(row: Row) -> tuple[AccessKeySlot, ...] | None:
    """The key slots that hold a key. None when the row lacks the columns."""
    slots = []
    for n in (1, 2):
        active = report_bool(row.get(f"access_key_{n}_active"))
        if active is None:
            return None
        rotated = report_date(row.get(f"access_key_{n}_last_rotated"))
        if active or rotated is not None:  # an inactive key still has a rotation date
            slots.append(AccessKeySlot(slot=n, active=active, last_rotated=rotated,
                                       last_used=report_date(row.get(f"access_key_{n}_last_used_date"))))
    return tuple(slots)


def parse_report(content: bytes | str) -> dict[str, Row]:
    """Rows of the CSV credential report keyed by ARN; the root row under ROOT_ROW."""
    text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
    rows: dict[str, Row] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("user") == ROOT_ROW:
            rows[ROOT_ROW] = row
        elif row.get("arn"):
            rows[row["arn"]] = row
    return rows


def read_credential_report(ctx: Ctx, iam: Any) -> dict[str, Row] | None:
    """Generate (bounded polling), then fetch and parse. None when it could not be read.

    A report still in progress after the polling budget is fetched anyway: AWS then answers with an
    error (ReportInProgress), which is recorded like any other failed read.
    """
    for delay in (0.0, *POLL_DELAYS):
        time.sleep(delay)
        generated = ctx.call(iam, "generate_credential_report")
        if generated is None:
            return None  # recorded; a stale report from before is not evidence
        if generated.get("State") == "COMPLETE":
            break
    got = ctx.call(iam, "get_credential_report")
    if got is None:
        return None
    if got.get("ReportFormat", "text/csv") != "text/csv" or "Content" not in got:
        ctx.record(GET_REPORT, ValueError(f"unexpected credential report format {got.get('ReportFormat')!r}"), None)
        return None
    return parse_report(got["Content"])


# -- authorization details ---------------------------------------------------------------------

def policy_document(raw: Any) -> dict[str, Any] | None:
    """botocore decodes IAM policy documents; decode here too in case it did not."""
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        try:
            doc = json.loads(unquote(raw))
        except ValueError:
            return None
        return doc if isinstance(doc, dict) else None
    return None


def inline(items: list[dict[str, Any]] | None) -> PolicyDocuments:
    return {str(p.get("PolicyName", "")): policy_document(p.get("PolicyDocument")) for p in items or []}


def attached(items: list[dict[str, Any]] | None) -> tuple[str, ...]:
    return tuple(str(p["PolicyArn"]) for p in items or [] if p.get("PolicyArn"))


# GetAccountAuthorizationDetails' entity filters and the response key of each.
ENTITIES = {"User": "UserDetailList", "Group": "GroupDetailList", "Role": "RoleDetailList",
            "LocalManagedPolicy": "Policies"}
# One read of every entity kind per shard, shared by the collectors that need it (dropped with the shard).
_DETAILS: WeakKeyDictionary[Ctx, tuple[dict[str, list[dict[str, Any]]], bool]] = WeakKeyDictionary()


def authorization_details(ctx: Ctx, iam: Any, entity: str, key: str) -> tuple[list[dict[str, Any]], bool]:
    """One entity kind of GetAccountAuthorizationDetails: the items read, and whether every page was.

    Users, groups, roles and policies come from one listing (one call per page of all four kinds together),
    not one listing per kind: an account's IAM costs the same few calls whatever its size.
    """
    if ctx not in _DETAILS:
        _DETAILS[ctx] = _read_details(ctx, iam)
    items, complete = _DETAILS[ctx]
    return items[key], complete


def _read_details(ctx: Ctx, iam: Any) -> tuple[dict[str, list[dict[str, Any]]], bool]:
    items: dict[str, list[dict[str, Any]]] = {key: [] for key in ENTITIES.values()}
    marker: str | None = None
    seen: set[str] = set()
    while True:
        page = ctx.call(iam, "get_account_authorization_details", Filter=list(ENTITIES), MaxItems=PAGE,
                        **({"Marker": marker} if marker else {}))
        if page is None:
            return items, False  # recorded: what was read is kept, and known to be incomplete
        for key in ENTITIES.values():
            items[key] += page.get(key) or []
        marker = page.get("Marker") if page.get("IsTruncated") else None
        if marker is None:
            return items, True
        if marker in seen:  # an endpoint that does not advance: stop, incomplete, rather than loop
            ctx.record(GAAD, ValueError(f"page marker {marker!r} handed back twice"), None)
            return items, False
        seen.add(marker)


# -- collectors ----------------------------------------------------------------------------------

@collector(
    service="iam",
    scope="global",
    produces=[IamUser, IamRoot],
    permissions=["iam:GenerateCredentialReport", GET_REPORT, GAAD, "iam:GetAccountSummary",
                 "iam:ListVirtualMFADevices"],
)
def collect_principals(ctx: Ctx) -> Iterator[IamUser | IamRoot]:
    iam = ctx.client("iam")
    report = read_credential_report(ctx, iam)
    yield _root(ctx, iam, (report or {}).get(ROOT_ROW))
    details, complete = authorization_details(ctx, iam, "User", "UserDetailList")
    by_arn = {str(u["Arn"]): u for u in details if u.get("Arn")}
    arns = set(by_arn)
    if not complete:
        # Without a complete listing, the report's users are the best list; a complete listing
        # wins, since report rows can outlive deleted users for up to four hours.
        arns |= {arn for arn in report or {} if arn != ROOT_ROW}
    for arn in sorted(arns):
        yield _user(ctx, arn, by_arn.get(arn), None if report is None else report.get(arn))


def _root(ctx: Ctx, iam: Any, row: Row | None) -> IamRoot:
    arn = ctx.arn("iam", "root")
    summary = (ctx.call(iam, "get_account_summary", resource_arn=arn) or {}).get("SummaryMap") or {}
    mfa = bool(summary["AccountMFAEnabled"]) if "AccountMFAEnabled" in summary else None
    keys = bool(summary["AccountAccessKeysPresent"]) if "AccountAccessKeysPresent" in summary else None
    before = len(ctx.errors)
    devices = list(ctx.paginate(iam, "list_virtual_mfa_devices", "VirtualMFADevices", resource_arn=arn,
                                AssignmentStatus="Assigned", MaxItems=PAGE))
    virtual = None
    if not any(e.operation == "iam:ListVirtualMFADevices" for e in ctx.errors[before:]):
        virtual = any((d.get("User") or {}).get("Arn") == arn for d in devices)
    return IamRoot(
        arn=arn, id=ctx.account_id, account_id=ctx.account_id, region=ctx.region, name="root",
        mfa_enabled=mfa, access_keys_present=keys, virtual_mfa=virtual, in_report=row is not None,
        password_last_used=report_date(row.get("password_last_used")) if row else None,
        access_keys=access_keys(row) if row else None,
    )


def _user(ctx: Ctx, arn: str, detail: dict[str, Any] | None, row: Row | None) -> IamUser:
    name = str((detail or {}).get("UserName") or (row or {}).get("user") or arn.rsplit("/", 1)[-1])
    created = (detail or {}).get("CreateDate") or report_date((row or {}).get("user_creation_time"))
    fields: dict[str, Any] = {}
    if row is not None:
        fields.update(
            password_enabled=report_bool(row.get("password_enabled")),
            password_last_used=report_date(row.get("password_last_used")),
            password_last_changed=report_date(row.get("password_last_changed")),
            mfa_active=report_bool(row.get("mfa_active")),
            access_keys=access_keys(row),
        )
    if detail is not None:
        boundary = detail.get("PermissionsBoundary") or {}
        fields.update(
            path=detail.get("Path", "/"),
            groups=tuple(str(g) for g in detail.get("GroupList") or []),
            attached_policies=attached(detail.get("AttachedManagedPolicies")),
            inline_policies=inline(detail.get("UserPolicyList")),
            permissions_boundary=boundary.get("PermissionsBoundaryArn"),
            tags=tags_from(detail.get("Tags")),
        )
    return IamUser(
        arn=arn, id=str((detail or {}).get("UserId") or name), account_id=ctx.account_id, region=ctx.region,
        name=name, created=created, **fields,
    )


def _entity(item: dict[str, Any], kind: str, ctx: Ctx) -> dict[str, Any]:
    """The fields every entity shares, parsed defensively: moto, for one, omits PolicyName and PolicyId."""
    arn = str(item.get("Arn", ""))
    name = str(item.get(f"{kind}Name") or arn.rsplit("/", 1)[-1])
    return {"arn": arn, "id": str(item.get(f"{kind}Id") or name), "name": name, "path": item.get("Path", "/"),
            "account_id": ctx.account_id, "region": ctx.region}


def _members(users: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Group name -> the names of its users, from the users' GroupList (groups list no members of their own)."""
    out: dict[str, list[str]] = {}
    for u in users:
        for group in u.get("GroupList") or []:
            out.setdefault(str(group), []).append(str(u.get("UserName") or ""))
    return out


def _boundary_uses(users: list[dict[str, Any]], roles: list[dict[str, Any]]) -> dict[str, int]:
    """Policy ARN -> how many users and roles have it as their permissions boundary."""
    out: dict[str, int] = {}
    for entity in users + roles:
        arn = (entity.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
        if arn:
            out[str(arn)] = out.get(str(arn), 0) + 1
    return out


@collector(service="iam", scope="global", produces=[IamGroup, IamRole, IamPolicy], permissions=[GAAD])
def collect_policies(ctx: Ctx) -> Iterator[IamGroup | IamRole | IamPolicy]:
    """Groups with their members, roles, and customer-managed policies with their documents and use (AWS-managed
    ones are not read). Every field comes from the one GetAccountAuthorizationDetails listing."""
    iam = ctx.client("iam")
    users, complete = authorization_details(ctx, iam, "User", "UserDetailList")
    roles = authorization_details(ctx, iam, "Role", "RoleDetailList")[0]
    members = _members(users) if complete else None  # a missing page may hold any group's members
    for g in authorization_details(ctx, iam, "Group", "GroupDetailList")[0]:
        if g.get("Arn"):
            entity = _entity(g, "Group", ctx)
            yield IamGroup(**entity, attached_policies=attached(g.get("AttachedManagedPolicies")),
                           inline_policies=inline(g.get("GroupPolicyList")),
                           members=None if members is None else tuple(sorted(members.get(entity["name"], []))))
    for r in roles:
        if r.get("Arn"):
            yield IamRole(
                **_entity(r, "Role", ctx), attached_policies=attached(r.get("AttachedManagedPolicies")),
                inline_policies=inline(r.get("RolePolicyList")),
                trust_policy=policy_document(r.get("AssumeRolePolicyDocument")), tags=tags_from(r.get("Tags")),
            )
    boundaries = _boundary_uses(users, roles) if complete else None
    for p in authorization_details(ctx, iam, "LocalManagedPolicy", "Policies")[0]:
        if not p.get("Arn"):
            continue
        default = str(p.get("DefaultVersionId", ""))
        version: dict[str, Any] = next((v for v in p.get("PolicyVersionList") or []
                                        if v.get("IsDefaultVersion") or v.get("VersionId") == default), {})
        # AWS states PermissionsBoundaryUsageCount; where an endpoint omits it (moto), count the boundaries the
        # same listing names on users and roles.
        used_as_boundary = p.get("PermissionsBoundaryUsageCount")
        if used_as_boundary is None and boundaries is not None:
            used_as_boundary = boundaries.get(str(p["Arn"]), 0)
        yield IamPolicy(
            **_entity(p, "Policy", ctx), default_version_id=default,
            document=policy_document(version.get("Document")), attachment_count=p.get("AttachmentCount"),
            boundary_count=used_as_boundary,
        )


@collector(
    service="iam",
    scope="global",
    produces=[IamPasswordPolicy],
    permissions=["iam:GetAccountPasswordPolicy"],
    absent={"iam:GetAccountPasswordPolicy": ["NoSuchEntity"]},
)
def collect_password_policy(ctx: Ctx) -> Iterator[IamPasswordPolicy]:
    iam = ctx.client("iam")
    arn = ctx.arn("iam", "account-password-policy")
    resp = ctx.call(iam, "get_account_password_policy", resource_arn=arn)
    base: dict[str, Any] = {"arn": arn, "id": f"{ctx.account_id}/password-policy", "account_id": ctx.account_id,
                            "region": ctx.region, "name": "account password policy"}
    if resp is None:
        yield IamPasswordPolicy(**base)  # exists=None: unknown, never "no policy"
        return
    pp = resp.get("PasswordPolicy")
    if not pp:
        yield IamPasswordPolicy(**base, exists=False)
        return
    yield IamPasswordPolicy(
        **base, exists=True, minimum_length=pp.get("MinimumPasswordLength"),
        require_uppercase=bool(pp.get("RequireUppercaseCharacters")),
        require_lowercase=bool(pp.get("RequireLowercaseCharacters")),
        require_numbers=bool(pp.get("RequireNumbers")), require_symbols=bool(pp.get("RequireSymbols")),
        max_age_days=pp.get("MaxPasswordAge") or None,
        reuse_prevention=pp.get("PasswordReusePrevention"),
        allow_users_to_change=bool(pp.get("AllowUsersToChangePassword")), hard_expiry=bool(pp.get("HardExpiry")),
    )
