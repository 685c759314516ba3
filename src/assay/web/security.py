"""Signed session cookies, CSRF tokens, security headers and login throttling.

A session cookie is the user's id, their session key and a CSRF token, signed with a key kept in
the database and timestamped: it expires after `max_age` seconds however it is replayed. Forms
carry the CSRF token in a hidden field and the server compares it with the one in the cookie;
the sign-in form, which has no session yet, uses a signed pre-session cookie the same way.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "assay_session"
LOGIN_CSRF_COOKIE = "assay_login"
LOGIN_CSRF_MAX_AGE = 3600

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
]
_HEADER_NAMES = {name for name, _ in HEADERS}


@dataclass(frozen=True)
class Session:
    user_id: int
    key: str  # the user's session key at sign-in: a removed or re-created user voids the cookie
    csrf: str


class SessionCodec:
    def __init__(self, secret: str, max_age: int) -> None:
        self.max_age = max_age
        self._sessions = URLSafeTimedSerializer(secret, salt="assay.session")
        self._login = URLSafeTimedSerializer(secret, salt="assay.login-csrf")

    def issue(self, user_id: int, key: str) -> tuple[str, Session]:
        session = Session(user_id=user_id, key=key, csrf=secrets.token_urlsafe(32))
        return self._sessions.dumps({"u": user_id, "k": key, "c": session.csrf}), session

    def read(self, cookie: str | None) -> Session | None:
        """The session if the cookie is ours, intact and younger than max_age; else None."""
        if not cookie or len(cookie) > 4096:
            return None
        try:
            data: Any = self._sessions.loads(cookie, max_age=self.max_age)
        except BadSignature:  # also SignatureExpired and malformed payloads
            return None
        if not (isinstance(data, dict) and isinstance(data.get("u"), int) and isinstance(data.get("k"), str)
                and isinstance(data.get("c"), str)):
            return None
        return Session(user_id=data["u"], key=data["k"], csrf=data["c"])

    def login_token(self) -> tuple[str, str]:
        """(cookie value, form value) for the sign-in form."""
        raw = secrets.token_urlsafe(32)
        return self._login.dumps(raw), raw

    def login_token_ok(self, cookie: str | None, form_value: str | None) -> bool:
        if not cookie or not form_value:
            return False
        try:
            raw = self._login.loads(cookie, max_age=LOGIN_CSRF_MAX_AGE)
        except BadSignature:
            return False
        return isinstance(raw, str) and hmac.compare_digest(raw, form_value)


def csrf_ok(session: Session | None, form_value: str | None) -> bool:
    return bool(session and form_value and hmac.compare_digest(session.csrf, form_value))


class SecurityHeaders:
    """Adds the security headers to every response, error pages and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        static = scope.get("path", "").startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in _HEADER_NAMES]
                headers += HEADERS
                if not static:  # findings are sensitive: no copy in shared or browser caches
                    headers = [h for h in headers if h[0].lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoginLimiter:
    """Failed sign-ins per client address and per user name in a sliding window."""

    # Guessing one account is bounded by the per-name limit; the per-address one stops a spray over
    # many names and stays loose because everyone behind one proxy shares an address.
    def __init__(self, per_address: int = 30, per_name: int = 5, window: float = 900.0) -> None:
        self.per_address = per_address
        self.per_name = per_name
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def retry_after(self, address: str, name: str) -> int:
        """Seconds to wait before trying again, 0 if a try is allowed now."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, limit in ((f"a:{address}", self.per_address), (f"n:{name.lower()}", self.per_name)):
                q = self._recent(key, now)
                if len(q) >= limit:
                    waits.append(int(q[0] + self.window - now) + 1)
            return max(waits, default=0)

    def failed(self, address: str, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"a:{address}", f"n:{name.lower()}"):
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # bounded memory under a spray of names
                for key in [k for k, q in self._failures.items() if not self._recent(k, now)]:
                    del self._failures[key]

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(f"n:{name.lower()}", None)
