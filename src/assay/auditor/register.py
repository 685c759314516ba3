"""The exceptions register of the auditor report: every accepted risk, who owns and approved it, until when.

With the exceptions file: every entry, what it covers in the reported scan, and entries that cover
nothing (unused). Without it: the exceptions the stored findings carry (those in force when the scan
was evaluated); unused entries cannot be known then, and the report says so.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from assay.auditor.criteria import Item
from assay.exceptions import TYPE_LABELS, ExceptionEntry, review_warnings, usage
from assay.models.findings import ExceptionType, Finding

COVERED_SHOWN = 5


@dataclass
class Entry:
    id: str
    type: str  # the label: risk accepted, compensating control, false positive
    reason: str
    owner: str
    approver: str
    expires: date
    control: str
    resource: str  # ARN pattern ("" when only the stored findings are known)
    account: str
    expired: bool  # at the scan's collection date: the findings it named fail again
    lapsed_since: bool  # not expired at the scan, but expired by the report date
    excepted: int
    expired_findings: int
    unused: bool
    covered: list[Item] = field(default_factory=list)


@dataclass
class Register:
    source: str  # "file" or "stored"
    file_name: str | None
    file_sha256: str | None
    reference_date: date
    entries: list[Entry]
    warnings: list[str]

    @property
    def unused(self) -> list[Entry]:
        return [e for e in self.entries if e.unused]

    @property
    def expired(self) -> list[Entry]:
        return [e for e in self.entries if e.expired]


def _label(kind: str) -> str:
    try:
        return TYPE_LABELS[ExceptionType(kind)]
    except ValueError:
        return kind


def _covered(items: dict[str, list[Item]]) -> dict[str, list[Item]]:
    by_exception: dict[str, list[Item]] = defaultdict(list)
    for found in items.values():
        for i in found:
            if i.exception is not None:
                by_exception[str(i.exception.get("id"))].append(i)
    return by_exception


def from_file(path: Path, entries: Sequence[ExceptionEntry], failures: list[Finding], items: dict[str, list[Item]],
              on: date, today: date) -> Register:
    covered = _covered(items)
    out = []
    for u in usage(entries, failures, on):
        e = u.entry
        out.append(Entry(
            id=e.id, type=_label(e.type.value), reason=e.reason, owner=e.owner, approver=e.approver, expires=e.expires,
            control=e.control, resource=e.resource, account=e.account, expired=u.expired_entry,
            lapsed_since=not u.expired_entry and e.expires < today, excepted=u.excepted, expired_findings=u.expired,
            unused=u.unused, covered=covered.get(e.id, [])[:COVERED_SHOWN]))
    data = path.read_bytes()
    return Register(source="file", file_name=path.name, file_sha256=hashlib.sha256(data).hexdigest(),
                    reference_date=on, entries=out, warnings=review_warnings(entries, on))


def from_findings(items: dict[str, list[Item]], on: date, today: date) -> Register:
    covered = _covered(items)
    out = []
    for xid, found in sorted(covered.items()):
        x: dict[str, Any] = found[0].exception or {}
        expires = date.fromisoformat(str(x.get("expires")))
        lapsed = sum(1 for i in found if not i.excepted)
        out.append(Entry(
            id=xid, type=_label(str(x.get("type", ""))), reason=str(x.get("reason", "")), owner=str(x.get("owner", "")),
            approver=str(x.get("approver", "")), expires=expires,
            control=", ".join(sorted({i.control_id for i in found})), resource="",
            account=", ".join(sorted({i.account_id for i in found})), expired=bool(x.get("expired")),
            lapsed_since=not x.get("expired") and expires < today, excepted=len(found) - lapsed,
            expired_findings=lapsed, unused=False, covered=found[:COVERED_SHOWN]))
    return Register(source="stored", file_name=None, file_sha256=None, reference_date=on, entries=out, warnings=[])
