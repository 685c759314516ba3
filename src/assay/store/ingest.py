"""Turning an Evaluation into stored rows: identity, carry-forward, the chain link and its signature.

Carry-forward: when a scan is partial, or a finding could not be evaluated (ERROR), a finding that
failed in the previous scan of the same account is not marked resolved. Its last state is stored
again with `stale=True`, the reason, and the scan that last evaluated it. Unknown is never a pass.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
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
    findings: list[Finding]
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
    findings = list(ev.findings)
    identity = {
        "snapshot": sink.digest.hexdigest(),
        "framework": ev.framework.id,
        "findings": sha256(canonical([f.model_dump(mode="json") for f in findings])),
        "criteria": sha256(canonical(criteria)),
    }
    return Prepared(
        uuid=inv.meta.scan_id, started_at=_utc(inv.meta.started_at), finished_at=_utc(inv.meta.finished_at),
        tool_version=inv.meta.tool_version, framework=ev.framework.id,
        accounts=[a.account_id for a in inv.accounts],
        regions=sorted({r.region for r in inv.regions if r.status == "scanned"}),
        complete=inv.complete,
        coverage_percent=round(100.0 * len(done) / len(planned), 1) if planned else 100.0,
        snapshot=buf.getvalue(), findings=findings, criteria=criteria, content_hash=sha256(canonical(identity)),
    )


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

def rollup(rows: Iterable[Mapping[str, Any]]) -> tuple[str, dict[str, int]]:
    """A set of findings' state: fail > error > pass (with exceptions) > not_applicable."""
    counts: Counter[str] = Counter()
    for r in rows:
        counts["excepted" if r["excepted"] and r["status"] == "fail" else r["status"]] += 1
        counts["stale"] += bool(r["stale"])
    out = {k: counts.get(k, 0) for k in (*STATUSES, "excepted", "stale")}
    if out["fail"]:
        return "fail", out
    if out["error"]:
        return "error", out
    if out["excepted"]:
        return PASS_WITH_EXCEPTIONS, out
    if out["pass"]:
        return "pass", out
    return "not_applicable", out


def _scan_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(r["status"] for r in rows)
    out = {s: counts.get(s, 0) for s in STATUSES}
    out["excepted"] = sum(1 for r in rows if r["excepted"] and r["status"] == "fail")
    out["stale"] = sum(1 for r in rows if r["stale"])
    return out


# -- appending to the chain ---------------------------------------------------------------------

def append(session: Session, p: Prepared, signer: Signer, now: datetime) -> tuple[ScanTable, bool]:
    """Add the scan at the head of the chain, or return the stored one. Runs in the caller's write transaction."""
    head = session.execute(sa.select(ChainHead).where(ChainHead.id == 1).with_for_update()).scalar_one()
    existing = session.execute(sa.select(ScanTable).where(ScanTable.content_hash == p.content_hash)
                               ).scalar_one_or_none()
    if existing is not None:
        return existing, False
    seq = head.seq + 1
    rows = _with_carry_forward(session, p, seq)
    by_control: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_control[r["control_id"]].append(r)
    control_rows = []
    for cid, items in sorted(by_control.items()):
        status, counts = rollup(items)
        control_rows.append({"scan_id": seq, "control_id": cid, "status": status, "counts": counts})
    criterion_rows = []
    for c in p.criteria:
        if c["kind"] == "automated":
            status, counts = rollup(r for cid in c["controls"] for r in by_control.get(cid, []))
        else:
            status, counts = c["kind"], {k: 0 for k in (*STATUSES, "excepted", "stale")}
        criterion_rows.append({"scan_id": seq, "criterion_id": c["id"], "title": c["title"],
                               "category": c["category"], "kind": c["kind"], "status": status, "counts": counts,
                               "controls": c["controls"]})
    counts = _scan_counts(rows)
    header = canonical({
        "format": HEADER_FORMAT, "seq": seq, "uuid": p.uuid, "prev_hash": head.hash,
        "started_at": p.started_at.isoformat(), "finished_at": p.finished_at.isoformat(),
        "tool_version": p.tool_version, "framework": p.framework, "accounts": p.accounts, "regions": p.regions,
        "complete": p.complete, "coverage_percent": p.coverage_percent, "counts": counts,
        "content_hash": p.content_hash, "snapshot_sha256": sha256(p.snapshot),
        "findings_sha256": sha256(findings_document(rows)),
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
    if rows:
        session.execute(sa.insert(FindingTable), rows)
    if criterion_rows:
        session.execute(sa.insert(CriterionTable), criterion_rows)
    if control_rows:
        session.execute(sa.insert(ControlTable), control_rows)
    head.seq, head.hash = seq, link
    return scan, True


def _with_carry_forward(session: Session, p: Prepared, seq: int) -> list[dict[str, Any]]:
    current = {f.id: f for f in p.findings}
    rows = {f.id: finding_row(f, seq) for f in p.findings}
    may_hide = not p.complete or any(f.status is Status.ERROR for f in p.findings)
    for account in sorted(set(p.accounts)):
        prev = session.execute(sa.select(sa.func.max(ScanAccount.scan_id))
                               .where(ScanAccount.account_id == account)).scalar_one_or_none()
        if prev is None:
            continue
        carry: dict[str, str] = {}
        for fid, first_seen, status in session.execute(
                sa.select(FindingTable.finding_id, FindingTable.first_seen_in, FindingTable.status)
                .where(FindingTable.scan_id == prev, FindingTable.account_id == account)):
            if fid in rows:
                rows[fid]["first_seen_in"] = first_seen
            if status != Status.FAIL.value or not may_hide:
                continue
            now = current.get(fid)
            if now is None and not p.complete:
                carry[fid] = f"not collected in partial scan #{seq}; last evaluated failing"
            elif now is not None and now.status is Status.ERROR:
                carry[fid] = f"could not be evaluated in scan #{seq} ({now.message}); last evaluated failing"
        if not carry:
            continue
        for chunk in _chunks(sorted(carry), 500):
            for old in session.execute(sa.select(FindingTable).where(
                    FindingTable.scan_id == prev, FindingTable.finding_id.in_(chunk))).scalars():
                rows[old.finding_id] = {
                    "scan_id": seq, "finding_id": old.finding_id, "control_id": old.control_id, "status": old.status,
                    "severity": old.severity, "severity_rank": old.severity_rank, "account_id": old.account_id,
                    "region": old.region, "resource_arn": old.resource_arn, "resource_type": old.resource_type,
                    "resource_name": old.resource_name, "excepted": old.excepted, "stale": True,
                    "stale_reason": carry[old.finding_id], "evaluated_in": old.evaluated_in,
                    "first_seen_in": old.first_seen_in, "search_text": old.search_text, "data": old.data,
                }
    # Inserted in report order, so that paging a scan's findings by id reads like the report.
    return sorted(rows.values(), key=lambda r: (r["control_id"], r["account_id"], r["region"], r["resource_arn"],
                                              r["finding_id"]))


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
