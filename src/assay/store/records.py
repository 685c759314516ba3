"""What the store returns: frozen pydantic models, JSON-serialisable with `model_dump(mode="json")`."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


def criterion_order(cid: str) -> tuple[Any, ...]:
    """Sort key: CC1.2 before CC1.10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", cid))


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class ScanRecord(Record):
    id: int  # position in the chain: 1, 2, 3 ... with no gaps
    uuid: str  # the collection's scan id (ScanMeta.scan_id)
    started_at: datetime
    finished_at: datetime
    ingested_at: datetime
    tool_version: str
    framework: str
    accounts: list[str]
    regions: list[str]
    complete: bool
    coverage_percent: float
    counts: dict[str, int]  # pass, fail, error, skip, excepted, stale (stale failures are in fail too)
    content_hash: str
    hash: str
    prev_hash: str
    signature: str
    key_id: str
    stored_now: bool = False  # set by ingest(): False when the same scan was already stored

    @property
    def state(self) -> str:
        return "complete" if self.complete else "partial"


class FindingRow(Record):
    scan_id: int
    finding_id: str
    control_id: str
    title: str
    severity: str
    status: str  # pass | fail | error | skip (a stale row keeps its last evaluated status)
    excepted: bool
    stale: bool  # not evaluated in this scan: the last state is carried forward
    stale_reason: str | None
    evaluated_in: int  # the scan that last evaluated it
    first_seen_in: int  # the first scan (of this account) where it appeared
    account_id: str
    region: str
    resource_arn: str
    resource_id: str
    resource_name: str
    resource_type: str
    message: str
    criteria: list[str]
    exception: dict[str, Any] | None
    data: dict[str, Any]  # the whole Finding as evaluated


class Page(Record, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class CriterionRow(Record):
    scan_id: int
    id: str
    title: str
    category: str
    kind: str  # automated | manual | inherited
    status: str
    counts: dict[str, int]
    controls: list[str]


class CriterionRate(Record):
    status: str
    pass_rate: float | None  # passing share of its evaluated findings; None: none evaluated


class CategoryRate(Record):
    passing: int  # automated criteria passing (with or without exceptions)
    evaluated: int  # automated criteria with a verdict other than not_applicable
    pass_rate: float | None


class ScanSummary(Record):
    scan: ScanRecord
    pass_rate: float | None  # over every evaluated finding of the scan
    criteria: dict[str, CriterionRate]
    categories: dict[str, CategoryRate]


class ScanRef(Record):
    id: int
    uuid: str
    started_at: datetime
    complete: bool


class FindingChange(Record):
    finding_id: str
    control_id: str
    title: str
    severity: str
    account_id: str
    region: str
    resource_arn: str
    resource_name: str
    old_status: str | None  # None: not in the old scan
    new_status: str | None  # None: not in the new scan
    excepted: bool
    stale: bool
    message: str


class CriterionChange(Record):
    id: str
    title: str
    category: str
    old_status: str | None
    new_status: str | None
    changed: bool


class ScanDiff(Record):
    old: ScanRef
    new: ScanRef
    new_findings: list[FindingChange]  # failing now, absent from the old scan
    regressed: list[FindingChange]  # failing now, passing / not applicable / unknown before
    resolved: list[FindingChange]  # failing before; passing, not applicable or gone from a complete scan now
    still_failing: list[FindingChange]  # failing in both (stale: carried forward, not re-evaluated)
    not_evaluated: list[FindingChange]  # failing before, could not be evaluated now: never counted resolved
    criteria: list[CriterionChange]

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new_findings), "regressed": len(self.regressed), "resolved": len(self.resolved),
                "still_failing": len(self.still_failing), "not_evaluated": len(self.not_evaluated),
                "criteria_changed": sum(1 for c in self.criteria if c.changed)}


class Attestation(Record):
    id: int
    framework: str
    criterion: str
    attested_by: str
    note: str
    valid_until: date
    created_at: datetime
    evidence_name: str
    evidence_sha256: str
    evidence_size: int
    signature: str
    key_id: str


class AttestationState(Record):
    criterion: str
    title: str
    state: str  # attested | expired | missing
    attested_by: str | None
    valid_until: date | None
    attestation_id: int | None
    evidence_sha256: str | None


class Gap(Record):
    start: datetime
    end: datetime
    hours: float
    between: tuple[int | None, int | None]  # scan ids around the gap (None: the window's edge)


class Streak(Record):
    scans: int
    start: datetime
    end: datetime  # last failing scan


class TypeIIItem(Record):
    id: str  # control or criterion id
    title: str
    scans: int  # scans in the window where it had a verdict (not_applicable excluded)
    passing: int  # pass or pass_with_exceptions
    excepted: int  # of those, passing only because of an exception
    failing: int
    unknown: int  # error: could not be evaluated
    pass_share: float | None
    first_failure: datetime | None
    last_failure: datetime | None
    longest_failing_streak: Streak | None
    remediations: int  # failing episodes that ended with a pass
    mean_hours_to_remediate: float | None
    max_hours_to_remediate: float | None
    failing_at_end: bool


class TypeIIView(Record):
    start: datetime
    end: datetime
    scans: list[ScanRef]
    max_gap_hours: float
    gaps: list[Gap]
    controls: list[TypeIIItem]
    criteria: list[TypeIIItem]


class ChainProblem(Record):
    scan_id: int | None
    problem: str


class ChainReport(Record):
    checked: int
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems
