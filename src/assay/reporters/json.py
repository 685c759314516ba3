"""JSON: the stable machine-readable contract (see reporters.document)."""

from __future__ import annotations

import json
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
        # A finding is two levels deep in the document: json indents each of its lines by four spaces.
        out.write("    " + json.dumps(finding_doc(f), **OPTIONS).replace("\n", "\n    "))
    out.write("\n  ]" + tail + "\n")
