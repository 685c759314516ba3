"""The dashboard application: `create_app(store_url)` builds it over one scan store."""

from __future__ import annotations

import os
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from assay import __version__
from assay.controls.registry import load_controls
from assay.errors import AssayError
from assay.frameworks import soc2
from assay.store import open_store
from assay.web import api, pages
from assay.web.auth import Forbidden, LoginRequired
from assay.web.context import Dashboard
from assay.web.login import router as login_router
from assay.web.queries import NotFound, engine_of
from assay.web.render import render
from assay.web.security import SESSION_COOKIE, LoginLimiter, SecurityHeaders, SessionCodec
from assay.web.users import server_secret

SESSION_HOURS = 8
API_DESCRIPTION = (
    "Everything the Assay dashboard shows, as JSON. Every route needs a session cookie (sign in at /login) "
    "or an API token created with `assay tokens create NAME`, sent as `Authorization: Bearer <token>`."
)


def create_app(store_url: str | None = None, *, store: Any = None, session_hours: float = SESSION_HOURS,
               secure_cookies: bool = False) -> FastAPI:
    """The dashboard over the store at `store_url` (default: $ASSAY_DB, else the user's data directory)."""

    store = store if store is not None else open_store(store_url)
    engine = engine_of(store)
    secret = os.environ.get("ASSAY_WEB_SECRET") or server_secret(engine, "session-signing-key")
    dash = Dashboard(
        store=store, engine=engine, codec=SessionCodec(secret, max_age=int(session_hours * 3600)),
        limiter=LoginLimiter(), framework=soc2(), controls=load_controls(), secure_cookies=secure_cookies,
    )

    app = FastAPI(title="Assay dashboard API", version=__version__, description=API_DESCRIPTION,
                  openapi_url=None, docs_url=None, redoc_url=None)
    app.state.dashboard = dash
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(resources.files("assay.web").joinpath("static"))),
              name="static")
    app.include_router(login_router)
    app.include_router(pages.router)
    app.include_router(api.router)
    _errors(app)

    @app.get("/api/openapi.json", include_in_schema=False, dependencies=[api.AUTH])
    def openapi() -> dict[str, Any]:
        return openapi_document(app)

    return app


def openapi_document(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        doc.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "assay tokens create NAME"},
            "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE},
        }
        doc["security"] = [{"bearer": []}, {"session": []}]
        app.openapi_schema = doc
    return app.openapi_schema


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _errors(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired) -> Response:
        response = RedirectResponse(exc.next_path, status_code=303)
        if SESSION_COOKIE in request.cookies:  # expired, tampered or voided: drop it
            response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.exception_handler(Forbidden)
    def forbidden(request: Request, exc: Forbidden) -> Response:
        return render(request, "error.html", status_code=403, code=403, title="Forbidden", detail=str(exc))

    @app.exception_handler(NotFound)
    def not_found(request: Request, exc: NotFound) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=404)
        return render(request, "error.html", status_code=404, code=404, title="Not found", detail=str(exc))

    @app.exception_handler(AssayError)
    def refused(request: Request, exc: AssayError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return render(request, "error.html", status_code=400, code=400, title="Bad request", detail=str(exc))

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        titles = {404: "Not found", 405: "Method not allowed", 400: "Bad request"}
        return render(request, "error.html", status_code=exc.status_code, code=exc.status_code,
                      title=titles.get(exc.status_code, "Error"), detail=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        if _is_api(request):
            return JSONResponse({"detail": problems}, status_code=422)
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in problems)
        return render(request, "error.html", status_code=400, code=400, title="Bad request",
                      detail=detail)
