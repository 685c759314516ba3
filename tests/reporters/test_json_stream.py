"""The JSON report is written a finding at a time, and is byte for byte what dumping the whole document gives."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import pytest

from assay.reporters import get
from assay.reporters.document import build
from assay.reporters.json import LONG, OPTIONS, dump, indented
from tests.reporters.test_html import estate, inventory, run, xss_estate


@pytest.mark.parametrize("keys", [estate, xss_estate, list], ids=["estate", "hostile", "empty"])
def test_streamed_json_equals_the_whole_document(keys: object) -> None:
    ev = run(inventory(keys(), partial=True))  # type: ignore[operator]
    out = io.StringIO()
    get("json").write(ev, out)
    whole = json.dumps(build(ev), indent=2, sort_keys=False, ensure_ascii=False, default=str) + "\n"
    assert out.getvalue() == whole
    doc = json.loads(out.getvalue())
    assert len(doc["findings"]) == len(ev.findings)
    assert sum(doc["scan"]["accounts"][0]["findings"].values()) == len(ev.findings)


@pytest.mark.parametrize("value", [
    {}, [], "plain", "quote \" backslash \\ newline \n tab \t nul \x00 é 雪 \u2028",
    0, -3, 1.5, float("inf"), True, None,
    {"a": [], "b": {}, "c": [1, [2, []], {"d": None}], "e": ("t", "u")},
    {"when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "day": date(2026, 1, 2)},
    {2: "int key", None: "null key", True: "bool key", 0.5: "float key"},
    [{"x": {"y": {"z": ["deep"]}}}],
])
@pytest.mark.parametrize("level", [0, 2, 5])
def test_indented_is_what_json_indents(value: object, level: int) -> None:
    expected = json.dumps(value, **OPTIONS).replace("\n", "\n" + "  " * level)
    assert indented(value, level) == expected


LONG_LIST = [{"id": n, "tags": {"k": f"v{n}"}, "none": None} for n in range(LONG + 5)]


@pytest.mark.parametrize("value", [
    [], {}, "scalar", LONG_LIST,  # a list long enough to stream, at the top
    {"version": "2.1.0", "runs": [{"tool": {"name": "t"}, "results": LONG_LIST, "empty": []}]},  # three deep
    {"short": [1, 2, 3], "nested": {"deeper": {"deepest": LONG_LIST}}, 5: "non-string key"},
    [[LONG_LIST], {"x": LONG_LIST[:3]}],
])
def test_dump_is_what_json_dump_writes(value: object) -> None:
    out = io.StringIO()
    dump(value, out)
    assert out.getvalue() == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["asff", "ocsf", "sarif"])
def test_finding_formats_are_what_json_dump_writes(fmt: str) -> None:
    ev = run(inventory(estate(), partial=True))
    out = io.StringIO()
    get(fmt).write(ev, out)
    assert out.getvalue() == json.dumps(json.loads(out.getvalue()), indent=2, ensure_ascii=False) + "\n"
