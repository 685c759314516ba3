"""Who is asking: a session cookie (browsers) or a bearer token (automation), and with what role.

Every route but the sign-in page and static files depends on `page_user` or `api_user`; a request
without valid credentials gets a redirect to the sign-in page (pages) or 401 (API).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from fastapi import HTTPException, Request

from assay.web.context import Dashboard
from assay.web.security import SESSION_COOKIE, Session
from assay.web.users import Role, get_user, token_for


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    kind: Literal["session", "token"]
    session: Session | None = None

    @property
    def csrf(self) -> str:
        return self.session.csrf if self.session else ""


class LoginRequired(Exception):
    """Raised by page routes without a valid session; answered with a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class Forbidden(Exception):
    """Signed in, but the role does not allow this."""


def dashboard(request: Request) -> Dashboard:
    dash: Dashboard = request.app.state.dashboard
    return dash


def _resolve(request: Request) -> Principal | None:
    dash = dashboard(request)
    header = request.headers.get("authorization")
    if header is not None:
        # Explicit credentials that fail are a failure, even if a cookie would have worked.
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = token_for(dash.engine, secret.strip())
        return Principal(name=token.name, role=token.role, kind="token") if token else None
    session = dash.codec.read(request.cookies.get(SESSION_COOKIE))
    if session is None:
        return None
    user = get_user(dash.engine, session.user_id)
    if user is None or not hmac.compare_digest(user.session_key, session.key):
        return None
    return Principal(name=user.name, role=user.role, kind="session", session=session)


def principal(request: Request) -> Principal | None:
    if not hasattr(request.state, "principal"):
        request.state.principal = _resolve(request)
    found: Principal | None = request.state.principal
    return found


def safe_next(path: str | None) -> str:
    """Only same-site paths: never an open redirect."""
    if (not path or not path.startswith("/") or path.startswith("//") or "\\" in path
            or path.startswith(("/login", "/logout"))):
        return "/"
    return path


def login_url(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(safe_next(here), safe="")


def page_user(request: Request) -> Principal:
    p = principal(request)
    if p is None:
        raise LoginRequired(login_url(request))
    return p


def api_user(request: Request) -> Principal:
    p = principal(request)
    if p is None:
        raise HTTPException(status_code=401, detail="authentication required",
                            headers={"WWW-Authenticate": "Bearer"})
    return p


def page_role(role: Role) -> Callable[[Request], Principal]:
    def dependency(request: Request) -> Principal:
        p = page_user(request)
        if not p.role.allows(role):
            raise Forbidden(f"this page needs the {role.value} role")
        return p
    return dependency


def api_role(role: Role) -> Callable[[Request], Principal]:
    def dependency(request: Request) -> Principal:
        p = api_user(request)
        if not p.role.allows(role):
            raise HTTPException(status_code=403, detail=f"this needs the {role.value} role")
        return p
    return dependency
