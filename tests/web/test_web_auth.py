"""Access control: every route denied without valid credentials; sessions, tokens, CSRF, roles, headers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from starlette.routing import Mount

from assay.store import Store
from assay.web.security import SESSION_COOKIE, LoginLimiter
from assay.web.users import Role, add_user, create_token, remove_user, server_secret, tokens_table
from tests.web.conftest import PASSWORDS, csrf_of, sign_in

PUBLIC = {("GET", "/login"), ("POST", "/login")}
SAMPLE = {"scan_id": "1", "criterion_id": "CC6.1", "control_id": "kms.key_rotation_enabled",
          "finding_id": "0123456789abcdef01234567", "name": "viewer"}


def flatten(items: list[Any]) -> Iterator[APIRoute]:
    for route in items:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # how newer FastAPI versions keep included routers
            yield from flatten(route.original_router.routes)
        else:
            assert isinstance(route, Mount) and route.path == "/static", f"unexpected route {route!r}"


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, concrete path) the app serves, static files aside."""
    out = []
    for route in flatten(app.routes):
        path = route.path_format
        for key, value in SAMPLE.items():
            path = path.replace("{" + key + "}", value)
        assert "{" not in path, f"no sample value for a parameter of {route.path}"
        out += [(method, path) for method in sorted(route.methods) if method != "HEAD"]
    return out


def assert_denied(response: object, path: str) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    if path.startswith("/api/"):
        assert status == 401, f"{path}: {status}"
        assert response.json() == {"detail": "authentication required"}  # type: ignore[attr-defined]
    else:
        assert status == 303, f"{path}: {status}"
        assert response.headers["location"].startswith("/login?next=")  # type: ignore[attr-defined]


def request(client: TestClient, method: str, path: str, **kwargs: object) -> object:
    return client.request(method, path, follow_redirects=False, **kwargs)  # type: ignore[arg-type]


def expired_cookie(store: Store, user_id: int, key: str, age: int) -> str:
    class Back(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    codec = URLSafeTimedSerializer(server_secret(store.engine, "session-signing-key"), salt="assay.session",
                                   signer=Back)
    return codec.dumps({"u": user_id, "k": key, "c": "x"})


def user_row(store: Store, name: str) -> tuple[int, str]:
    with store.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT id, session_key FROM web_users WHERE name = :n"), {"n": name}).one()
    return int(row[0]), str(row[1])


def test_the_app_has_the_routes_we_expect(app: FastAPI) -> None:
    found = routes(app)
    assert len(found) >= 30
    assert ("GET", "/api/scans") in found and ("GET", "/resources") in found


def test_every_route_is_denied_without_credentials(app: FastAPI, anon: TestClient) -> None:
    for method, path in routes(app):
        if (method, path) in PUBLIC:
            continue
        assert_denied(request(anon, method, path), path)


def test_bad_parameters_are_not_validated_before_authentication(anon: TestClient) -> None:
    assert_denied(request(anon, "GET", "/api/findings?per_page=0&scan=x"), "/api/findings")
    assert_denied(request(anon, "GET", "/resources?severity=bogus"), "/resources")


@pytest.mark.parametrize("kind", ["garbage", "flipped", "forged", "other-key", "expired", "empty"])
def test_every_route_is_denied_with_a_bad_session_cookie(app: FastAPI, web_store: Store, kind: str) -> None:
    client = sign_in(TestClient(app), "viewer")
    good = client.cookies[SESSION_COOKIE]
    user_id, key = user_row(web_store, "viewer")
    payload, _, rest = good.partition(".")
    bad = {
        "garbage": "not-a-session",
        "flipped": good[:-1] + ("A" if good[-1] != "A" else "B"),
        "forged": URLSafeTimedSerializer("a guessed secret", salt="assay.session").dumps(
            {"u": user_id, "k": key, "c": "x"}),
        "other-key": expired_cookie(web_store, user_id, "0" * 32, 0),
        "expired": expired_cookie(web_store, user_id, key, 9 * 3600),
        "empty": "",
    }[kind]
    assert payload and rest
    fresh = TestClient(app)
    fresh.cookies.set(SESSION_COOKIE, bad)
    for method, path in routes(app):
        if (method, path) not in PUBLIC:
            response = request(fresh, method, path)
            assert_denied(response, path)
    # The same cookie, still valid, works: the denials above are about the cookie, not the routes.
    assert request(client, "GET", "/api/me").status_code == 200  # type: ignore[attr-defined]


def test_an_expired_session_cookie_is_dropped(app: FastAPI, web_store: Store) -> None:
    user_id, key = user_row(web_store, "viewer")
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, expired_cookie(web_store, user_id, key, 9 * 3600))
    response = request(client, "GET", "/criteria/CC6.1?scan=3")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/login?next=%2Fcriteria%2FCC6.1%3Fscan%3D3"  # type: ignore[attr-defined]
    assert 'assay_session=""' in response.headers["set-cookie"]  # type: ignore[attr-defined]
    # Within the lifetime the same construction is accepted: the expiry, not the construction, denies it.
    client.cookies.set(SESSION_COOKIE, expired_cookie(web_store, user_id, key, 60))
    assert request(client, "GET", "/api/me").status_code == 200  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["garbage", "flipped", "expired", "revoked", "basic"])
def test_every_api_route_is_denied_with_a_bad_token(own_app: FastAPI, own_store: Store, kind: str) -> None:
    _, secret = create_token(own_store.engine, "ci", Role.AUDITOR, 30)
    client = TestClient(own_app)
    assert request(client, "GET", "/api/me", headers={"Authorization": f"Bearer {secret}"}
                   ).status_code == 200  # type: ignore[attr-defined]
    header = f"Bearer {secret}"
    if kind == "garbage":
        header = "Bearer assay_nothing"
    elif kind == "flipped":
        header = f"Bearer {secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}"
    elif kind == "expired":
        with own_store.engine.begin() as conn:
            conn.execute(tokens_table.update().values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    elif kind == "revoked":
        with own_store.engine.begin() as conn:
            conn.execute(tokens_table.delete())
    elif kind == "basic":
        header = f"Basic {secret}"
    for method, path in routes(own_app):
        if path.startswith("/api/"):
            assert_denied(request(client, method, path, headers={"Authorization": header}), path)


def test_a_bad_token_is_not_rescued_by_a_good_cookie(viewer: TestClient) -> None:
    assert request(viewer, "GET", "/api/me").status_code == 200  # type: ignore[attr-defined]
    response = request(viewer, "GET", "/api/me", headers={"Authorization": "Bearer assay_wrong"})
    assert response.status_code == 401  # type: ignore[attr-defined]


def test_tokens_authenticate_the_api_with_their_role(app: FastAPI, viewer_token: str) -> None:
    client = TestClient(app)
    me = client.get("/api/me", headers={"Authorization": f"Bearer {viewer_token}"}).json()
    assert me == {"name": "tests-viewer", "role": "viewer", "kind": "token"}
    assert client.get("/api/evidence", headers={"Authorization": f"Bearer {viewer_token}"}).status_code == 403


def test_sign_in_sets_a_hardened_cookie_and_signs_out(anon: TestClient) -> None:
    form = anon.get("/login")
    assert form.status_code == 200
    response = anon.post("/login", data={"username": "viewer", "password": PASSWORDS["viewer"],
                                         "csrf_token": csrf_of(form.text), "next": "/resources"},
                         follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/resources"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    attrs = {a.strip().split("=")[0].lower() for a in cookie.split(";")}
    assert {"httponly", "samesite", "max-age", "path"} <= attrs
    assert "samesite=lax" in cookie.lower()
    old = anon.cookies[SESSION_COOKIE]
    page = anon.get("/")
    assert page.status_code == 200 and "viewer" in page.text
    # Sign out needs the form's CSRF token.
    assert anon.post("/logout", data={}, follow_redirects=False).status_code == 403
    out = anon.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    # The old cookie, replayed, no longer works: signing out ended the session on the server too.
    replay = TestClient(anon.app)
    replay.cookies.set(SESSION_COOKIE, old)
    assert request(replay, "GET", "/api/me").status_code == 401  # type: ignore[attr-defined]


def test_wrong_passwords_and_unknown_users_are_refused_alike(own_app: FastAPI) -> None:
    client = TestClient(own_app)
    for name, password in (("viewer", "wrong-password"), ("nobody", "wrong-password")):
        form = client.get("/login")
        response = client.post("/login", data={"username": name, "password": password,
                                               "csrf_token": csrf_of(form.text)}, follow_redirects=False)
        assert response.status_code == 401
        assert "Wrong user name or password." in response.text
        assert SESSION_COOKIE not in client.cookies


def test_sign_in_needs_the_form_token(own_app: FastAPI) -> None:
    client = TestClient(own_app)
    form = client.get("/login")
    data = {"username": "viewer", "password": PASSWORDS["viewer"]}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403
    assert client.post("/login", data={**data, "csrf_token": "forged"}, follow_redirects=False).status_code == 403
    stranger = TestClient(own_app)  # a token from someone else's form, without its cookie
    assert stranger.post("/login", data={**data, "csrf_token": csrf_of(form.text)},
                         follow_redirects=False).status_code == 403
    # Each refusal hands out a new form; its token works.
    refused = client.post("/login", data={**data, "csrf_token": "forged"}, follow_redirects=False)
    assert client.post("/login", data={**data, "csrf_token": csrf_of(refused.text)},
                       follow_redirects=False).status_code == 303


def test_failed_sign_ins_are_rate_limited(own_app: FastAPI) -> None:
    client = TestClient(own_app)
    for _ in range(5):
        response = client.post("/login", data={"username": "viewer", "password": "nope-nope-nope",
                                               "csrf_token": csrf_of(client.get("/login").text)})
        assert response.status_code == 401
    response = client.post("/login", data={"username": "viewer", "password": PASSWORDS["viewer"],
                                           "csrf_token": csrf_of(client.get("/login").text)}, follow_redirects=False)
    assert response.status_code == 429 and int(response.headers["retry-after"]) > 0
    # Another user from the same address is still let in (the per-address budget is larger).
    sign_in(client, "auditor")


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x",
                                    "/logout"])
def test_sign_in_never_redirects_off_site(own_app: FastAPI, target: str) -> None:
    client = TestClient(own_app)
    response = client.post("/login", data={"username": "viewer", "password": PASSWORDS["viewer"], "next": target,
                                           "csrf_token": csrf_of(client.get("/login").text)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_removing_a_user_ends_their_sessions(own_app: FastAPI, own_store: Store) -> None:
    add_user(own_store.engine, "temp", Role.VIEWER, "temporary-pass")
    client = sign_in(TestClient(own_app), "temp", "temporary-pass")
    assert client.get("/api/me").status_code == 200
    remove_user(own_store.engine, "temp")
    add_user(own_store.engine, "temp", Role.ADMIN, "temporary-pass")  # same name, new user
    assert client.get("/api/me").status_code == 401


def test_roles(viewer: TestClient, auditor: TestClient, admin: TestClient) -> None:
    for path in ("/evidence", "/evidence/export", "/admin/users"):
        assert viewer.get(path).status_code == 403, path
    assert viewer.get("/api/evidence").status_code == 403
    assert auditor.get("/admin/users").status_code == 403
    assert auditor.get("/evidence").status_code == 200
    bundle = auditor.get("/api/evidence")
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
    assert bundle.content[:2] == b"PK"
    assert admin.get("/admin/users").status_code == 200
    assert "Evidence" not in viewer.get("/").text.split("<main>")[0]
    assert "Users" in admin.get("/").text.split("<main>")[0]


def test_admin_forms_need_the_csrf_token(own_app: FastAPI, own_store: Store) -> None:
    admin = sign_in(TestClient(own_app), "admin")
    page = admin.get("/admin/users")
    assert admin.post("/admin/users/viewer/remove", data={"csrf_token": "forged"}).status_code == 403
    assert admin.post("/admin/users/viewer/remove", data={}).status_code == 403
    def viewers() -> int:
        with own_store.engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM web_users WHERE name = 'viewer'")).scalar_one())

    assert viewers() == 1
    done = admin.post("/admin/users/viewer/remove", data={"csrf_token": csrf_of(page.text)},
                      follow_redirects=False)
    assert done.status_code == 303
    assert viewers() == 0
    viewer = sign_in(TestClient(own_app), "auditor")  # another user's valid token does not work for admin forms
    assert viewer.post("/admin/users/admin/remove", data={"csrf_token": csrf_of(page.text)}).status_code == 403


EXPECTED_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


@pytest.mark.parametrize("path", ["/login", "/", "/static/assay.css", "/static/assay.js", "/api/scans", "/nowhere",
                                  "/resources"])
def test_security_headers_on_every_response(anon: TestClient, viewer: TestClient, path: str) -> None:
    for client in (anon, viewer):
        response = client.get(path, follow_redirects=False)
        for name, value in EXPECTED_HEADERS.items():
            assert response.headers[name] == value, (path, name)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        if not path.startswith("/static/"):
            assert response.headers["cache-control"] == "no-store"


def test_the_api_document_needs_credentials(anon: TestClient, viewer: TestClient) -> None:
    assert anon.get("/api/openapi.json").status_code == 401
    for path in ("/docs", "/redoc", "/openapi.json"):  # FastAPI's defaults (and their CDN assets) are off
        assert viewer.get(path).status_code == 404
    doc = viewer.get("/api/openapi.json").json()
    assert "/api/scans" in doc["paths"] and not any(not p.startswith("/api/") for p in doc["paths"])


def test_the_limiter_counts_per_name_and_per_address() -> None:
    limiter = LoginLimiter(per_address=3, per_name=2, window=60)
    limiter.failed("10.0.0.1", "alice")
    assert limiter.retry_after("10.0.0.1", "alice") == 0
    limiter.failed("10.0.0.1", "Alice")  # names are compared without case
    assert 0 < limiter.retry_after("10.0.0.1", "alice") <= 61
    assert limiter.retry_after("10.0.0.1", "bob") == 0
    limiter.failed("10.0.0.1", "bob")
    assert limiter.retry_after("10.0.0.1", "carol") > 0  # the address spent its budget
    assert limiter.retry_after("10.0.0.2", "carol") == 0
    limiter.succeeded("alice")
    assert limiter.retry_after("10.0.0.2", "alice") == 0
