"""The JSON report is written a finding at a time, and is byte for byte what dumping the whole document gives."""

from __future__ import annotations

import io
import json

import pytest

from assay.reporters import get
from assay.reporters.document import build
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
