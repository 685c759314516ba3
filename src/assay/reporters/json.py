"""JSON: the stable machine-readable contract (see reporters.document)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from assay.engine import Evaluation
from assay.reporters import reporter
from assay.reporters.document import build, finding_doc

OPTIONS: dict[str, Any] = {"indent": 2, "ensure_ascii": False, "default": str}


@reporter("json", extension="json")
def write_json(ev: Evaluation, out: TextIO) -> None:
    """The same bytes as json.dump(build(ev), indent=2), with the findings written one at a time, so a
    report of millions of findings never holds them all as dictionaries (or as one string)."""
    head, marker, tail = json.dumps(build(ev, findings=False), **OPTIONS).partition('"findings": []')
    if not marker or not ev.findings:
        out.write(head + marker + tail + "\n")
        return
    out.write(head + '"findings": [')
    for n, f in enumerate(ev.findings):
        out.write(",\n" if n else "\n")
        out.write("    " + indented(finding_doc(f), 2))  # a finding is two levels deep in the document
    out.write("\n  ]" + tail + "\n")


# json.dumps(indent=...) runs json's pure-Python encoder: at millions of findings that is most of a
# report's time. Strings (nearly every value) go straight to json's C string encoder instead.
_SCALAR = json.JSONEncoder(ensure_ascii=False, default=str).encode
_STRING = json.encoder.encode_basestring
_CONSTANTS = {None: "null", True: "true", False: "false"}


def indented(value: Any, level: int) -> str:
    """json.dumps(value, **OPTIONS) as it appears `level` levels deep in an indented document."""
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if value is None or kind is bool:
        return _CONSTANTS[value]
    if kind is dict:
        if not value:
            return "{}"
        inner = "\n" + "  " * (level + 1)
        try:
            body = ("," + inner).join([f"{_STRING(k)}: {indented(v, level + 1)}" for k, v in value.items()])
        except TypeError:  # a key that is not a string: json's own key conversions, by json
            return json.dumps(value, **OPTIONS).replace("\n", "\n" + "  " * level)
        return "{" + inner + body + "\n" + "  " * level + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        return "[" + inner + ("," + inner).join([indented(v, level + 1) for v in value]) + "\n" + "  " * level + "]"
    return _SCALAR(value)  # numbers, subclasses, and what json turns into a string (default=str)


def dump(value: Any, out: TextIO) -> None:
    """json.dump(value, out, **OPTIONS), written a piece at a time: a long list (of findings, of events),
    and what holds one, is streamed item by item; everything else goes through indented()."""
    _stream(value, 0, out.write)


LONG = 64  # items in a list worth streaming rather than making into one string


def _holds_long_list(value: Any, depth: int) -> bool:
    kind = type(value)
    if kind is list or kind is tuple:
        return len(value) > LONG or (depth > 0 and any(_holds_long_list(v, depth - 1) for v in value))
    if kind is dict:
        return depth > 0 and any(_holds_long_list(v, depth - 1) for v in value.values())
    return False


def _stream(value: Any, level: int, write: Callable[[str], Any]) -> None:
    kind = type(value)
    if not value or not _holds_long_list(value, 3) or (kind is dict and not all(type(k) is str for k in value)):
        write(indented(value, level))
        return
    inner = "\n" + "  " * (level + 1)
    if kind is dict:
        write("{")
        for n, (key, item) in enumerate(value.items()):
            write(("," if n else "") + inner + _STRING(key) + ": ")
            _stream(item, level + 1, write)
        write("\n" + "  " * level + "}")
    else:
        # The items of a long list are findings or events: each made into one string, without looking
        # for long lists inside each of them.
        each = (lambda item: write(indented(item, level + 1))) if len(value) > LONG else (
            lambda item: _stream(item, level + 1, write))
        write("[")
        for n, item in enumerate(value):
            write(("," if n else "") + inner)
            each(item)
        write("\n" + "  " * level + "]")
