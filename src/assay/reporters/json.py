"""JSON: the stable machine-readable contract (see reporters.document)."""

from __future__ import annotations

import json
from typing import TextIO

from assay.engine import Evaluation
from assay.reporters import reporter
from assay.reporters.document import build


@reporter("json", extension="json")
def write_json(ev: Evaluation, out: TextIO) -> None:
    json.dump(build(ev), out, indent=2, sort_keys=False, ensure_ascii=False, default=str)
    out.write("\n")
