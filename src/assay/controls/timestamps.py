"""Timestamps as models keep them (ISO 8601 text) back to datetimes controls can compare with `now`."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_time(text: str) -> datetime:
    """An aware datetime; a bare date or a time without an offset is taken as UTC (what AWS reports in).

    Text that is no timestamp raises ValueError: the engine reports the finding as ERROR.
    """
    when = datetime.fromisoformat(text)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
