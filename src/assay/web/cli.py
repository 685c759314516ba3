"""`assay serve`, `assay users` and `assay tokens`: the dashboard and who may use it.

Only typer is imported here so that `assay --help` works without the web extra; the commands
import the dashboard's dependencies when they run and say how to install them if missing.
"""

from __future__ import annotations

import ipaddress
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console

from assay.errors import UsageError

err = Console(stderr=True, highlight=False, soft_wrap=True)
users_app = typer.Typer(help="Dashboard users (admins manage them here).", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for automation (shown once, stored hashed).", no_args_is_help=True)

DbOpt = Annotated[str | None, typer.Option("--db", help="Store URL (sqlite:///file.db or postgresql://...); "
                                           "default: $ASSAY_DB, else the user's data directory.")]


class RoleName(StrEnum):
    viewer = "viewer"
    auditor = "auditor"
    admin = "admin"


class TokenRole(StrEnum):
    viewer = "viewer"
    auditor = "auditor"


def _need_web() -> None:
    try:
        import argon2  # noqa: F401
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise UsageError(f"the dashboard needs the web extra ({exc.name} is missing): "
                         "pip install 'assay[web]'") from None


def _engine(db: str | None) -> Any:
    _need_web()
    from assay.store import open_store
    from assay.web.queries import engine_of

    return engine_of(open_store(db))


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOpt = None,
    session_hours: Annotated[float, typer.Option("--session-hours", min=0.05, max=24 * 30,
                                                 help="How long a sign-in lasts.")] = 8.0,
    secure_cookies: Annotated[bool, typer.Option("--secure-cookies", help="Mark cookies Secure (behind an HTTPS "
                                                 "proxy).")] = False,
) -> None:
    """Serve the live compliance dashboard over the scan store."""
    _need_web()
    import uvicorn

    from assay.store import open_store
    from assay.web.app import create_app
    from assay.web.queries import engine_of
    from assay.web.users import list_users

    store = open_store(db)
    if not list_users(engine_of(store)):
        err.print("assay: no dashboard users yet: create one with `assay users add NAME --role admin`")
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        err.print(f"assay: listening on {host}: put TLS in front of it and pass --secure-cookies")
    app = create_app(store=store, session_hours=session_hours, secure_cookies=secure_cookies)
    err.print(f"assay: dashboard on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("--password-stdin: no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise UsageError("no terminal to prompt for a password: pass it with --password-stdin")
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return str(password)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name to sign in with.")],
    role: Annotated[RoleName, typer.Option(help="viewer: read; auditor: read and export evidence; admin: also "
                                           "manage users.")] = RoleName.viewer,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line "
                                                 "of standard input instead of prompting.")] = False,
    db: DbOpt = None,
) -> None:
    """Create a dashboard user."""
    engine = _engine(db)
    from assay.web.users import Role, add_user, check_password

    password = _read_password(password_stdin)
    check_password(password)
    user = add_user(engine, name, Role(role.value), password)
    err.print(f"assay: user {user.name} added ({user.role.value})", markup=False)


@users_app.command("list")
def users_list(db: DbOpt = None) -> None:
    """List dashboard users and their roles."""
    engine = _engine(db)
    from assay.web.users import list_users

    for user in list_users(engine):
        print(f"{user.name}\t{user.role.value}\t{user.created_at:%Y-%m-%d}")


@users_app.command("remove")
def users_remove(name: Annotated[str, typer.Argument(help="User to remove.")], db: DbOpt = None) -> None:
    """Remove a dashboard user; their sessions end at once."""
    engine = _engine(db)
    from assay.web.users import remove_user

    remove_user(engine, name)
    err.print(f"assay: user {name} removed", markup=False)


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. ci-export.")],
    role: Annotated[TokenRole, typer.Option(help="viewer: read; auditor: read and export evidence.")]
        = TokenRole.viewer,
    expires_days: Annotated[int, typer.Option("--expires-days", min=0, max=3650,
                                              help="Days until the token stops working (0: never).")] = 90,
    db: DbOpt = None,
) -> None:
    """Create an API token and print it once (only its hash is kept)."""
    engine = _engine(db)
    from assay.web.users import Role, create_token

    token, secret = create_token(engine, name, Role(role.value), expires_days or None)
    until = f"until {token.expires_at:%Y-%m-%d}" if token.expires_at else "without expiry"
    err.print(f"assay: token {token.name} ({token.role.value}) created, valid {until}; it is shown only now. "
              "Send it as `Authorization: Bearer <token>`.", markup=False)
    print(secret)


@tokens_app.command("list")
def tokens_list(db: DbOpt = None) -> None:
    """List API tokens (names, roles, expiry; never the secrets)."""
    engine = _engine(db)
    from assay.web.users import list_tokens

    for token in list_tokens(engine):
        until = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
        print(f"{token.name}\t{token.role.value}\texpires {until}")


@tokens_app.command("revoke")
def tokens_revoke(name: Annotated[str, typer.Argument(help="Token to revoke.")], db: DbOpt = None) -> None:
    """Revoke an API token."""
    engine = _engine(db)
    from assay.web.users import revoke_token

    revoke_token(engine, name)
    err.print(f"assay: token {name} revoked", markup=False)


def register(app: typer.Typer) -> None:
    """Add `serve`, `users` and `tokens` to the assay command."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
