"""Amazon Macie: the account's Macie session in each scanned region."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class MacieSession(Resource):
    """Macie in one region. status is "ENABLED" or "PAUSED", or "" when Macie is not enabled there."""

    type: ClassVar[str] = "AWS::Macie::Session"
    status: str = ""
    finding_publishing_frequency: str = ""
