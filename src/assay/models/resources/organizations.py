"""AWS Organizations resources: the organisation the account belongs to (or not), and its SCPs."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class Organization(Resource):
    """The scanned account's view of its organisation: one record per account.

    in_organization False is AWS's own answer (AWSOrganizationsNotInUseException). `scps` maps each
    service control policy that is not the AWS-managed default (FullAWSAccess) to the targets it is
    attached to ("ROOT r-abcd", "ORGANIZATIONAL_UNIT ou-...", "ACCOUNT 1234..."); None when not read,
    which is the usual case for member accounts: only the management account or a delegated
    administrator may list policies.
    """

    type: ClassVar[str] = "AWS::Organizations::Organization"
    in_organization: bool = False
    org_id: str | None = None
    management_account_id: str | None = None
    feature_set: str | None = None  # ALL (SCPs possible) or CONSOLIDATED_BILLING
    scps: dict[str, tuple[str, ...]] | None = None

    @property
    def is_management_account(self) -> bool:
        return self.in_organization and self.management_account_id == self.account_id
