"""Commands over the scan store: history, diff, attest, attestations, type2, evidence export/verify/pubkey.

Also the `--db` / `--no-store` options of `scan`, `evaluate` and `demo`, and the step that stores their
evaluation. Imports of the store itself stay inside functions: `assay --help` should not load SQLAlchemy.
"""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from assay.atomic import atomic_write
from assay.errors import AssayError, ConfigError, UsageError

if TYPE_CHECKING:
    from assay.engine import Evaluation
    from assay.store import Store

DbOpt = Annotated[str | None, typer.Option(
    "--db", help="Scan store URL: sqlite:///path.db or postgresql://user@host/db (default: $ASSAY_DB, else "
    "assay.db in your user data directory).", rich_help_panel="Store")]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="Do not record this scan in the store.",
                                          rich_help_panel="Store")]

err = Console(stderr=True, highlight=False, soft_wrap=True)


class _Out:
    """stdout for tables: the terminal's width, or 170 columns when piped (never squeezed into 80)."""

    def __getattr__(self, name: str) -> Any:
        console = Console(highlight=False)
        if not console.is_terminal:
            console = Console(highlight=False, width=170)
        return getattr(console, name)


out: Any = _Out()


def _open(db: str | None) -> Store:
    from sqlalchemy.exc import SQLAlchemyError

    from assay.store import open_store

    try:
        return open_store(db)
    except SQLAlchemyError as exc:
        raise ConfigError(f"cannot open the store: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def store_evaluation(ev: Evaluation, db: str | None, no_store: bool, *, restricted: bool = False,
                     console: Console | None = None) -> None:
    """Record a scan/evaluate/demo result; say so in one line on stderr.

    A store named with --db or $ASSAY_DB that cannot be written is an error (exit 2); the default store
    only earns a warning, so that a scan on a machine with a read-only home still reports.
    """
    console = console or err
    if no_store:
        return
    if restricted:
        console.print("Not stored: a scan restricted to some criteria or controls is not part of the history "
                      "(run it unrestricted to store it).", markup=False)
        return
    from sqlalchemy.exc import SQLAlchemyError

    explicit = bool(db or os.environ.get("ASSAY_DB"))
    try:
        store = _open(db)
        try:
            rec = store.ingest(ev)
            report = store.verify(max(1, rec.id - 1), rec.id)
        finally:
            store.close()
    except (AssayError, SQLAlchemyError, OSError) as exc:
        message = str(exc) if isinstance(exc, AssayError) else _first_line(exc)
        if explicit:
            raise ConfigError(f"the scan was not stored: {message} (--no-store skips storing)") from None
        console.print(f"warning: the scan was not stored: {message} (--db chooses another store, --no-store "
                      "skips storing)", markup=False)
        return
    state = "chain ok" if report.ok else f"CHAIN BROKEN at scan #{report.problems[0].scan_id}: " \
                                           f"{report.problems[0].problem}"
    verb = f"Stored scan #{rec.id}" if rec.stored_now else f"Scan already stored as #{rec.id}"
    console.print(f"{verb} ({state})", markup=False)


# -- dates ----------------------------------------------------------------------------------

def parse_when(value: str, option: str, *, end_of_day: bool = False) -> datetime:
    """YYYY-MM-DD (the whole day, UTC) or an ISO 8601 time (UTC unless it says otherwise)."""
    text = value.strip()
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return datetime.combine(d, time.max if end_of_day else time.min, tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD) or an ISO 8601 time") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


class ViewFormat(StrEnum):
    console = "console"
    json = "json"


class DiffFormat(StrEnum):
    console = "console"
    json = "json"
    html = "html"


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        print(text)
        return
    with atomic_write(output) as fh:
        fh.write(text + ("" if text.endswith("\n") else "\n"))
    err.print(f"Wrote {output}", markup=False)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _json(obj: Any) -> str:
    return json.dumps(obj, indent=2, default=str)


# -- commands -------------------------------------------------------------------------------

def history(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many scans, newest first.")] = 20,
    criterion: Annotated[str | None, typer.Option("--criterion", help="Also show this criterion's state.")] = None,
    fmt: Annotated[ViewFormat, typer.Option("--format", "-f", help="console or json.")] = ViewFormat.console,
    db: DbOpt = None,
) -> None:
    """Stored scans, newest first: state, coverage, findings and pass rates per category."""
    from assay.store.render import history_table

    store = _open(db)
    rows = store.history(limit=limit)
    if fmt is ViewFormat.json:
        print(_json([r.model_dump(mode="json") for r in rows]))
        return
    if not rows:
        err.print("The store holds no scan yet: `assay scan` or `assay demo` records one.", markup=False)
        return
    out.print(history_table(rows, criterion.upper() if criterion else None))


def diff(
    old: Annotated[int | None, typer.Argument(help="Older scan number (default: the second-last complete scan).")
                   ] = None,
    new: Annotated[int | None, typer.Argument(help="Newer scan number (default: the last complete scan).")] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="console, json or html.")] = DiffFormat.console,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="List every finding (console).")] = False,
    db: DbOpt = None,
) -> None:
    """What changed between two scans: new, regressed, resolved and still-failing findings, and criteria."""
    from assay.store.render import diff_html, print_diff

    d = _open(db).diff(old, new)
    if fmt is DiffFormat.json:
        _emit(_json({**d.model_dump(mode="json"), "counts": d.counts()}), output)
    elif fmt is DiffFormat.html:
        _emit(diff_html(d), output)
    elif output is not None:
        buffer = io.StringIO()
        print_diff(d, Console(file=buffer, width=140, highlight=False), limit=10**9 if show_all else 20)
        _emit(buffer.getvalue(), output)
    else:
        print_diff(d, out, limit=10**9 if show_all else 20)


def attest(
    criterion: Annotated[str, typer.Argument(help="A manual criterion, e.g. CC1.4.")],
    by: Annotated[str, typer.Option("--by", help="Who attests (name, and role if useful).")],
    evidence: Annotated[Path, typer.Option("--evidence", help="The evidence file; kept in the store with its "
                                           "SHA-256.")],
    valid_until: Annotated[str, typer.Option("--valid-until", help="Last day the attestation holds (YYYY-MM-DD).")],
    note: Annotated[str, typer.Option("--note", help="What the evidence shows, in a sentence.")] = "",
    framework: Annotated[str, typer.Option("--framework", help="Framework of the criterion.")] = "soc2",
    db: DbOpt = None,
) -> None:
    """Record a person's attestation of a manual criterion, with its evidence file."""
    until = parse_date(valid_until, "--valid-until")
    a = _open(db).attest(criterion, by, evidence, until, note=note, framework=framework)
    err.print(f"Attested {a.criterion} by {a.attested_by} until {a.valid_until.isoformat()} "
              f"(attestation {a.id}; evidence {a.evidence_name}, sha256 {a.evidence_sha256})", markup=False)


def attestations(
    fmt: Annotated[ViewFormat, typer.Option("--format", "-f", help="console or json.")] = ViewFormat.console,
    framework: Annotated[str, typer.Option("--framework", help="Framework.")] = "soc2",
    db: DbOpt = None,
) -> None:
    """Each manual criterion: attested (by whom, until when), expired, or missing."""
    from assay.store.render import attestation_table

    store = _open(db)
    states = store.attestation_states(framework=framework)
    if fmt is ViewFormat.json:
        print(_json({"criteria": [s.model_dump(mode="json") for s in states],
                     "attestations": [a.model_dump(mode="json") for a in store.attestations(framework=framework)]}))
        return
    out.print(attestation_table(states))
    counts = {k: sum(1 for s in states if s.state == k) for k in ("attested", "expired", "missing")}
    err.print(f"{counts['attested']} attested, {counts['expired']} expired, {counts['missing']} missing.",
              markup=False)


def type2(
    start: Annotated[str, typer.Option("--from", help="Window start: YYYY-MM-DD (UTC) or an ISO time.")],
    end: Annotated[str, typer.Option("--to", help="Window end: YYYY-MM-DD (the whole day) or an ISO time.")],
    max_gap_days: Annotated[float, typer.Option("--max-gap-days", min=0.01, help="Flag stretches longer than this "
                                                "without a scan.")] = 2.0,
    fmt: Annotated[ViewFormat, typer.Option("--format", "-f", help="console or json.")] = ViewFormat.console,
    show_all: Annotated[bool, typer.Option("--all", help="List every control (console).")] = False,
    db: DbOpt = None,
) -> None:
    """Type II view of an observation window: pass share, failures, streaks, time to fix, cadence gaps."""
    from assay.store.render import print_type2

    view = _open(db).type2(parse_when(start, "--from"), parse_when(end, "--to", end_of_day=True),
                           max_gap=timedelta(days=max_gap_days))
    if fmt is ViewFormat.json:
        print(_json(view.model_dump(mode="json")))
        return
    print_type2(view, out, show_all=show_all)


evidence_app = typer.Typer(help="Signed, hash-chained evidence: export a bundle, verify one offline, the public key.",
                           no_args_is_help=True)


@evidence_app.command("pubkey")
def evidence_pubkey(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the PEM here.")] = None,
    db: DbOpt = None,
) -> None:
    """Print the public key that verifies this machine's signatures (creating the key pair if needed)."""
    store = _open(db)
    signer = store.signer
    _emit(signer.public_pem.rstrip("\n"), output)
    err.print(f"Key id {signer.key_id}; private key {signer.path}", markup=False)


@evidence_app.command("export")
def evidence_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The bundle to write (.zip).")],
    start: Annotated[str | None, typer.Option("--from", help="Window start: YYYY-MM-DD (UTC) or an ISO time "
                                              "(default: the first scan).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Window end: YYYY-MM-DD (the whole day) or an ISO time "
                                            "(default: now).")] = None,
    exceptions: Annotated[Path | None, typer.Option("--exceptions", help="The exceptions file in force, to "
                                                    "include.")] = None,
    db: DbOpt = None,
) -> None:
    """Export the window's scans, findings, attestations and evidence as one signed zip."""
    store = _open(db)
    result = store.export_evidence(output, parse_when(start, "--from") if start else None,
                                   parse_when(end, "--to", end_of_day=True) if end else None,
                                   exceptions_file=exceptions)
    err.print(f"Wrote {result.path}: scans #{result.first}-#{result.last} ({result.in_window} in the window), "
              f"{_n(result.attestations, 'attestation')}, {result.files} files and a signed manifest, "
              f"{result.size} bytes; sha256 {result.sha256}", markup=False)


@evidence_app.command("verify")
def evidence_verify(
    bundle: Annotated[Path, typer.Argument(help="A bundle written by `assay evidence export`.")],
    pubkey: Annotated[list[Path] | None, typer.Option("--pubkey", help="Public key (PEM) you trust to have signed "
                                                      "it; repeatable. Default: the keys inside the bundle.")] = None,
) -> None:
    """Verify a bundle offline: every file's digest, the hash chain, every signature. Exit 1 if anything fails."""
    from assay.store.bundle import verify_bundle

    keys = []
    for p in pubkey or []:
        try:
            keys.append(p.read_bytes())
        except OSError as exc:
            raise UsageError(f"--pubkey {p}: {exc.strerror}") from None
    v = verify_bundle(bundle, keys or None)
    if not v.ok:
        print(f"FAILED: {bundle}: {v.problems[0]}")
        for problem in v.problems[1:20]:
            print(f"  also: {problem}")
        if len(v.problems) > 20:
            print(f"  ... and {len(v.problems) - 20} more problems")
        raise typer.Exit(1)
    signer = (f"signatures by key {', '.join(v.keys)} (pinned with --pubkey)" if v.pinned else
              f"signatures by key {', '.join(v.keys)} from the bundle itself (pass --pubkey to pin the signer)")
    print(f"OK: {bundle}: scans #{v.first}-#{v.last} chained and signed, {_n(v.attestations, 'attestation')}, "
          f"{v.files} files and the manifest intact; {signer}")


def register(app: typer.Typer) -> None:
    """Add the store's commands to the `assay` app."""
    app.command("history")(history)
    app.command("diff")(diff)
    app.command("attest")(attest)
    app.command("attestations")(attestations)
    app.command("type2")(type2)
    app.add_typer(evidence_app, name="evidence")
