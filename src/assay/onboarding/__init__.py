"""Onboarding templates: the read-only scanning role as IAM JSON, CloudFormation (one account, or an
organization through a StackSet) or Terraform, from the permissions the collectors declare.

Every template grants exactly `assay permissions` (split into managed policies that fit IAM's size
limit), adds AWS's SecurityAudit and ViewOnlyAccess only when asked, and trusts one account (the
scanner's) only with the agreed external id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assay import __version__
from assay.errors import UsageError

DEFAULT_ROLE_NAME = "AssayScan"
ACCOUNT_ID = re.compile(r"^\d{12}$")
# IAM's patterns: role names, and the external id of sts:AssumeRole (2 to 1,224 characters).
ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
DESCRIPTION = (f"Assay {__version__} read-only SOC 2 scanning role: exactly the read-only actions Assay's "
               "collectors declare")


@dataclass(frozen=True)
class RoleOptions:
    role_name: str = DEFAULT_ROLE_NAME
    trusted_account: str | None = None  # None: a required template parameter / variable
    external_id: str | None = None  # None: a required template parameter / variable
    include_managed: bool = False  # also attach AWS's SecurityAudit and ViewOnlyAccess

    def __post_init__(self) -> None:
        if self.trusted_account is not None and not ACCOUNT_ID.match(self.trusted_account):
            raise UsageError(f"--trusted-account {self.trusted_account!r} is not a 12-digit AWS account id")
        if self.external_id is not None and not EXTERNAL_ID.match(self.external_id):
            raise UsageError("--external-id must be 2 to 1,224 characters of letters, digits and +=,.@:/-")
        if not ROLE_NAME.match(self.role_name):
            raise UsageError(f"--role-name {self.role_name!r} is not a valid IAM role name "
                             "(1 to 64 characters of letters, digits and +=,.@_-)")
