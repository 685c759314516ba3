"""Security Hub resources: the hub of each scanned region and the standards it runs."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource

RUNNING = ("READY", "INCOMPLETE")  # INCOMPLETE: enabled, though some of its controls could not be


class SecurityHubHub(Resource):
    """Security Hub in one region: subscribed or not, and its standards subscriptions.

    One record per scanned region; enabled is False when DescribeHub says the account is not subscribed.
    """

    type: ClassVar[str] = "AWS::SecurityHub::Hub"
    enabled: bool = False
    subscribed_at: str | None = None
    auto_enable_controls: bool | None = None
    # standard ARN -> StandardsStatus (GetEnabledStandards); None: not read (or hub not enabled)
    standards: dict[str, str] | None = None

    @property
    def running_standards(self) -> list[str]:
        """Short names of the standards that run, e.g. "aws-foundational-security-best-practices/v/1.0.0"."""
        return sorted(arn.split(":", 5)[-1].removeprefix("standards/").removeprefix("ruleset/")
                      for arn, status in (self.standards or {}).items() if status in RUNNING)
