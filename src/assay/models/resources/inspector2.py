"""Amazon Inspector: the account's scan status in each scanned region."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class InspectorAccountStatus(Resource):
    """Inspector's status for this account in one region (BatchGetAccountStatus).

    resource_states maps a scan type ("ec2", "ecr", "lambda", "lambdaCode") to its status ("ENABLED",
    "DISABLED", "SUSPENDED" ...). None means unknown: the read failed, or Inspector did not report the
    account (failure then says why).
    """

    type: ClassVar[str] = "AWS::Inspector2::AccountStatus"
    state: str | None = None
    resource_states: dict[str, str] | None = None
    failure: str | None = None  # "<errorCode>: <errorMessage>" when Inspector listed the account as failed
