"""Which accounts one scan covers, and how each is reached: the command line's and the API's account options.

Sources, combinable where that is unambiguous:
- the caller's own account (no option), or one account per `--profile`;
- one account per `--role-arn`, assumed from the (single) profile or the default chain;
- one account per line of an `--accounts-file`, likewise;
- `--organization`: every ACTIVE account of the organisation, filtered by `--ou`, `--account` and
  `--exclude-account`, each entered through `--org-role` (see assay.collect.organization).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assay.collect.accounts_file import load_accounts_file
from assay.collect.organization import DEFAULT_ORG_ROLE, Discovery, discover, member_accesses
from assay.collect.ratelimit import DEFAULT_MAX_RATE
from assay.collect.session import AwsAccess
from assay.errors import UsageError
from assay.models.inventory import Inventory

ROLE_ARN = re.compile(r"arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+")


@dataclass
class OrgOptions:
    ous: Sequence[str] = ()
    accounts: Sequence[str] = ()
    exclude_accounts: Sequence[str] = ()
    role: str = DEFAULT_ORG_ROLE


@dataclass
class Targets:
    accesses: list[AwsAccess]
    discovery: Discovery | None = None
    calls: Counter[str] = field(default_factory=Counter)  # reads made to find the accounts

    def notes(self) -> list[str]:
        """Lines worth telling the user before the scan starts."""
        if self.discovery is None:
            return []
        d = self.discovery
        out = [f"Organization: {len(d.accounts)} active account(s) selected"]
        if d.skipped:
            out.append("not scanned (not ACTIVE): " + ", ".join(f"{a.id} ({a.state})" for a in d.skipped))
        return out

    def record(self, inv: Inventory) -> Inventory:
        """Discovery reads are API calls of this scan too: add them to the snapshot's counts."""
        if self.calls:
            merged = Counter(inv.meta.api_calls)
            merged.update(self.calls)
            inv.meta.api_calls = dict(sorted(merged.items()))
        return inv


def build_targets(
    *,
    profiles: Sequence[str] = (),
    role_arns: Sequence[str] = (),
    external_id: str | None = None,
    endpoint_url: str | None = None,
    max_rate: float | None = DEFAULT_MAX_RATE,
    organization: OrgOptions | None = None,
    accounts_file: Path | None = None,
) -> Targets:
    profiles = list(dict.fromkeys(profiles))
    role_arns = list(dict.fromkeys(role_arns))
    for arn in role_arns:
        if not ROLE_ARN.fullmatch(arn):
            raise UsageError(f"--role-arn {arn!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
    if external_id and not (role_arns or organization or accounts_file):
        raise UsageError("--external-id needs --role-arn, --organization or --accounts-file")
    if len(profiles) > 1 and (role_arns or organization or accounts_file):
        raise UsageError("several --profile values scan one account each; --role-arn, --organization and "
                         "--accounts-file take at most one --profile as the source of their credentials")

    def base(profile: str | None = None, role_arn: str | None = None, external: str | None = None) -> AwsAccess:
        return AwsAccess(profile=profile, role_arn=role_arn, external_id=external, endpoint_url=endpoint_url,
                         max_rate=max_rate or None)

    source = profiles[0] if profiles else None
    if organization is not None:
        if role_arns and len(role_arns) > 1:
            raise UsageError("--organization takes at most one --role-arn: the management or delegated "
                             "administrator account's")
        if accounts_file:
            raise UsageError("--organization and --accounts-file are alternatives: use one")
        management = base(source, role_arns[0] if role_arns else None, external_id if role_arns else None)
        found = discover(management, ous=organization.ous, include=organization.accounts,
                         exclude=organization.exclude_accounts)
        if not found.accounts:
            raise UsageError("the organization has no ACTIVE account matching the filters: nothing to scan")
        member_external = None if role_arns else external_id
        return Targets(member_accesses(management, found, organization.role, member_external), found, found.calls)

    accesses = [base(source, arn, external_id) for arn in role_arns]
    if accounts_file is not None:
        listed = {a.role_arn for a in accesses}
        for entry in load_accounts_file(accounts_file):
            if entry.role_arn not in listed:
                accesses.append(base(source, entry.role_arn, entry.external_id or external_id))
    if not accesses:
        accesses = [base(p) for p in profiles] or [base()]
    return Targets(accesses)
