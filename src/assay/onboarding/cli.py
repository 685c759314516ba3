"""`assay permissions`: the scanning role's policy, or a template that creates the role."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from assay.atomic import atomic_write
from assay.errors import UsageError


class PermissionsFormat(StrEnum):
    iam_json = "iam-json"
    cloudformation = "cloudformation"
    terraform = "terraform"


def permissions(
    fmt: Annotated[PermissionsFormat, typer.Option(
        "--format", "-f", help="iam-json: the policy; cloudformation or terraform: the scanning role.")
    ] = PermissionsFormat.iam_json,
    include_managed: Annotated[bool, typer.Option(
        "--include-managed", help="Also attach AWS's SecurityAudit and ViewOnlyAccess managed policies.")] = False,
    trusted_account: Annotated[str | None, typer.Option(
        "--trusted-account", help="The account Assay scans from (default: a template parameter).")] = None,
    external_id: Annotated[str | None, typer.Option(
        "--external-id", help="External id the scanner presents (default: a template parameter).")] = None,
    role_name: Annotated[str, typer.Option("--role-name", help="Name of the scanning role.")] = "AssayScan",
    stackset: Annotated[bool, typer.Option(
        "--stackset", help="CloudFormation: deploy the role to organizational units through a service-managed "
        "StackSet.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Print the least-privilege read-only IAM policy the collectors need, or a role template.

    The role trusts only --trusted-account, and only with --external-id; its policies grant exactly
    the read-only actions Assay declares (split into managed policies of at most 6,144 characters).
    Importing findings into Security Hub (`assay export securityhub`) is not part of it.
    """
    from assay.onboarding import RoleOptions
    from assay.onboarding.cloudformation import dump, role_template, stackset_template
    from assay.onboarding.policies import INLINE_POLICY_LIMIT, MANAGED_POLICY_LIMIT, policy_size
    from assay.onboarding.terraform import render
    from assay.permissions import policy_document

    if fmt is PermissionsFormat.iam_json:
        given = [flag for flag, on in (("--include-managed", include_managed), ("--trusted-account", trusted_account),
                                       ("--external-id", external_id), ("--role-name", role_name != "AssayScan"),
                                       ("--stackset", stackset)) if on]
        if given:
            raise UsageError(f"{', '.join(given)} appl{'ies' if len(given) == 1 else 'y'} to --format "
                             "cloudformation or terraform")
        doc = policy_document()
        text = json.dumps(doc, indent=2) + "\n"
        size = policy_size(doc)
        if size > INLINE_POLICY_LIMIT:
            print(f"note: this policy is {size:,} characters, more than IAM allows in one policy; --format "
                  "cloudformation or terraform splits it into managed policies that fit.", file=sys.stderr)
        elif size > MANAGED_POLICY_LIMIT:
            print(f"note: this policy is {size:,} characters: attach it inline (up to {INLINE_POLICY_LIMIT:,} per "
                  f"role), not as one managed policy (up to {MANAGED_POLICY_LIMIT:,}); --format cloudformation or "
                  "terraform splits it.", file=sys.stderr)
    else:
        if stackset and fmt is not PermissionsFormat.cloudformation:
            raise UsageError("--stackset applies to --format cloudformation")
        opts = RoleOptions(role_name=role_name, trusted_account=trusted_account, external_id=external_id,
                           include_managed=include_managed)
        if fmt is PermissionsFormat.terraform:
            text = render(opts)
        else:
            text = dump(stackset_template(opts) if stackset else role_template(opts))
    if output:
        with atomic_write(output) as fh:
            fh.write(text)
        print(f"Wrote {fmt.value} to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
