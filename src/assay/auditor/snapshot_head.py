"""The parts of a stored snapshot the auditor report needs, without loading its resources.

A snapshot is written meta, accounts, regions, coverage, errors, then resources (Inventory._write), so
the head ends where `,"resources":[` first appears: inside a JSON string every quote is escaped, so
that byte sequence cannot occur earlier. Reading stops there, which keeps memory flat for large
estates; a snapshot laid out differently is parsed whole.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from assay.models.inventory import AccountInfo, CollectionError, Coverage, RegionInfo, ScanMeta

MARKER = b',"resources":['
CHUNK = 1 << 16


class SnapshotUnreadable(ValueError):
    """The stored snapshot could not be read; the report says so instead of guessing."""


@dataclass(frozen=True)
class SnapshotHead:
    meta: ScanMeta
    accounts: list[AccountInfo]
    regions: list[RegionInfo]
    coverage: list[Coverage]
    errors: list[CollectionError]


def _head_bytes(data: bytes) -> bytes:
    out = bytearray()
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
        while True:
            chunk = gz.read(CHUNK)
            if not chunk:
                return bytes(out)  # no marker: the whole document
            start = max(0, len(out) - len(MARKER))
            out += chunk
            at = out.find(MARKER, start)
            if at >= 0:
                return bytes(out[:at]) + b"}"


def read_head(data: bytes) -> SnapshotHead:
    try:
        doc: Any = json.loads(_head_bytes(data))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotUnreadable(f"the stored snapshot is unreadable ({type(exc).__name__})") from None
    if not isinstance(doc, dict):
        raise SnapshotUnreadable("the stored snapshot is not a JSON object")
    try:
        return SnapshotHead(
            meta=ScanMeta.model_validate(doc["meta"]),
            accounts=[AccountInfo.model_validate(a) for a in doc.get("accounts", [])],
            regions=[RegionInfo.model_validate(r) for r in doc.get("regions", [])],
            coverage=[Coverage.model_validate(c) for c in doc.get("coverage", [])],
            errors=[CollectionError.model_validate(e) for e in doc.get("errors", [])],
        )
    except (KeyError, TypeError, ValidationError) as exc:
        raise SnapshotUnreadable(f"the stored snapshot is malformed: {str(exc).splitlines()[0]}") from None
