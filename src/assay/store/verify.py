"""Recomputing the chain from the database: every header hash, link, signature and document digest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from assay.store.ingest import CRITERION_FIELDS, FINDING_FIELDS, criteria_document, findings_document, list_sha256
from assay.store.records import ChainProblem, ChainReport
from assay.store.signing import SCAN_CONTEXT, canonical, chain_hash, load_public_key, sha256, verify
from assay.store.tables import GENESIS, ChainHead, CriterionTable, FindingTable, ScanTable, SigningKey, SnapshotTable

if TYPE_CHECKING:
    from assay.store.store import Store


def scan_documents(s: Session, scan_id: int) -> tuple[bytes, bytes]:
    """The findings and criteria documents of a scan, rebuilt from its rows exactly as they were hashed."""
    frows = s.execute(sa.select(*(getattr(FindingTable, f) for f in FINDING_FIELDS))
                      .where(FindingTable.scan_id == scan_id)).mappings()
    crows = s.execute(sa.select(*(getattr(CriterionTable, f) for f in CRITERION_FIELDS))
                      .where(CriterionTable.scan_id == scan_id)).mappings()
    return (findings_document(dict[str, Any](r) for r in frows),
            criteria_document(dict[str, Any](r) for r in crows))


class _Unordered(Exception):
    """The database's order of finding ids is not Python's (a collation that is not bytewise)."""


def findings_sha256(s: Session, scan_id: int) -> str:
    """sha256 of the scan's findings document, streamed in finding-id order: a scan of a large estate
    has hundreds of thousands of rows, never all in memory. Where the database orders ids otherwise
    than Python does, the document is rebuilt in memory instead."""
    query = (sa.select(*(getattr(FindingTable, f) for f in FINDING_FIELDS))
             .where(FindingTable.scan_id == scan_id).order_by(FindingTable.finding_id)
             .execution_options(yield_per=2000))

    def items() -> Iterator[bytes]:
        last = ""
        for r in s.execute(query).mappings():
            if r["finding_id"] < last:
                raise _Unordered
            last = r["finding_id"]
            yield canonical({k: r[k] for k in FINDING_FIELDS})

    try:
        return list_sha256(items())
    except _Unordered:
        return sha256(scan_documents(s, scan_id)[0])


def check_scan(s: Session, row: ScanTable, keys: dict[str, Any]) -> list[str]:
    """What is wrong with one stored scan on its own (its link to the previous one is checked by the caller)."""
    problems = []
    header = row.header.encode("utf-8")
    if chain_hash(row.prev_hash, header) != row.hash:
        problems.append("its header or hash was altered (the hash does not match the header)")
    key = keys.get(row.key_id)
    if key is None:
        problems.append(f"it is signed by an unknown key {row.key_id}")
    elif not verify(key, SCAN_CONTEXT, row.hash.encode("ascii"), row.signature):
        problems.append("its signature does not verify")
    try:
        h = json.loads(header)
    except ValueError:
        return [*problems, "its header is not JSON"]
    expected = {"seq": row.id, "prev_hash": row.prev_hash, "uuid": row.uuid, "complete": row.complete,
                "counts": row.counts, "content_hash": row.content_hash, "key_id": row.key_id,
                "framework": row.framework, "accounts": row.accounts}
    for field, value in expected.items():
        if h.get(field) != value:
            problems.append(f"its {field} differs from the signed header")
    snap = s.get(SnapshotTable, row.id)
    if snap is None or sha256(bytes(snap.data)) != h.get("snapshot_sha256"):
        problems.append("its snapshot is missing or altered")
    if findings_sha256(s, row.id) != h.get("findings_sha256"):
        problems.append("its findings were altered")
    crows = s.execute(sa.select(*(getattr(CriterionTable, f) for f in CRITERION_FIELDS))
                      .where(CriterionTable.scan_id == row.id)).mappings()
    if sha256(criteria_document(dict[str, Any](r) for r in crows)) != h.get("criteria_sha256"):
        problems.append("its criteria results were altered")
    return problems


def public_keys(s: Session) -> dict[str, Any]:
    out = {}
    for k in s.execute(sa.select(SigningKey)).scalars():
        try:
            out[k.key_id] = load_public_key(k.public_key)
        except ValueError:
            continue
    return out


def verify_store(store: Store, first: int | None, last: int | None) -> ChainReport:
    problems: list[ChainProblem] = []
    with store.read() as s:
        keys = public_keys(s)
        query = sa.select(ScanTable).order_by(ScanTable.id)
        if first is not None:
            query = query.where(ScanTable.id >= first)
        if last is not None:
            query = query.where(ScanTable.id <= last)
        rows = list(s.execute(query).scalars())
        prev: ScanTable | None = None
        if rows and rows[0].id > 1:
            prev = s.get(ScanTable, rows[0].id - 1)
            if prev is None:
                problems.append(ChainProblem(scan_id=rows[0].id - 1, problem="scan is missing from the store"))
        checked = 0
        for row in rows:
            if prev is not None and row.id != prev.id + 1:
                problems.append(ChainProblem(scan_id=prev.id + 1, problem="scan is missing from the store"))
            expected_prev = prev.hash if prev is not None else (GENESIS if row.id == 1 else None)
            if expected_prev is not None and row.prev_hash != expected_prev:
                what = f"#{prev.id}" if prev is not None else "the start of the chain"
                problems.append(ChainProblem(scan_id=row.id, problem=f"does not link to {what} (a scan is missing, "
                                             "was replaced or the order changed)"))
            problems += [ChainProblem(scan_id=row.id, problem=p) for p in check_scan(s, row, keys)]
            prev = row
            checked += 1
        if last is None:
            head = s.get(ChainHead, 1)
            top = rows[-1] if rows else None
            if head is None or (top is not None and (head.seq != top.id or head.hash != top.hash)) or (
                    top is None and first is None and head.seq != 0):
                problems.append(ChainProblem(scan_id=None, problem="the chain head does not match the last scan "
                                             "(the newest scans were removed)"))
    return ChainReport(checked=checked, problems=problems)
