"""Jinja2 rendering: autoescaped templates, a few filters, and the context every page gets."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from assay.web.auth import principal
from assay.web.users import Role

TEMPLATES = resources.files("assay.web").joinpath("templates")


def _when(value: datetime | date | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%" if value in (0, 100) else f"{value:.1f}%"


def _query(request: Request, **changes: Any) -> str:
    """The current query string with some parameters replaced (None or "" drops one)."""
    params = {k: v for k, v in request.query_params.items()}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every value from the store is text to show, never markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["pct"] = _pct
    env.globals["roles"] = Role
    return env


ENV = _env()


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    dash = request.app.state.dashboard
    context.setdefault("section", "")
    body = ENV.get_template(template).render(
        request=request,
        user=principal(request),
        query=lambda **changes: _query(request, **changes),
        evidence_export=hasattr(dash.store, "export_evidence"),
        **context,
    )
    return HTMLResponse(body, status_code=status_code)
