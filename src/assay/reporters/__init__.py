"""Reporters: each turns an Evaluation into one output format.

Built-in reporters register exactly as a third-party one would:

    @reporter("json", extension="json")
    def write_json(ev: Evaluation, out: TextIO) -> None: ...
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from assay.engine import Evaluation
from assay.errors import UsageError

Write = Callable[[Evaluation, TextIO], None]


@dataclass(frozen=True)
class Reporter:
    name: str
    extension: str
    write: Write


_REPORTERS: dict[str, Reporter] = {}
BUILTIN = ("console", "json", "csv", "html", "ocsf", "asff", "sarif", "junit", "markdown")


def reporter(name: str, *, extension: str) -> Callable[[Write], Write]:
    def register(func: Write) -> Write:
        _REPORTERS[name] = Reporter(name, extension, func)
        return func

    return register


def get(name: str) -> Reporter:
    if name in BUILTIN:
        importlib.import_module(f"{__name__}.{name}")
    if name not in _REPORTERS:
        known = sorted(set(_REPORTERS) | set(BUILTIN))
        raise UsageError(f"unknown format {name!r}; choose from {', '.join(known)}")
    return _REPORTERS[name]
