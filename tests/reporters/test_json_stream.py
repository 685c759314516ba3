"""The JSON report is written a finding at a time, and is byte for byte what dumping the whole document gives."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import pytest

from assay.reporters import get
from assay.reporters.document import build
from assay.reporters.json import OPTIONS, indented
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
