"""IAM Access Analyzer resources: the external-access analyzer of each scanned region and its open findings."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource

EXTERNAL_ACCESS_TYPES = ("ACCOUNT", "ORGANIZATION")  # the *_UNUSED_ACCESS / *_INTERNAL_ACCESS kinds do not count


class ExternalAccess(BaseModel):
    """One ACTIVE external-access finding, as listed (never the policy text)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    resource: str
    resource_type: str
    public: bool
    owner_account: str = ""


class AccessAnalyzerRegion(Resource):
    """Access Analyzer in one region: the analyzer that watches external access there, or none.

    One record per scanned region; analyzer_name is None when no ACTIVE analyzer of type ACCOUNT or
    ORGANIZATION exists. `others` describes analyzers that do not qualify, for messages.
    """

    type: ClassVar[str] = "AWS::AccessAnalyzer::Analyzer"
    analyzer_name: str | None = None
    analyzer_type: str | None = None
    others: tuple[str, ...] = ()  # e.g. "old (ACCOUNT, FAILED)", "unused (ACCOUNT_UNUSED_ACCESS, ACTIVE)"
    # ListFindings with status ACTIVE; None: no analyzer, or the listing failed
    active_findings: int | None = None
    public_findings: int | None = None
    sample: tuple[ExternalAccess, ...] = ()  # the first few, for messages
