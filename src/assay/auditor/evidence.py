"""The evidence index: every stored scan of the window with its hash, its link and its signature, checked.

Each scan is re-verified from the database when the report is built (header hash, link to the previous
scan, Ed25519 signature, digests of its snapshot, findings and criteria): the report states what it
found, and the auditor can repeat the check offline on an exported bundle with `assay evidence verify`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assay.store import ScanRecord, Store

MAX_INDEXED = 2000  # scans listed; a longer window says how many more the bundle holds


@dataclass(frozen=True)
class IndexedScan:
    scan: ScanRecord
    problems: list[str]
    in_window: bool

    @property
    def verified(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Key:
    key_id: str
    fingerprint: str  # SHA-256 of the raw Ed25519 public key
    pem: str
    first_used_at: datetime | None


@dataclass(frozen=True)
class Index:
    scans: list[IndexedScan]
    more: int
    chain_problems: list[str]  # not tied to one scan (e.g. the newest scans were removed)
    keys: list[Key]

    @property
    def verified(self) -> int:
        return sum(1 for s in self.scans if s.verified)

    @property
    def ok(self) -> bool:
        return not self.chain_problems and all(s.verified for s in self.scans)


def scans_between(store: Store, start: datetime, end: datetime) -> list[ScanRecord]:
    """Scans that started in [start, end], in chain order. Every scan is looked at: an old snapshot
    evaluated today is stored at the head of the chain with its own (old) start time."""
    out: list[ScanRecord] = []
    offset = 0
    while page := store.scans(limit=1000, offset=offset):
        out += [s for s in page if start <= s.started_at <= end]
        offset += len(page)
    return sorted(out, key=lambda s: s.id)


def keys_of(store: Store, key_ids: set[str]) -> list[Key]:
    import sqlalchemy as sa
    from cryptography.hazmat.primitives import serialization

    from assay.store.signing import load_public_key
    from assay.store.tables import SigningKey

    out = []
    with store.read() as s:
        rows = list(s.execute(sa.select(SigningKey).where(SigningKey.key_id.in_(sorted(key_ids)))).scalars())
    for row in sorted(rows, key=lambda r: r.key_id):
        try:
            raw = load_public_key(row.public_key).public_bytes(serialization.Encoding.Raw,
                                                              serialization.PublicFormat.Raw)
            fingerprint = hashlib.sha256(raw).hexdigest()
        except ValueError:
            fingerprint = "unreadable public key"
        out.append(Key(key_id=row.key_id, fingerprint=fingerprint, pem=row.public_key.strip(),
                       first_used_at=row.first_used_at))
    missing = key_ids - {r.key_id for r in rows}
    out += [Key(key_id=k, fingerprint="not in the store", pem="", first_used_at=None) for k in sorted(missing)]
    return out


def build(store: Store, window: list[ScanRecord], reported: ScanRecord, attestation_keys: set[str]) -> Index:
    listed = sorted({s.id: s for s in [*window, reported]}.values(), key=lambda s: s.id)
    more = max(0, len(listed) - MAX_INDEXED)
    listed = listed[-MAX_INDEXED:] if more else listed
    problems: dict[int, list[str]] = defaultdict(list)
    general: list[str] = []
    if listed:
        report = store.verify(listed[0].id, listed[-1].id)
        for p in report.problems:
            if p.scan_id is None:
                general.append(p.problem)
            else:
                problems[p.scan_id].append(p.problem)
        present = {s.id for s in listed}
        # A problem on a scan between the listed ones that is not in the window (e.g. the reported scan
        # lies outside it) is still a break in the chain the auditor relies on.
        general += [f"scan #{sid}: {'; '.join(ps)}" for sid, ps in sorted(problems.items()) if sid not in present]
    window_ids = {s.id for s in window}
    scans = [IndexedScan(scan=s, problems=problems.get(s.id, []), in_window=s.id in window_ids) for s in listed]
    return Index(scans=scans, more=more, chain_problems=general,
                 keys=keys_of(store, {s.key_id for s in listed} | attestation_keys))
