"""Helpers for finding messages."""

from __future__ import annotations

from collections.abc import Iterable


def names(items: Iterable[str], limit: int = 10, sep: str = "; ") -> str:
    """The first `limit` items joined, and how many more there are."""
    listed = list(items)
    more = f" (+{len(listed) - limit} more)" if len(listed) > limit else ""
    return sep.join(listed[:limit]) + more
