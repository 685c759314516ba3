"""The JSON API under /api/: everything the pages show. Every route needs a session or a bearer token."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse

from assay.store.records import Attestation, CriterionRow, ScanDiff, ScanRecord, ScanSummary
from assay.web import queries, trends
from assay.web.auth import Principal, api_role, api_user, dashboard
from assay.web.params import (
    Account,
    PageParam,
    PerPage,
    Region,
    ResourceType,
    ScanParam,
    Search,
    SeverityParam,
    StatusParam,
    filters,
)
from assay.web.schemas import (
    ControlView,
    CoverageView,
    CriterionView,
    ExceptionsView,
    FindingPage,
    FindingView,
    Me,
    Overview,
    ScanList,
)
from assay.web.users import Role

AUTH = Depends(api_user)
router = APIRouter(prefix="/api", dependencies=[AUTH])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such scan, criterion, control or finding"}}


@router.get("/me", tags=["access"])
def me(user: Annotated[Principal, AUTH]) -> Me:
    """Who the credentials belong to, and their role."""
    return Me(name=user.name, role=user.role.value, kind=user.kind)


@router.get("/scans", tags=["scans"])
def scans(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50,
          offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> ScanList:
    """Stored scans, newest first."""
    dash = dashboard(request)
    return ScanList(items=dash.store.scans(limit=limit, offset=offset), total=queries.scan_count(dash),
                    limit=limit, offset=offset)


@router.get("/scans/{scan_id}", tags=["scans"], responses=NOT_FOUND)
def scan(request: Request, scan_id: int) -> ScanRecord:
    """One stored scan: time, accounts, regions, completeness, counts, chain hash and signature."""
    return queries.require_scan(dashboard(request), scan_id)


@router.get("/overview", tags=["compliance"], responses=NOT_FOUND)
def overview(request: Request, scan: ScanParam = None) -> Overview:
    """Pass rate per Trust Services Category, every criterion's state, coverage, the worst failing controls."""
    return queries.overview(dashboard(request), scan)


@router.get("/criteria", tags=["compliance"], responses=NOT_FOUND)
def criteria(request: Request, scan: ScanParam = None) -> list[CriterionRow]:
    """Every criterion of the scan's framework with its state and finding counts."""
    dash = dashboard(request)
    return list(dash.store.criteria(queries.require_scan(dash, scan).id))


@router.get("/criteria/{criterion_id}", tags=["compliance"], responses=NOT_FOUND)
def criterion(request: Request, criterion_id: str, scan: ScanParam = None, account: Account = None,
              region: Region = None, severity: SeverityParam = None, status: StatusParam = "fail",
              q: Search = None, page: PageParam = 1, per_page: PerPage = 50) -> CriterionView:
    """A criterion: rationale, its controls, remediation, and its findings (failing by default)."""
    return queries.criterion(dashboard(request), scan, criterion_id,
                             filters(account, region, severity, status, q, page, per_page))


@router.get("/controls/{control_id}", tags=["compliance"], responses=NOT_FOUND)
def control(request: Request, control_id: str, scan: ScanParam = None, account: Account = None,
            region: Region = None, severity: SeverityParam = None, status: StatusParam = None,
            q: Search = None, page: PageParam = 1, per_page: PerPage = 50) -> ControlView:
    """A control: description, parameters, remediation, its resources by status, its history across scans."""
    return queries.control(dashboard(request), scan, control_id,
                           filters(account, region, severity, status, q, page, per_page))


@router.get("/findings", tags=["findings"], responses=NOT_FOUND)
def findings(request: Request, scan: ScanParam = None, account: Account = None, region: Region = None,
             severity: SeverityParam = None, status: StatusParam = None, q: Search = None,
             resource_type: ResourceType = None,
             control: Annotated[str | None, Query(max_length=128)] = None,
             criterion: Annotated[str | None, Query(max_length=32)] = None,
             page: PageParam = 1, per_page: PerPage = 50) -> FindingPage:
    """Resource search across accounts and regions: one page of a scan's findings, most severe first."""
    dash = dashboard(request)
    return queries.findings(dash, queries.require_scan(dash, scan).id,
                            filters(account, region, severity, status, q, page, per_page, resource_type, control,
                                    criterion))


@router.get("/findings/{finding_id}", tags=["findings"], responses=NOT_FOUND)
def finding(request: Request, finding_id: str, scan: ScanParam = None) -> FindingView:
    """One finding with its control's remediation, the resource's other findings, tags and history."""
    return queries.finding(dashboard(request), scan, finding_id)


@router.get("/history", tags=["history"])
def history(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = queries.HISTORY_SCANS,
            ) -> list[ScanSummary]:
    """Per scan (newest first): the pass rate overall, per criterion and per Trust Services Category."""
    return trends.history(dashboard(request), limit)


@router.get("/diff", tags=["history"], responses={**NOT_FOUND, 400: {"description": "Not two scans to compare"}})
def diff(request: Request, old: ScanParam = None, new: ScanParam = None) -> ScanDiff:
    """What changed between two scans (default: the last two complete ones)."""
    return trends.diff(dashboard(request), old, new)


@router.get("/exceptions", tags=["exceptions"], responses=NOT_FOUND)
def exceptions(request: Request, scan: ScanParam = None) -> ExceptionsView:
    """Findings under an exception, with expiry warnings, and the manual criteria's attestations."""
    return queries.exceptions(dashboard(request), scan)


@router.get("/attestations", tags=["exceptions"])
def attestations(request: Request) -> list[Attestation]:
    """Every attestation recorded, newest first."""
    return list(dashboard(request).store.attestations())


@router.get("/coverage", tags=["coverage"], responses=NOT_FOUND)
def coverage(request: Request, scan: ScanParam = None, account: Account = None, region: Region = None,
             ) -> CoverageView:
    """What the scan read: every account x region x service shard's status, and the collection errors."""
    return queries.coverage(dashboard(request), scan, account, region)


@router.get("/evidence", tags=["evidence"], dependencies=[Depends(api_role(Role.AUDITOR))],
            response_class=FileResponse,
            responses={200: {"content": {"application/zip": {}}, "description": "A signed evidence bundle"},
                       403: {"description": "Needs the auditor role"}})
def evidence(request: Request, background: BackgroundTasks,
             start: Annotated[date | None, Query(alias="from", description="First day (UTC)")] = None,
             end: Annotated[date | None, Query(alias="to", description="Last day (UTC), inclusive")] = None,
             ) -> FileResponse:
    """A signed evidence bundle (zip) of the scans started in the window: auditors only."""
    return evidence_bundle(request, background, start, end)


def evidence_bundle(request: Request, background: BackgroundTasks, start: date | None,
                    end: date | None) -> FileResponse:
    if start and end and start > end:
        raise HTTPException(status_code=400, detail="'from' is after 'to'")
    store = dashboard(request).store
    workdir = Path(tempfile.mkdtemp(prefix="assay-evidence-"))
    path = workdir / "assay-evidence.zip"
    first = datetime.combine(start, time.min, UTC) if start else None
    last = datetime.combine(end, time.max, UTC) if end else None
    try:
        store.export_evidence(path, first, last)
    except Exception:
        _remove(workdir)
        raise
    background.add_task(_remove, workdir)
    name = f"assay-evidence-{start or 'start'}-{end or 'now'}.zip"
    return FileResponse(path, media_type="application/zip", filename=name)


def _remove(workdir: Path) -> None:
    for p in workdir.iterdir():
        p.unlink(missing_ok=True)
    workdir.rmdir()
