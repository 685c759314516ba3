"""`assay exceptions check FILE`, and what scan/evaluate print about the exceptions they applied."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from assay.errors import UsageError
from assay.exceptions import SOON_DAYS, ExceptionEntry, load, reference_date, review_warnings

if TYPE_CHECKING:  # the engine is imported only by the commands that evaluate, keeping `assay --help` quick
    from assay.engine import Evaluation

exceptions_app = typer.Typer(help="Exceptions (accepted risks) kept in a reviewable exceptions.yaml.")


def _day(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--on must be a date written YYYY-MM-DD, got {value!r}") from None


@exceptions_app.command("check")
def check(
    path: Annotated[Path, typer.Argument(help="The exceptions file, e.g. exceptions.yaml.")],
    on: Annotated[str | None, typer.Option("--on", help="Judge expiry on this date (YYYY-MM-DD) instead of "
                                           "today, e.g. the first day of the audit window.")] = None,
) -> None:
    """Validate an exceptions file and list its entries with the days left before each expires."""
    today = _day(on)
    entries = load(path).exceptions
    out = Console(highlight=False, width=max(160, Console().width))
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    table = Table(title=f"{len(entries)} exception{'' if len(entries) == 1 else 's'} in {path}, as of {today}")
    for col in ("#", "id", "control", "resource", "account", "type", "owner / approver", "expires", "days left"):
        table.add_column(col, overflow="fold", no_wrap=col not in ("resource", "owner / approver"))
    for n, e in enumerate(entries, start=1):
        left = (e.expires - today).days
        style = "bold red" if left < 0 else "yellow" if left <= SOON_DAYS else ""
        shown = f"expired {-left} days ago" if left < 0 else str(left)
        # Text(), not str: the file's strings are shown as written, never read as console markup.
        table.add_row(str(n), *(Text(v) for v in (e.id, e.control, e.resource, e.account, e.type.value,
                                                   f"{e.owner} / {e.approver}", e.expires.isoformat())),
                      Text(shown, style=style))
    out.print(table)
    for warning in review_warnings(entries, today):
        err.print(f"warning: {warning}", markup=False)
    err.print(f"{path}: valid, {len(entries)} entries.", markup=False)


def notes(ev: Evaluation) -> list[str]:
    """One-line notes for stderr after a scan or evaluation that used an exceptions file."""
    from assay.reporters.document import exceptions_summary

    if not ev.exceptions:
        return []
    s = exceptions_summary(ev)
    lines = [f"Exceptions: {s['excepted_findings']} findings excepted, {s['expired_findings']} failing again "
             f"after their exception expired (judged on {s['reference_date']}, the collection date)."]
    if s["unused"]:
        lines.append(f"Exceptions matching no failing finding (remove them, or check control, resource and "
                     f"account): {', '.join(s['unused'])}.")
    lines += [f"warning: {w}" for w in review_warnings(ev.exceptions, reference_date(ev.inventory.collected_at))]
    return lines


def load_entries(path: Path | None) -> tuple[ExceptionEntry, ...]:
    return load(path).exceptions if path is not None else ()
