"""How the auditor report writes times, shares and durations (Jinja filters)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from markupsafe import Markup, escape

from assay.reporters.html import reveal


def when(value: datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def stamp(value: datetime | None) -> str:
    """A compact UTC time for tables whose heading says UTC."""
    return "-" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def span(first: datetime | None, last: datetime | None) -> str:
    """Two UTC times, the date written once when they share it."""
    if first is None or last is None:
        return "-"
    a, b = stamp(first), stamp(last)
    if a == b:
        return a
    return f"{a}\u2013{b[11:]}" if a[:10] == b[:10] else f"{a} \u2013 {b}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date()
    return value.isoformat()


def pct(value: float | None, *, share: bool = False) -> str:
    """A percentage; `share` means the value is a fraction (0..1)."""
    if value is None:
        return "-"
    v = value * 100.0 if share else value
    return f"{v:.0f}%" if v in (0.0, 100.0) else f"{v:.1f}%"


def hours(value: float | None) -> str:
    """A duration given in hours, in the unit a reader expects."""
    if value is None:
        return "-"
    if value < 1:
        return f"{round(value * 60)} min"
    if value < 48:
        return f"{value:.1f} h".replace(".0 h", " h")
    return f"{value / 24:.1f} d".replace(".0 d", " d")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def short_hash(value: str, n: int = 16) -> str:
    return value[:n]


def breakable(value: str) -> Markup:
    """Escaped text that may wrap after '.', '_', '/' and ':' (ids, ARNs) instead of mid-word."""
    text = str(escape(reveal(value)))
    for ch in "._/:":
        text = text.replace(ch, ch + "<wbr>")
    return Markup(text)  # escaped above; only <wbr> is added


FILTERS: dict[str, Any] = {"when": when, "stamp": stamp, "span": span, "day": day, "pct": pct, "hours": hours,
                           "plural": plural, "short_hash": short_hash, "breakable": breakable}
