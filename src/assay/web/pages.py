"""The HTML pages. Every route needs a signed-in session; forms that change something carry a CSRF token.

Query parameters are read leniently (an empty select is "any"), then checked: a value that is not
one of the choices is a 400, never passed on to the store.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from assay.errors import UsageError
from assay.store.records import FindingChange
from assay.web import queries, trends
from assay.web.api import evidence_bundle
from assay.web.auth import Forbidden, Principal, dashboard, page_role, page_user
from assay.web.charts import trend
from assay.web.queries import SEVERITIES, STATUS_FILTERS, Filters, choices
from assay.web.render import render
from assay.web.security import csrf_ok
from assay.web.users import Role, list_tokens, list_users, remove_user, revoke_token

router = APIRouter(include_in_schema=False, dependencies=[Depends(page_user)])
ADMIN = Depends(page_role(Role.ADMIN))
AUDITOR = Depends(page_role(Role.AUDITOR))
PER_PAGE = (25, 50, 100, 200, 500)
DIFF_BUCKETS = {"new": "New failures", "regressed": "Regressed", "resolved": "Resolved",
                "still_failing": "Still failing", "not_evaluated": "Not evaluated now"}


def _int(request: Request, name: str, default: int | None = None, *, low: int = 1,
         high: int = 2**31 - 1) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise HTTPException(status_code=400, detail=f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def _choice(request: Request, name: str, allowed: tuple[str, ...], default: str | None = None) -> str | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if raw in ("", "any"):
        return None
    if raw not in allowed:
        raise HTTPException(status_code=400, detail=f"{name} must be one of: {', '.join(allowed)}")
    return raw


def _text(request: Request, name: str, limit: int = 200) -> str | None:
    raw = request.query_params.get(name, "").strip()
    if len(raw) > limit:
        raise HTTPException(status_code=400, detail=f"{name} is longer than {limit} characters")
    return raw or None


def _filters(request: Request, *, status: str | None = None, per_page: int = 50) -> Filters:
    per_page = _int(request, "per_page", per_page, high=max(PER_PAGE)) or per_page
    return Filters(account=_text(request, "account", 64), region=_text(request, "region", 64),
                   severity=_choice(request, "severity", SEVERITIES),
                   status=_choice(request, "status", STATUS_FILTERS, status), q=_text(request, "q"),
                   resource_type=_text(request, "type", 128), page=_int(request, "page", 1, high=100_000) or 1,
                   per_page=per_page)


@router.get("/")
def overview(request: Request) -> Response:
    dash = dashboard(request)
    view = queries.overview(dash, _int(request, "scan"))
    categories = queries.framework_of(dash, view.scan).categories
    return render(request, "overview.html", section="Overview", view=view, categories=categories,
                  scans_total=queries.scan_count(dash))


@router.get("/criteria/{criterion_id}")
def criterion(request: Request, criterion_id: str) -> Response:
    dash = dashboard(request)
    f = _filters(request, status="fail", per_page=100)  # a criterion's failures, mostly on one page
    view = queries.criterion(dash, _int(request, "scan"), criterion_id, f)
    scan = queries.require_scan(dash, view.scan_id)
    return render(request, "criterion.html", section="Overview", view=view, scan=scan, f=f, choices=choices(scan),
                  per_page_options=PER_PAGE)


@router.get("/controls/{control_id}")
def control(request: Request, control_id: str) -> Response:
    dash = dashboard(request)
    f = _filters(request)
    view = queries.control(dash, _int(request, "scan"), control_id, f)
    scan = queries.require_scan(dash, view.scan_id)
    chart = None
    if len(view.history) > 1:
        chart = trend([f"#{p.scan_id}" for p in view.history], [(control_id, [p.pass_rate for p in view.history])],
                      [not p.complete for p in view.history])
    return render(request, "control.html", section="Overview", view=view, scan=scan, f=f, choices=choices(scan),
                  per_page_options=PER_PAGE, chart=chart)


@router.get("/findings/{finding_id}")
def finding(request: Request, finding_id: str) -> Response:
    dash = dashboard(request)
    view = queries.finding(dash, _int(request, "scan"), finding_id)
    return render(request, "finding.html", section="Resources", view=view,
                  scan=queries.require_scan(dash, view.finding.scan_id))


@router.get("/resources")
def resources(request: Request) -> Response:
    dash = dashboard(request)
    f = _filters(request)
    f = Filters(**{**f.__dict__, "control": _text(request, "control", 128),
                   "criterion": _text(request, "criterion", 32)})
    scan = queries.scan_or_latest(dash, _int(request, "scan"))
    page = queries.findings(dash, scan.id, f) if scan else None
    return render(request, "resources.html", section="Resources", scan=scan, page=page, f=f, choices=choices(scan),
                  per_page_options=PER_PAGE)


@router.get("/scans")
def scans(request: Request) -> Response:
    dash = dashboard(request)
    page = _int(request, "page", 1, high=100_000) or 1
    per_page = 50
    items = dash.store.scans(limit=per_page, offset=(page - 1) * per_page)
    return render(request, "scans.html", section="Scans", items=items, total=queries.scan_count(dash),
                  page=page, per_page=per_page)


@router.get("/history")
def history(request: Request) -> Response:
    dash = dashboard(request)
    limit = _int(request, "limit", queries.HISTORY_SCANS, high=500) or queries.HISTORY_SCANS
    summaries = trends.history(dash, limit)
    framework = queries.framework_of(dash, summaries[0].scan if summaries else None)
    automated = [c.id for c in framework.criteria if c.kind.value == "automated"]
    picked = [c for c in request.query_params.getlist("criterion") if c in automated][:6]
    if not picked and summaries:  # default: the criteria failing in the newest scan, else the first few
        failing = [cid for cid, r in summaries[0].criteria.items() if r.status == "fail" and cid in automated]
        picked = (failing or automated)[:3]
    return render(request, "history.html", section="History", summaries=summaries, limit=limit,
                  categories=framework.categories, automated=automated, picked=picked,
                  category_chart=trends.category_chart(framework, summaries) if summaries else None,
                  criterion_chart=trends.criterion_chart(summaries, picked) if summaries and picked else None)


@router.get("/diff")
def diff(request: Request) -> Response:
    dash = dashboard(request)
    old, new = _int(request, "old"), _int(request, "new")
    show = _choice(request, "show", tuple(DIFF_BUCKETS), "new") or "new"
    severity = _choice(request, "severity", SEVERITIES)
    account = _text(request, "account", 64)
    page = _int(request, "page", 1, high=100_000) or 1
    recent = dash.store.scans(limit=200)
    try:
        result = trends.diff(dash, old, new)
    except UsageError as exc:
        return render(request, "diff.html", section="Diff", result=None, problem=str(exc), recent=recent,
                      old=old, new=new, show=show, buckets=DIFF_BUCKETS, items=[], total=0, page=1, per_page=100,
                      severity=severity, account=account)
    bucket: list[FindingChange] = {
        "new": result.new_findings, "regressed": result.regressed, "resolved": result.resolved,
        "still_failing": result.still_failing, "not_evaluated": result.not_evaluated}[show]
    chosen = [c for c in bucket
              if (not severity or c.severity == severity) and (not account or c.account_id == account)]
    per_page = 100
    return render(request, "diff.html", section="Diff", result=result, problem="", recent=recent,
                  old=result.old.id, new=result.new.id, show=show, buckets=DIFF_BUCKETS,
                  items=chosen[(page - 1) * per_page: page * per_page], total=len(chosen), page=page,
                  per_page=per_page, severity=severity, account=account)


@router.get("/exceptions")
def exceptions(request: Request) -> Response:
    dash = dashboard(request)
    view = queries.exceptions(dash, _int(request, "scan"))
    return render(request, "exceptions.html", section="Exceptions", view=view)


@router.get("/coverage")
def coverage(request: Request) -> Response:
    dash = dashboard(request)
    scan = queries.scan_or_latest(dash, _int(request, "scan"))
    view = (queries.coverage(dash, scan.id, _text(request, "account", 64), _text(request, "region", 64))
            if scan else None)
    grid: dict[str, dict[tuple[str, str], object]] = {}
    if view is not None:
        for cell in view.cells:
            grid.setdefault(cell.account_id, {})[(cell.service, cell.region)] = cell
    return render(request, "coverage.html", section="Coverage", scan=scan, view=view, grid=grid,
                  all_scan_choices=choices(scan))


@router.get("/evidence", dependencies=[AUDITOR])
def evidence(request: Request) -> Response:
    dash = dashboard(request)
    return render(request, "evidence.html", section="Evidence", latest=dash.store.latest(complete_only=False))


@router.get("/evidence/export", dependencies=[AUDITOR])
def evidence_export(request: Request, background: BackgroundTasks) -> FileResponse:
    def day(name: str) -> date | None:
        raw = _text(request, name, 10)
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            raise HTTPException(status_code=400, detail=f"{name} must be a date (YYYY-MM-DD)") from None
    return evidence_bundle(request, background, day("from"), day("to"))


@router.get("/admin/users", dependencies=[ADMIN])
def users(request: Request) -> Response:
    engine = dashboard(request).engine
    return render(request, "users.html", section="Users", users=list_users(engine), tokens=list_tokens(engine))


def _checked(request: Request, user: Principal, csrf_token: str) -> None:
    if not csrf_ok(user.session, csrf_token):
        raise Forbidden("the form's security token did not match your session; reload the page and try again")


@router.post("/admin/users/{name}/remove")
def user_remove(request: Request, name: str, user: Annotated[Principal, ADMIN],
                csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    _checked(request, user, csrf_token)
    if name == user.name:
        raise Forbidden("you cannot remove yourself; ask another admin or use `assay users remove`")
    try:
        remove_user(dashboard(request).engine, name)
    except UsageError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/tokens/{name}/revoke")
def token_revoke(request: Request, name: str, user: Annotated[Principal, ADMIN],
                 csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    _checked(request, user, csrf_token)
    try:
        revoke_token(dashboard(request).engine, name)
    except UsageError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return RedirectResponse("/admin/users", status_code=303)
