"""Signing in and out: the only routes reachable without a session."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from assay.web.auth import Forbidden, dashboard, page_user, principal, safe_next
from assay.web.render import render
from assay.web.security import LOGIN_CSRF_COOKIE, LOGIN_CSRF_MAX_AGE, SESSION_COOKIE, csrf_ok
from assay.web.users import authenticate, end_sessions

router = APIRouter(include_in_schema=False)


def _secure(request: Request) -> bool:
    return dashboard(request).secure_cookies or request.url.scheme == "https"


def _login_page(request: Request, next_path: str, *, error: str = "", username: str = "",
                status_code: int = 200, retry_after: int = 0) -> Response:
    cookie, form_value = dashboard(request).codec.login_token()
    response = render(request, "login.html", status_code=status_code, csrf=form_value, next=next_path,
                      error=error, username=username)
    response.set_cookie(LOGIN_CSRF_COOKIE, cookie, max_age=LOGIN_CSRF_MAX_AGE, httponly=True, samesite="strict",
                        secure=_secure(request), path="/login")
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if principal(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, safe_next(next))


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    dash = dashboard(request)
    target = safe_next(next)
    if not dash.codec.login_token_ok(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        return _login_page(request, target, error="The sign-in form expired; please try again.",
                           username=username, status_code=403)
    address = request.client.host if request.client else "unknown"
    wait = dash.limiter.retry_after(address, username)
    if wait:
        return _login_page(request, target, error=f"Too many failed attempts; try again in {wait} seconds.",
                           username=username, status_code=429, retry_after=wait)
    user = authenticate(dash.engine, username, password)
    if user is None:
        dash.limiter.failed(address, username)
        return _login_page(request, target, error="Wrong user name or password.", username=username,
                           status_code=401)
    dash.limiter.succeeded(username)
    cookie, _ = dash.codec.issue(user.id, user.session_key)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, max_age=dash.codec.max_age, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    user = page_user(request)
    if not csrf_ok(user.session, csrf_token):
        raise Forbidden("the form's security token did not match your session; reload the page and try again")
    if user.session is not None:
        end_sessions(dashboard(request).engine, user.session.user_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
