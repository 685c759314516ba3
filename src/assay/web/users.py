"""Dashboard users and API tokens, kept in the store's database (tables created by migration 0002).

Passwords are hashed with Argon2id. API tokens are random 256-bit secrets shown once; only their
SHA-256 is stored (a slow hash buys nothing for a secret that long, and every API call checks one).
Each user has a random `session_key` that every session cookie carries: removing the user (or
re-creating one under the same name) voids every cookie issued before.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from assay.errors import UsageError
from assay.store.connect import WRITE

metadata = sa.MetaData()

users_table = sa.Table(
    "web_users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("session_key", sa.String(32), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,
)

tokens_table = sa.Table(
    "web_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
    sqlite_autoincrement=True,
)

# Server-side secrets (the cookie signing key), created on first use so that every dashboard
# process over the same database signs and checks cookies alike.
secrets_table = sa.Table(
    "web_secrets", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
TOKEN_PREFIX = "assay_"
MIN_PASSWORD = 10

# Argon2id with the library's defaults (RFC 9106's low-memory profile). Tests swap in a cheaper one.
hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so a wrong name costs as long as a wrong password."""
    return hasher.hash(secrets.token_urlsafe(16))


class Role(StrEnum):
    VIEWER = "viewer"  # reads every page and API route
    AUDITOR = "auditor"  # also downloads evidence bundles
    ADMIN = "admin"  # also manages users

    @property
    def rank(self) -> int:
        return {"viewer": 0, "auditor": 1, "admin": 2}[self.value]

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    session_key: str
    created_at: datetime


@dataclass(frozen=True)
class Token:
    id: int
    name: str
    role: Role
    created_at: datetime
    expires_at: datetime | None


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands timestamps back naive; they were written in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _user(row: sa.Row[tuple[object, ...]]) -> User:
    m = row._mapping
    return User(id=m["id"], name=m["name"], role=Role(m["role"]), session_key=m["session_key"],
                created_at=_aware(m["created_at"]) or datetime.now(UTC))


def _writer(engine: sa.Engine) -> Any:
    """A write transaction, taken the way the store takes them (SQLite: BEGIN IMMEDIATE)."""
    return engine.execution_options(**WRITE).begin()


def _check_name(name: str, what: str) -> None:
    if not NAME_PATTERN.match(name):
        raise UsageError(f"{what} name {name!r} must be 1-64 letters, digits or . _ @ - (starting with a letter "
                         "or digit)")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password must be at least {MIN_PASSWORD} characters long")


def add_user(engine: sa.Engine, name: str, role: Role, password: str) -> User:
    _check_name(name, "user")
    check_password(password)
    digest = hasher.hash(password)
    with _writer(engine) as conn:
        if conn.execute(sa.select(users_table.c.id).where(users_table.c.name == name)).first():
            raise UsageError(f"user {name!r} already exists (remove it first to reset it)")
        conn.execute(users_table.insert().values(
            name=name, role=role.value, password_hash=digest, session_key=secrets.token_hex(16),
            created_at=datetime.now(UTC)))
        row = conn.execute(sa.select(users_table).where(users_table.c.name == name)).one()
    return _user(row)


def list_users(engine: sa.Engine) -> list[User]:
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(sa.select(users_table).order_by(users_table.c.name))]


def remove_user(engine: sa.Engine, name: str) -> None:
    with _writer(engine) as conn:
        if not conn.execute(users_table.delete().where(users_table.c.name == name)).rowcount:
            raise UsageError(f"no user named {name!r}")


def end_sessions(engine: sa.Engine, user_id: int) -> None:
    """Void every session cookie of this user (signing out ends the session everywhere)."""
    with _writer(engine) as conn:
        conn.execute(users_table.update().where(users_table.c.id == user_id)
                     .values(session_key=secrets.token_hex(16)))


def get_user(engine: sa.Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(users_table).where(users_table.c.id == user_id)).first()
    return _user(row) if row else None


def authenticate(engine: sa.Engine, name: str, password: str) -> User | None:
    """The user if the password matches, else None; costs the same whether or not the name exists."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(users_table).where(users_table.c.name == name)).first()
    digest = row._mapping["password_hash"] if row else _dummy_hash()
    try:
        hasher.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if hasher.check_needs_rehash(digest):
        with _writer(engine) as conn:
            conn.execute(users_table.update().where(users_table.c.id == row._mapping["id"])
                         .values(password_hash=hasher.hash(password)))
    return _user(row)


# -- API tokens --------------------------------------------------------------------------------

def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine: sa.Engine, name: str, role: Role, days: int | None) -> tuple[Token, str]:
    """A new token and its secret, which is never stored and cannot be shown again."""
    _check_name(name, "token")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires = now + timedelta(days=days) if days else None
    with _writer(engine) as conn:
        if conn.execute(sa.select(tokens_table.c.id).where(tokens_table.c.name == name)).first():
            raise UsageError(f"token {name!r} already exists (revoke it first)")
        conn.execute(tokens_table.insert().values(
            name=name, role=role.value, token_hash=_token_digest(secret), created_at=now, expires_at=expires))
        row = conn.execute(sa.select(tokens_table).where(tokens_table.c.name == name)).one()
    return _token(row), secret


def _token(row: sa.Row[tuple[object, ...]]) -> Token:
    m = row._mapping
    return Token(id=m["id"], name=m["name"], role=Role(m["role"]),
                 created_at=_aware(m["created_at"]) or datetime.now(UTC), expires_at=_aware(m["expires_at"]))


def list_tokens(engine: sa.Engine) -> list[Token]:
    with engine.connect() as conn:
        return [_token(r) for r in conn.execute(sa.select(tokens_table).order_by(tokens_table.c.name))]


def revoke_token(engine: sa.Engine, name: str) -> None:
    with _writer(engine) as conn:
        if not conn.execute(tokens_table.delete().where(tokens_table.c.name == name)).rowcount:
            raise UsageError(f"no token named {name!r}")


def token_for(engine: sa.Engine, secret: str, now: datetime | None = None) -> Token | None:
    """The live token whose secret this is, or None (unknown, malformed or expired)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 128:
        return None
    with engine.connect() as conn:
        row = conn.execute(sa.select(tokens_table).where(tokens_table.c.token_hash == _token_digest(secret))).first()
    if row is None:
        return None
    token = _token(row)
    if token.expires_at is not None and token.expires_at <= (now or datetime.now(UTC)):
        return None
    return token


# -- server secrets ----------------------------------------------------------------------------

def server_secret(engine: sa.Engine, name: str) -> str:
    """A random secret kept in the database, created by whichever process asks first."""
    with engine.connect() as conn:
        value = conn.execute(sa.select(secrets_table.c.value).where(secrets_table.c.name == name)).scalar()
    if value:
        return str(value)
    try:
        with _writer(engine) as conn:
            conn.execute(secrets_table.insert().values(name=name, value=secrets.token_urlsafe(48)))
    except sa.exc.IntegrityError:
        pass  # another process created it first: use theirs
    with engine.connect() as conn:
        return str(conn.execute(sa.select(secrets_table.c.value).where(secrets_table.c.name == name)).scalar_one())
