"""`assay users` and `assay tokens`: create, list, remove; passwords hashed, tokens shown once and hashed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from assay.cli import app
from assay.errors import UsageError
from assay.store import open_store
from assay.web.users import authenticate, token_for

runner = CliRunner()


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'assay.db'}"


def invoke(*args: str, stdin: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.stdout


def test_users_add_list_remove(db: str) -> None:
    invoke("users", "add", "alice", "--role", "auditor", "--password-stdin", "--db", db, stdin="alice-secret-1\n")
    invoke("users", "add", "bob", "--password-stdin", "--db", db, stdin="bob-secret-123\n")
    listing = invoke("users", "list", "--db", db).splitlines()
    assert [line.split("\t")[:2] for line in listing] == [["alice", "auditor"], ["bob", "viewer"]]
    store = open_store(db)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM web_users WHERE name = 'alice'")).scalar_one()
    assert stored.startswith("$argon2id$") and "alice-secret-1" not in stored
    assert authenticate(store.engine, "alice", "alice-secret-1") is not None
    assert authenticate(store.engine, "alice", "alice-secret-2") is None
    invoke("users", "remove", "bob", "--db", db)
    assert [line.split("\t")[0] for line in invoke("users", "list", "--db", db).splitlines()] == ["alice"]
    store.close()


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["users", "add", "carol", "--password-stdin"], "short\n", "at least 10 characters"),
    (["users", "add", "bad name", "--password-stdin"], "long-enough-pw\n", "must be 1-64 letters"),
    (["users", "add", "dave", "--password-stdin"], "\n", "no password on standard input"),
    (["users", "remove", "nobody"], None, "no user named 'nobody'"),
    (["tokens", "revoke", "nothing"], None, "no token named 'nothing'"),
])
def test_bad_user_commands_say_why(db: str, args: list[str], stdin: str | None, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        invoke(*args, "--db", db, stdin=stdin)


def test_a_user_name_is_taken_once(db: str) -> None:
    invoke("users", "add", "erin", "--password-stdin", "--db", db, stdin="erin-secret-12\n")
    with pytest.raises(UsageError, match="already exists"):
        invoke("users", "add", "erin", "--password-stdin", "--db", db, stdin="erin-secret-12\n")


def test_tokens_are_shown_once_and_stored_hashed(db: str) -> None:
    secret = invoke("tokens", "create", "ci-export", "--role", "auditor", "--db", db).strip()
    assert secret.startswith("assay_") and len(secret) > 40
    store = open_store(db)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT token_hash FROM web_tokens")).scalar_one()
    assert secret not in stored and len(stored) == 64
    token = token_for(store.engine, secret)
    assert token is not None and token.role.value == "auditor" and token.expires_at is not None
    listing = invoke("tokens", "list", "--db", db)
    assert "ci-export\tauditor\texpires " in listing and secret not in listing
    never = invoke("tokens", "create", "forever", "--expires-days", "0", "--db", db).strip()
    found = token_for(store.engine, never)
    assert found is not None and found.expires_at is None
    invoke("tokens", "revoke", "ci-export", "--db", db)
    assert token_for(store.engine, secret) is None
    store.close()


def test_cli_errors_are_one_line_and_exit_2(db: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "assay", "users", "add", "x", "--password-stdin", "--db", db],
                          input="short\n", capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["assay: error: the password must be at least 10 characters long"]
