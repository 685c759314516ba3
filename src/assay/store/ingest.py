"""Turning an Evaluation into stored rows: identity, carry-forward, the chain link and its signature.

Findings are streamed: a scan of a large estate has hundreds of thousands of them, so they are never
all built at once. Rows go to the database in chunks in report order, counts are tallied on the way,
and the hashed documents are digested item by item (hashing `[a,b,...]` piecewise gives the same
digest as hashing the whole canonical list).

Carry-forward: when a scan is partial, or a finding could not be evaluated (ERROR), a finding that
failed in the previous scan of the same account is not marked resolved. Its last state is stored
again with `stale=True`, the reason, and the scan that last evaluated it. Unknown is never a pass.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from assay.engine import Evaluation
from assay.models.findings import Finding, Severity, Status
from assay.store.signing import SCAN_CONTEXT, Signer, canonical, chain_hash, sha256
from assay.store.tables import (
    ChainHead,
    ControlTable,
    CriterionTable,
    FindingTable,
    ScanAccount,
    ScanTable,
    SigningKey,
    SnapshotTable,
)

HEADER_FORMAT = "assay-scan/1"
PASS_WITH_EXCEPTIONS = "pass_with_exceptions"
PASSING = ("pass", PASS_WITH_EXCEPTIONS)
STATUSES = ("pass", "fail", "error", "skip")
CHUNK = 2000  # rows per INSERT: bounded memory, few round trips


@dataclass(frozen=True)
class Prepared:
    """Everything about one evaluation that does not depend on what the store already holds."""

    uuid: str
    started_at: datetime
    finished_at: datetime
    tool_version: str
    framework: str
    accounts: list[str]
    regions: list[str]
    complete: bool
    coverage_percent: float
    snapshot: bytes  # gzip, mtime 0: the same inventory always gives the same bytes
    findings: Sequence[Finding]  # the evaluation's own sequence, read as a stream (never copied)
    position: dict[str, int]  # finding id -> its index in `findings`
    errors: dict[str, str]  # finding id -> why it could not be evaluated (ERROR findings only)
    criteria: list[dict[str, Any]]  # id, title, category, kind, controls (statuses are recomputed)
    content_hash: str  # identity: the same scan ingested twice is stored once


class _HashingWriter:
    """Text sink for Inventory._write: gzips the snapshot and hashes its uncompressed text on the way."""

    def __init__(self, raw: gzip.GzipFile) -> None:
        self.text = io.TextIOWrapper(raw, encoding="utf-8")
        self.digest = hashlib.sha256()

    def write(self, s: str) -> int:
        self.digest.update(s.encode("utf-8"))
        return self.text.write(s)


def prepare(ev: Evaluation) -> Prepared:
    inv = ev.inventory
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", fileobj=buf, mode="wb", mtime=0, compresslevel=6) as gz:
        sink = _HashingWriter(gz)
        inv._write(sink)  # type: ignore[arg-type]
        sink.text.flush()
        sink.text.detach()
    planned = [c for c in inv.coverage if c.status != "not_enabled"]
    done = [c for c in planned if c.status == "complete"]
    criteria = [{"id": c.id, "title": c.title, "category": c.category, "kind": c.kind.value,
                 "controls": list(c.controls), "status": c.status} for c in ev.criteria]
    findings = ev.findings
    position: dict[str, int] = {}
    errors: dict[str, str] = {}

    def dumped() -> Iterator[bytes]:
        for n, f in enumerate(findings):  # one pass: identity, positions and errors together
            position[f.id] = n
            if f.status is Status.ERROR:
                errors[f.id] = f.message
            yield canonical(f.model_dump(mode="json"))

    identity = {
        "snapshot": sink.digest.hexdigest(),
        "framework": ev.framework.id,
        "findings": list_sha256(dumped()),
        "criteria": sha256(canonical(criteria)),
    }
    return Prepared(
        uuid=inv.meta.scan_id, started_at=_utc(inv.meta.started_at), finished_at=_utc(inv.meta.finished_at),
        tool_version=inv.meta.tool_version, framework=ev.framework.id,
        accounts=[a.account_id for a in inv.accounts],
        regions=sorted({r.region for r in inv.regions if r.status == "scanned"}),
        complete=inv.complete,
        coverage_percent=round(100.0 * len(done) / len(planned), 1) if planned else 100.0,
        snapshot=buf.getvalue(), findings=findings, position=position, errors=errors, criteria=criteria,
        content_hash=sha256(canonical(identity)),
    )


def list_sha256(items: Iterable[bytes]) -> str:
    """sha256(canonical([...])) from each item's canonical bytes, without building the list."""
    digest = hashlib.sha256(b"[")
    for n, item in enumerate(items):
        if n:
            digest.update(b",")
        digest.update(item)
    digest.update(b"]")
    return digest.hexdigest()


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _search_text(f: Finding) -> str:
    parts = (f.control_id, f.title, f.resource_arn, f.resource_id, f.resource_name, f.resource_type,
             f.account_id, f.region, f.message)
    return "\n".join(parts).lower()


def finding_row(f: Finding, scan_id: int) -> dict[str, Any]:
    return {
        "scan_id": scan_id, "finding_id": f.id, "control_id": f.control_id, "status": f.status.value,
        "severity": f.severity.value, "severity_rank": Severity(f.severity).rank, "account_id": f.account_id,
        "region": f.region, "resource_arn": f.resource_arn, "resource_type": f.resource_type,
        "resource_name": f.resource_name, "excepted": bool(f.excepted), "stale": False, "stale_reason": None,
        "evaluated_in": scan_id, "first_seen_in": scan_id, "search_text": _search_text(f),
        "data": f.model_dump(mode="json"),
    }


# -- the documents the chain hashes (also written, byte for byte, into evidence bundles) ---------

FINDING_FIELDS = ("finding_id", "status", "excepted", "stale", "stale_reason", "evaluated_in", "first_seen_in",
                  "data")
CRITERION_FIELDS = ("criterion_id", "title", "category", "kind", "status", "counts", "controls")


def findings_document(rows: Iterable[Mapping[str, Any]]) -> bytes:
    items = sorted(({k: r[k] for k in FINDING_FIELDS} for r in rows), key=lambda r: r["finding_id"])
    return canonical(items)


def criteria_document(rows: Iterable[Mapping[str, Any]]) -> bytes:
    items = sorted(({k: r[k] for k in CRITERION_FIELDS} for r in rows), key=lambda r: r["criterion_id"])
    return canonical(items)


# -- roll-ups -----------------------------------------------------------------------------------

class Tally:
    """Counts of a set of findings: status, excepted failures, stale carried-forward rows."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, row: Mapping[str, Any]) -> None:
        self.counts["excepted" if row["excepted"] and row["status"] == "fail" else row["status"]] += 1
        self.counts["stale"] += bool(row["stale"])

    def merge(self, other: Tally) -> None:
        self.counts.update(other.counts)

    def out(self) -> dict[str, int]:
        return {k: self.counts.get(k, 0) for k in (*STATUSES, "excepted", "stale")}

    def state(self) -> str:
        """fail > error > pass (with exceptions) > not_applicable."""
        out = self.out()
        if out["fail"]:
            return "fail"
        if out["error"]:
            return "error"
        if out["excepted"]:
            return PASS_WITH_EXCEPTIONS
        if out["pass"]:
            return "pass"
        return "not_applicable"


def rollup(rows: Iterable[Mapping[str, Any]]) -> tuple[str, dict[str, int]]:
    """A set of findings' state and counts."""
    tally = Tally()
    for r in rows:
        tally.add(r)
    return tally.state(), tally.out()


# -- appending to the chain ---------------------------------------------------------------------

def append(session: Session, p: Prepared, signer: Signer, now: datetime) -> tuple[ScanTable, bool]:
    """Add the scan at the head of the chain, or return the stored one. Runs in the caller's write transaction.

    Two passes over the findings: one in finding-id order digests the hashed findings document and
    tallies the counts the header needs; the second, in report order, inserts the rows in chunks.
    """
    head = session.execute(sa.select(ChainHead).where(ChainHead.id == 1).with_for_update()).scalar_one()
    existing = session.execute(sa.select(ScanTable).where(ScanTable.content_hash == p.content_hash)
                               ).scalar_one_or_none()
    if existing is not None:
        return existing, False
    seq = head.seq + 1
    rows = _Rows(session, p, seq)
    by_control: dict[str, Tally] = defaultdict(Tally)
    scan_counts: Counter[str] = Counter()

    def digest_items() -> Iterator[bytes]:
        for row in rows.by_finding_id():
            by_control[row["control_id"]].add(row)
            scan_counts[row["status"]] += 1
            scan_counts["excepted"] += bool(row["excepted"] and row["status"] == "fail")
            scan_counts["stale"] += bool(row["stale"])
            yield canonical({k: row[k] for k in FINDING_FIELDS})

    findings_sha256 = list_sha256(digest_items())
    control_rows = [{"scan_id": seq, "control_id": cid, "status": t.state(), "counts": t.out()}
                    for cid, t in sorted(by_control.items())]
    criterion_rows = []
    for c in p.criteria:
        if c["kind"] == "automated":
            tally = Tally()
            for cid in c["controls"]:
                if cid in by_control:
                    tally.merge(by_control[cid])
            status, counts = tally.state(), tally.out()
        else:
            status, counts = c["kind"], {k: 0 for k in (*STATUSES, "excepted", "stale")}
        criterion_rows.append({"scan_id": seq, "criterion_id": c["id"], "title": c["title"],
                               "category": c["category"], "kind": c["kind"], "status": status, "counts": counts,
                               "controls": c["controls"]})
    counts = {s: scan_counts.get(s, 0) for s in (*STATUSES, "excepted", "stale")}
    header = canonical({
        "format": HEADER_FORMAT, "seq": seq, "uuid": p.uuid, "prev_hash": head.hash,
        "started_at": p.started_at.isoformat(), "finished_at": p.finished_at.isoformat(),
        "tool_version": p.tool_version, "framework": p.framework, "accounts": p.accounts, "regions": p.regions,
        "complete": p.complete, "coverage_percent": p.coverage_percent, "counts": counts,
        "content_hash": p.content_hash, "snapshot_sha256": sha256(p.snapshot),
        "findings_sha256": findings_sha256,
        "criteria_sha256": sha256(criteria_document(criterion_rows)),
        "key_id": signer.key_id,
    })
    link = chain_hash(head.hash, header)
    if session.get(SigningKey, signer.key_id) is None:
        session.add(SigningKey(key_id=signer.key_id, public_key=signer.public_pem, first_used_at=now))
        session.flush()
    scan = ScanTable(
        id=seq, uuid=p.uuid, content_hash=p.content_hash, started_at=p.started_at, finished_at=p.finished_at,
        ingested_at=now, tool_version=p.tool_version, framework=p.framework, accounts=p.accounts,
        regions=p.regions, complete=p.complete, coverage_percent=p.coverage_percent, counts=counts,
        header=header.decode("utf-8"), hash=link, prev_hash=head.hash,
        signature=signer.sign(SCAN_CONTEXT, link.encode("ascii")), key_id=signer.key_id,
    )
    session.add(scan)
    session.flush()
    session.add_all([ScanAccount(scan_id=seq, account_id=a) for a in sorted(set(p.accounts))])
    session.add(SnapshotTable(scan_id=seq, sha256=sha256(p.snapshot), data=p.snapshot))
    session.flush()
    chunk: list[dict[str, Any]] = []
    for row in rows.in_report_order():
        chunk.append(row)
        if len(chunk) == CHUNK:
            session.execute(sa.insert(FindingTable), chunk)
            chunk = []
    if chunk:
        session.execute(sa.insert(FindingTable), chunk)
    if criterion_rows:
        session.execute(sa.insert(CriterionTable), criterion_rows)
    if control_rows:
        session.execute(sa.insert(ControlTable), control_rows)
    head.seq, head.hash = seq, link
    return scan, True


def _report_key(row: Mapping[str, Any]) -> tuple[str, str, str, str, str]:
    return row["control_id"], row["account_id"], row["region"], row["resource_arn"], row["finding_id"]


class _Rows:
    """A scan's finding rows, built on demand from the evaluation plus the previous scans' state.

    Holds only what is small: each current finding's position, the first scan each was seen in, and
    the (usually few) rows carried forward from the previous scan.
    """

    def __init__(self, session: Session, p: Prepared, seq: int) -> None:
        self.p, self.seq, self.position = p, seq, p.position
        self.first_seen: dict[str, int] = {}
        self.carried: dict[str, dict[str, Any]] = {}
        may_hide = not p.complete or bool(p.errors)
        for account in sorted(set(p.accounts)):
            self._load_previous(session, account, may_hide, p.errors)

    def _load_previous(self, session: Session, account: str, may_hide: bool, errors: dict[str, str]) -> None:
        prev = session.execute(sa.select(sa.func.max(ScanAccount.scan_id))
                               .where(ScanAccount.account_id == account)).scalar_one_or_none()
        if prev is None:
            return
        carry: dict[str, str] = {}
        for fid, first_seen, status in session.execute(
                sa.select(FindingTable.finding_id, FindingTable.first_seen_in, FindingTable.status)
                .where(FindingTable.scan_id == prev, FindingTable.account_id == account)):
            if fid in self.position:
                self.first_seen[fid] = first_seen
            if status != Status.FAIL.value or not may_hide:
                continue
            if fid not in self.position and not self.p.complete:
                carry[fid] = f"not collected in partial scan #{self.seq}; last evaluated failing"
            elif fid in errors:
                carry[fid] = f"could not be evaluated in scan #{self.seq} ({errors[fid]}); last evaluated failing"
        for chunk in _chunks(sorted(carry), 500):
            for old in session.execute(sa.select(FindingTable).where(
                    FindingTable.scan_id == prev, FindingTable.finding_id.in_(chunk))).scalars():
                self.carried[old.finding_id] = {
                    "scan_id": self.seq, "finding_id": old.finding_id, "control_id": old.control_id,
                    "status": old.status, "severity": old.severity, "severity_rank": old.severity_rank,
                    "account_id": old.account_id, "region": old.region, "resource_arn": old.resource_arn,
                    "resource_type": old.resource_type, "resource_name": old.resource_name, "excepted": old.excepted,
                    "stale": True, "stale_reason": carry[old.finding_id], "evaluated_in": old.evaluated_in,
                    "first_seen_in": old.first_seen_in, "search_text": old.search_text, "data": old.data,
                }

    def _current(self, f: Finding) -> dict[str, Any]:
        row = finding_row(f, self.seq)
        row["first_seen_in"] = self.first_seen.get(f.id, self.seq)
        return row

    def by_finding_id(self) -> Iterator[dict[str, Any]]:
        for fid in sorted(self.position.keys() | self.carried.keys()):
            carried = self.carried.get(fid)
            yield carried if carried is not None else self._current(self.p.findings[self.position[fid]])

    def in_report_order(self) -> Iterator[dict[str, Any]]:
        """Findings come sorted by (control, account, region, resource ARN, id): carried rows merge in."""
        current = (self._current(f) for f in self.p.findings if f.id not in self.carried)
        return heapq.merge(current, sorted(self.carried.values(), key=_report_key), key=_report_key)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
