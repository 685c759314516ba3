"""What the pages show and the JSON API returns: one set of models for both.

Store records (ScanRecord, FindingRow, ScanDiff ...) are reused as they are; these add what a page
puts together around them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from assay.store.records import AttestationState, FindingRow, ScanRecord


class View(BaseModel):
    model_config = ConfigDict(frozen=True)


class FindingPage(View):
    items: list[FindingRow]
    total: int
    limit: int
    offset: int


class ScanList(View):
    items: list[ScanRecord]
    total: int
    limit: int
    offset: int


class Remediation(View):
    console: str
    cli: str
    terraform: str


class ControlInfo(View):
    """A control as the installed Assay defines it."""

    id: str
    title: str
    severity: str
    service: str
    resource_type: str
    rationale: str
    needs: list[str]
    params: dict[str, Any]
    criteria: list[str]
    remediation: Remediation


class ControlSummary(View):
    id: str
    title: str
    severity: str
    status: str  # in the scan: pass | pass_with_exceptions | fail | error | not_applicable
    counts: dict[str, int]


class CategoryView(View):
    id: str
    name: str
    passing: int  # automated criteria passing (with or without exceptions)
    evaluated: int  # automated criteria with a verdict
    pass_rate: float | None
    criteria: dict[str, int]  # every criterion of the category, by status


class CriterionTile(View):
    id: str
    title: str
    category: str
    kind: str
    status: str
    failing: int
    attestation: str | None  # manual criteria: attested | expired | missing


class CoverageSummary(View):
    shards: dict[str, int]  # (account, region, service) shards by coverage status
    errors: int  # collection errors recorded


class Overview(View):
    scan: ScanRecord | None  # None: the store holds no scan yet
    framework: str  # its name, e.g. "SOC 2 Trust Services Criteria ..."
    state: str  # complete | partial | empty
    categories: list[CategoryView]
    criteria: list[CriterionTile]
    coverage: CoverageSummary | None
    attention: list[ControlSummary]  # failing controls, worst first


class CriterionView(View):
    scan_id: int
    id: str
    title: str
    category: str
    category_name: str
    kind: str
    status: str
    rationale: str
    evidence: str
    counts: dict[str, int]
    controls: list[ControlSummary]
    remediation: dict[str, Remediation]
    findings: FindingPage  # the criterion's findings with the requested status (failing by default)
    attestation: AttestationState | None


class ControlPoint(View):
    scan_id: int
    started_at: datetime
    complete: bool
    status: str
    counts: dict[str, int]
    pass_rate: float | None


class ControlView(View):
    scan_id: int
    control: ControlInfo
    status: str
    counts: dict[str, int]
    findings: FindingPage
    history: list[ControlPoint]  # oldest first


class ResourceInfo(View):
    """The resource as the scan's snapshot recorded it."""

    arn: str
    type: str
    tags: dict[str, str]
    attributes: dict[str, Any]


class FindingView(View):
    finding: FindingRow
    control: ControlInfo | None  # None: a control this Assay no longer has
    same_resource: list[FindingRow]  # the resource's other findings in this scan
    history: list[FindingRow]  # this finding in earlier scans, newest first
    resource: ResourceInfo | None


class ExceptionItem(View):
    scan_id: int
    finding_id: str
    control_id: str
    title: str
    severity: str
    account_id: str
    region: str
    resource_arn: str
    resource_name: str
    type: str
    reason: str
    owner: str
    approver: str
    expires: date | None
    days_left: int | None
    state: str  # active | expiring (within the warning window) | expired


class AttestationItem(View):
    criterion: str
    title: str
    state: str  # attested | expiring | expired | missing
    attested_by: str | None
    valid_until: date | None
    days_left: int | None
    evidence_sha256: str | None


class ExceptionsView(View):
    scan_id: int | None
    warn_days: int
    exceptions: list[ExceptionItem]
    attestations: list[AttestationItem]
    counts: dict[str, int]  # exceptions: active, expiring, expired; attestations: missing, expiring, expired


class CoverageCell(View):
    account_id: str
    region: str
    service: str
    status: str
    resources: int
    errors: int
    reason: str


class CollectionErrorItem(View):
    account_id: str
    region: str
    service: str
    operation: str
    code: str
    kind: str
    message: str
    resource_arn: str | None


class CoverageView(View):
    scan_id: int
    complete: bool
    coverage_percent: float
    accounts: list[str]
    regions: list[str]
    services: list[str]
    cells: list[CoverageCell]
    errors: list[CollectionErrorItem]
    errors_total: int


class Me(View):
    name: str
    role: str
    kind: str  # session | token
