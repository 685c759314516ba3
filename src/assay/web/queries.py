"""What the dashboard reads from the store, shaped for pages and the API.

Mostly the store's own reading API; a few read-only queries over its tables where a page needs
something the API does not offer (a control's history, the exceptions of a scan, one finding by
id). Stored scans never change, so what is derived from one (its snapshot, a diff) is memoised.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from assay.controls.registry import Control
from assay.errors import UsageError
from assay.frameworks import Framework
from assay.frameworks import load as load_framework
from assay.store import ScanRecord
from assay.store.history import rate
from assay.store.ingest import PASSING
from assay.store.records import FindingRow
from assay.store.store import finding_row
from assay.store.tables import ControlTable, FindingTable, ScanTable
from assay.web.context import Dashboard
from assay.web.schemas import (
    AttestationItem,
    CategoryView,
    CollectionErrorItem,
    ControlInfo,
    ControlPoint,
    ControlSummary,
    ControlView,
    CoverageCell,
    CoverageSummary,
    CoverageView,
    CriterionTile,
    CriterionView,
    ExceptionItem,
    ExceptionsView,
    FindingPage,
    FindingView,
    Overview,
    Remediation,
    ResourceInfo,
)

SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
STATUS_FILTERS = ("fail", "excepted", "error", "pass", "skip")
SEVERITIES = ("critical", "high", "medium", "low", "info")
WARN_DAYS = 30  # exceptions and attestations expiring this soon are flagged
HISTORY_SCANS = 50
ATTENTION = 10
MAX_ERRORS_SHOWN = 200


class NotFound(Exception):
    """A scan, criterion, control or finding that is not in the store: 404."""


def framework_of(dash: Dashboard, scan: ScanRecord | None) -> Framework:
    """The framework a scan was mapped to (SOC 2 unless it was scanned with --framework)."""
    if scan is None or scan.framework == dash.framework.id:
        return dash.framework
    try:
        return load_framework(scan.framework)
    except UsageError:  # a framework this Assay no longer ships: show the scan against SOC 2's text
        return dash.framework


def engine_of(store: Any) -> sa.Engine:
    engine: sa.Engine = store.engine
    return engine


@dataclass(frozen=True)
class Filters:
    account: str | None = None
    region: str | None = None
    severity: str | None = None
    status: str | None = None  # one of STATUS_FILTERS; None: any
    q: str | None = None
    control: str | None = None
    criterion: str | None = None
    resource_type: str | None = None
    page: int = 1
    per_page: int = 50

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def store_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {"account": self.account or None, "region": self.region or None,
                                "severity": self.severity or None, "control": self.control or None,
                                "criterion": self.criterion or None, "resource_type": self.resource_type or None,
                                "search": self.q or None, "limit": self.per_page, "offset": self.offset,
                                "sort": "severity"}
        if self.status == "fail":  # needs attention: failing and not covered by a live exception
            args.update(status="fail", excepted=False)
        elif self.status == "excepted":
            args.update(status="fail", excepted=True)
        elif self.status:
            args["status"] = self.status
        return args


# -- scans ---------------------------------------------------------------------------------------

def scan_or_latest(dash: Dashboard, scan_id: int | None) -> ScanRecord | None:
    """The scan asked for (404 if unknown), else the newest one, complete or not."""
    if scan_id is None:
        latest: ScanRecord | None = dash.store.latest(complete_only=False)
        return latest
    scan: ScanRecord | None = dash.store.scan(scan_id)
    if scan is None:
        raise NotFound(f"there is no scan #{scan_id} in the store")
    return scan


def require_scan(dash: Dashboard, scan_id: int | None) -> ScanRecord:
    scan = scan_or_latest(dash, scan_id)
    if scan is None:
        raise NotFound("the store holds no scan yet: run `assay scan` or `assay demo`")
    return scan


def scan_count(dash: Dashboard) -> int:
    return int(dash.store.count_scans())


# -- controls ------------------------------------------------------------------------------------

def control_info(dash: Dashboard, control_id: str, framework: Framework | None = None) -> ControlInfo | None:
    c: Control | None = dash.controls.get(control_id)
    if c is None:
        return None
    return ControlInfo(
        id=c.id, title=c.title, severity=c.severity.value, service=c.service, resource_type=c.resource_type,
        rationale=c.rationale, needs=list(c.needs), params={k: _jsonable(v) for k, v in c.params.items()},
        criteria=(framework or dash.framework).criteria_of(c.id),
        remediation=Remediation(console=c.remediation.console, cli=c.remediation.cli,
                                terraform=c.remediation.terraform),
    )


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except TypeError:
        return repr(value)


def _control_rows(dash: Dashboard, scan_id: int, control_ids: list[str] | None = None,
                  status: str | None = None) -> list[ControlTable]:
    query = sa.select(ControlTable).where(ControlTable.scan_id == scan_id)
    if control_ids is not None:
        query = query.where(ControlTable.control_id.in_(control_ids))
    if status is not None:
        query = query.where(ControlTable.status == status)
    with dash.store.read() as s:
        return list(s.execute(query).scalars())


def _summary(dash: Dashboard, control_id: str, row: ControlTable | None) -> ControlSummary:
    c = dash.controls.get(control_id)
    return ControlSummary(id=control_id, title=c.title if c else control_id,
                          severity=c.severity.value if c else "info",
                          status=row.status if row else "not_applicable", counts=dict(row.counts) if row else {})


def _judged(counts: dict[str, Any]) -> int:
    return int(sum(counts.get(k, 0) for k in ("pass", "fail", "error", "excepted")))


# -- overview ------------------------------------------------------------------------------------

def overview(dash: Dashboard, scan_id: int | None) -> Overview:
    scan = scan_or_latest(dash, scan_id)
    if scan is None:
        return Overview(scan=None, framework=dash.framework.name, state="empty", categories=[], criteria=[],
                        coverage=None, attention=[])
    framework = framework_of(dash, scan)
    rows = dash.store.criteria(scan.id)
    attestations = {a.criterion: a.state for a in dash.store.attestation_states(framework=scan.framework)}
    tiles = [CriterionTile(id=c.id, title=c.title, category=c.category, kind=c.kind, status=c.status,
                           failing=int(c.counts.get("fail", 0)),
                           attestation=attestations.get(c.id) if c.kind == "manual" else None) for c in rows]
    categories = []
    for cat_id, name in framework.categories.items():
        mine = [c for c in rows if c.category == cat_id]
        evaluated = [c for c in mine if c.kind == "automated" and c.status != "not_applicable"]
        passing = sum(1 for c in evaluated if c.status in PASSING)
        by_status: dict[str, int] = {}
        for c in mine:
            by_status[c.status] = by_status.get(c.status, 0) + 1
        categories.append(CategoryView(id=cat_id, name=name, passing=passing, evaluated=len(evaluated),
                                       pass_rate=rate(passing, len(evaluated)), criteria=by_status))
    failing = _control_rows(dash, scan.id, status="fail")
    attention = sorted((_summary(dash, r.control_id, r) for r in failing),
                       key=lambda c: (-SEVERITY_RANK.get(c.severity, 0), -c.counts.get("fail", 0), c.id))
    head = snapshot_head(dash, scan.id)
    coverage = None
    if head is not None:
        shards: dict[str, int] = {}
        for c in head.get("coverage", []):
            shards[c["status"]] = shards.get(c["status"], 0) + 1
        coverage = CoverageSummary(shards=dict(sorted(shards.items())), errors=len(head.get("errors", [])))
    return Overview(scan=scan, framework=framework.name, state=scan.state, categories=categories, criteria=tiles,
                    coverage=coverage, attention=attention[:ATTENTION])


# -- criterion -----------------------------------------------------------------------------------

def criterion(dash: Dashboard, scan_id: int | None, criterion_id: str, filters: Filters) -> CriterionView:
    scan = require_scan(dash, scan_id)
    row = next((c for c in dash.store.criteria(scan.id) if c.id == criterion_id), None)
    framework = framework_of(dash, scan)
    spec = framework.criterion(criterion_id)
    if row is None or spec is None:
        raise NotFound(f"there is no criterion {criterion_id!r} in scan #{scan.id}")
    by_id = {r.control_id: r for r in _control_rows(dash, scan.id, list(row.controls))}
    controls = sorted((_summary(dash, cid, by_id.get(cid)) for cid in row.controls),
                      key=lambda c: (c.status != "fail", -SEVERITY_RANK.get(c.severity, 0), c.id))
    remediation = {}
    for cid in row.controls:
        info = control_info(dash, cid, framework)
        if info is not None:
            remediation[cid] = info.remediation
    page = findings(dash, scan.id, Filters(**{**filters.__dict__, "criterion": criterion_id}))
    attestation = None
    if row.kind == "manual":
        attestation = next((a for a in dash.store.attestation_states(framework=scan.framework)
                            if a.criterion == criterion_id), None)
    return CriterionView(
        scan_id=scan.id, id=row.id, title=row.title, category=row.category,
        category_name=framework.categories.get(row.category, row.category), kind=row.kind, status=row.status,
        rationale=spec.rationale, evidence=spec.evidence, counts=row.counts, controls=controls,
        remediation=remediation, findings=page, attestation=attestation,
    )


# -- control -------------------------------------------------------------------------------------

def control(dash: Dashboard, scan_id: int | None, control_id: str, filters: Filters) -> ControlView:
    scan = require_scan(dash, scan_id)
    info = control_info(dash, control_id, framework_of(dash, scan))
    if info is None:
        raise NotFound(f"there is no control {control_id!r}")
    rows = _control_rows(dash, scan.id, [control_id])
    page = findings(dash, scan.id, Filters(**{**filters.__dict__, "control": control_id}))
    return ControlView(scan_id=scan.id, control=info, status=rows[0].status if rows else "not_applicable",
                       counts=dict(rows[0].counts) if rows else {}, findings=page,
                       history=control_history(dash, control_id, upto=scan.id))


def control_history(dash: Dashboard, control_id: str, upto: int, limit: int = HISTORY_SCANS) -> list[ControlPoint]:
    query = (sa.select(ControlTable.scan_id, ControlTable.status, ControlTable.counts, ScanTable.started_at,
                       ScanTable.complete)
             .join(ScanTable, ScanTable.id == ControlTable.scan_id)
             .where(ControlTable.control_id == control_id, ControlTable.scan_id <= upto)
             .order_by(ControlTable.scan_id.desc()).limit(limit))
    with dash.store.read() as s:
        rows = list(s.execute(query))
    return [ControlPoint(scan_id=r.scan_id, started_at=r.started_at, complete=r.complete, status=r.status,
                         counts=dict(r.counts), pass_rate=rate(int(r.counts.get("pass", 0)), _judged(r.counts)))
            for r in reversed(rows)]


# -- findings ------------------------------------------------------------------------------------

def findings(dash: Dashboard, scan_id: int, filters: Filters) -> FindingPage:
    page = dash.store.findings(scan_id, **filters.store_args())
    return FindingPage(items=page.items, total=page.total, limit=page.limit, offset=page.offset)


def finding(dash: Dashboard, scan_id: int | None, finding_id: str) -> FindingView:
    scan = require_scan(dash, scan_id)
    with dash.store.read() as s:
        row = s.execute(sa.select(FindingTable).where(FindingTable.scan_id == scan.id,
                                                      FindingTable.finding_id == finding_id)).scalar_one_or_none()
        if row is None:
            raise NotFound(f"there is no finding {finding_id!r} in scan #{scan.id}")
        found = finding_row(row)
        others = [finding_row(r) for r in s.execute(
            sa.select(FindingTable).where(FindingTable.resource_arn == found.resource_arn,
                                          FindingTable.scan_id == scan.id, FindingTable.finding_id != finding_id)
            .order_by(FindingTable.severity_rank.desc(), FindingTable.id).limit(200)).scalars()]
        history = [finding_row(r) for r in s.execute(
            sa.select(FindingTable).where(FindingTable.finding_id == finding_id, FindingTable.scan_id < scan.id)
            .order_by(FindingTable.scan_id.desc()).limit(HISTORY_SCANS)).scalars()]
    return FindingView(finding=found, control=control_info(dash, found.control_id, framework_of(dash, scan)),
                       same_resource=others,
                       history=history, resource=resource(dash, scan.id, found.resource_arn))


# -- snapshots -----------------------------------------------------------------------------------

_RESOURCES_MARK = b',"resources":['


def snapshot_head(dash: Dashboard, scan_id: int) -> dict[str, Any] | None:
    """The snapshot without its resources (meta, accounts, regions, coverage, errors): decompressed only
    as far as the resources list, which comes last."""
    def load() -> dict[str, Any] | None:
        data = dash.store.snapshot(scan_id)
        if data is None:
            return None
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        buf = bytearray()
        for i in range(0, len(data), 1 << 16):
            start = max(0, len(buf) - len(_RESOURCES_MARK))
            buf += inflater.decompress(data[i:i + (1 << 16)])
            at = buf.find(_RESOURCES_MARK, start)
            if at >= 0:
                head: dict[str, Any] = json.loads(bytes(buf[:at]) + b"}")
                return head
        whole: dict[str, Any] = json.loads(bytes(buf))
        whole.pop("resources", None)
        return whole
    head: dict[str, Any] | None = dash.memo.get(("head", scan_id), load)
    return head


def resource(dash: Dashboard, scan_id: int, arn: str) -> ResourceInfo | None:
    def load() -> dict[str, dict[str, Any]]:
        data = dash.store.snapshot(scan_id)
        if data is None:
            return {}
        doc = json.loads(zlib.decompress(data, 16 + zlib.MAX_WBITS))
        return {r["arn"]: r for r in doc.get("resources", []) if isinstance(r, dict) and "arn" in r}
    index: dict[str, dict[str, Any]] = dash.resources.get(scan_id, load)
    raw = index.get(arn)
    if raw is None:
        return None
    hidden = {"arn", "type", "tags", "id", "account_id", "region", "name"}
    tags = raw.get("tags") or {}
    return ResourceInfo(arn=arn, type=str(raw.get("type", "")),
                        tags={str(k): str(v) for k, v in tags.items()} if isinstance(tags, dict) else {},
                        attributes={k: v for k, v in raw.items() if k not in hidden})


# -- exceptions and attestations -----------------------------------------------------------------

def _days_left(expires: date | None, today: date) -> int | None:
    return (expires - today).days if expires else None


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def exceptions(dash: Dashboard, scan_id: int | None, today: date | None = None) -> ExceptionsView:
    today = today or datetime.now(UTC).date()
    scan = scan_or_latest(dash, scan_id)
    items: list[ExceptionItem] = []
    if scan is not None:
        query = (sa.select(FindingTable)
                 .where(FindingTable.scan_id == scan.id, FindingTable.status == "fail",
                        FindingTable.data["exception"].as_string().is_not(None))
                 .order_by(FindingTable.id))
        with dash.store.read() as s:
            rows: list[FindingRow] = [finding_row(r) for r in s.execute(query).scalars()]
        for f in rows:
            exc = f.exception or {}
            expires = _parse_date(exc.get("expires"))
            left = _days_left(expires, today)
            expired = bool(exc.get("expired")) or (left is not None and left < 0)
            state = "expired" if expired else "expiring" if left is not None and left <= WARN_DAYS else "active"
            items.append(ExceptionItem(
                scan_id=scan.id, finding_id=f.finding_id, control_id=f.control_id, title=f.title,
                severity=f.severity, account_id=f.account_id, region=f.region, resource_arn=f.resource_arn,
                resource_name=f.resource_name, type=str(exc.get("type", "")), reason=str(exc.get("reason", "")),
                owner=str(exc.get("owner", "")), approver=str(exc.get("approver", "")), expires=expires,
                days_left=left, state=state))
    order = {"expired": 0, "expiring": 1, "active": 2}
    items.sort(key=lambda e: (order[e.state], e.expires or date.max, e.control_id, e.resource_arn))
    attestations = []
    for a in dash.store.attestation_states(framework=scan.framework if scan else "soc2", on=today):
        left = _days_left(a.valid_until, today)
        state = a.state
        if state == "attested" and left is not None and left <= WARN_DAYS:
            state = "expiring"
        attestations.append(AttestationItem(criterion=a.criterion, title=a.title, state=state,
                                            attested_by=a.attested_by, valid_until=a.valid_until, days_left=left,
                                            evidence_sha256=a.evidence_sha256))
    counts = {f"exceptions_{k}": sum(1 for e in items if e.state == k) for k in ("active", "expiring", "expired")}
    counts |= {f"attestations_{k}": sum(1 for a in attestations if a.state == k)
               for k in ("attested", "expiring", "expired", "missing")}
    return ExceptionsView(scan_id=scan.id if scan else None, warn_days=WARN_DAYS, exceptions=items,
                          attestations=attestations, counts=counts)


# -- coverage ------------------------------------------------------------------------------------

def coverage(dash: Dashboard, scan_id: int | None, account: str | None = None,
             region: str | None = None) -> CoverageView:
    scan = require_scan(dash, scan_id)
    head = snapshot_head(dash, scan.id) or {}
    cells = [CoverageCell(account_id=str(c["account_id"]), region=str(c["region"]), service=str(c["service"]),
                          status=str(c["status"]), resources=int(c.get("resources", 0)),
                          errors=int(c.get("errors", 0)), reason=str(c.get("reason", "")))
             for c in head.get("coverage", [])
             if (not account or c["account_id"] == account) and (not region or c["region"] == region)]
    errors = [e for e in head.get("errors", [])
              if (not account or e.get("account_id") == account) and (not region or e.get("region") == region)]
    return CoverageView(
        scan_id=scan.id, complete=scan.complete, coverage_percent=scan.coverage_percent,
        accounts=sorted({c.account_id for c in cells}), regions=sorted({c.region for c in cells}),
        services=sorted({c.service for c in cells}), cells=cells,
        errors=[CollectionErrorItem(account_id=str(e.get("account_id", "")), region=str(e.get("region", "")),
                                    service=str(e.get("service", "")), operation=str(e.get("operation", "")),
                                    code=str(e.get("code", "")), kind=str(e.get("kind", "")),
                                    message=str(e.get("message", "")), resource_arn=e.get("resource_arn"))
                for e in errors[:MAX_ERRORS_SHOWN]],
        errors_total=len(errors),
    )


# -- filter choices ------------------------------------------------------------------------------

def choices(scan: ScanRecord | None) -> dict[str, list[str]]:
    """What the filter selects offer for one scan."""
    regions = sorted({*(scan.regions if scan else []), "global"})
    return {"account": list(scan.accounts) if scan else [], "region": regions, "severity": list(SEVERITIES),
            "status": list(STATUS_FILTERS)}
