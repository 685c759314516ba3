"""Attestations: a person vouches for a manual criterion, with an evidence file kept in the store.

Only manual criteria take attestations: automated ones are evidenced by Assay's controls and
inherited ones by AWS's own SOC 2 report. Each attestation is signed like a scan, and its evidence
file is stored by SHA-256 so that an export can prove the file is the one attested.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from assay.errors import UsageError
from assay.frameworks import CriterionKind, load
from assay.store.records import Attestation, AttestationState, criterion_order
from assay.store.signing import ATTESTATION_CONTEXT, canonical, sha256
from assay.store.tables import AttestationTable, EvidenceFile, SigningKey

if TYPE_CHECKING:
    from assay.store.store import Store

MAX_EVIDENCE_BYTES = 100 * 1024 * 1024
RECORD_FORMAT = "assay-attestation/1"


def _refuse_kind(criterion_id: str, kind: CriterionKind, manual: list[str]) -> UsageError:
    why = {CriterionKind.AUTOMATED: "automated: Assay's controls evidence it from AWS",
           CriterionKind.INHERITED: "inherited: AWS's own SOC 2 report covers it"}[kind]
    return UsageError(f"{criterion_id} is {why}; attestations are for manual criteria "
                      f"({', '.join(manual)})")


def attest(store: Store, criterion: str, by: str, evidence: Path, valid_until: date, *, note: str = "",
           framework: str = "soc2", today: date | None = None) -> Attestation:
    fw = load(framework)
    manual = [c.id for c in fw.criteria if c.kind is CriterionKind.MANUAL]
    c = fw.criterion(criterion.strip().upper())
    if c is None:
        raise UsageError(f"unknown criterion {criterion!r} in {fw.name}; manual criteria: {', '.join(manual)}")
    if c.kind is not CriterionKind.MANUAL:
        raise _refuse_kind(c.id, c.kind, manual)
    by = by.strip()
    if not by:
        raise UsageError("--by needs the name of the person attesting")
    today = today or datetime.now(UTC).date()
    if valid_until < today:
        raise UsageError(f"--valid-until {valid_until.isoformat()} is already past")
    if not evidence.is_file():
        raise UsageError(f"evidence file {evidence} does not exist or is not a file")
    size = evidence.stat().st_size
    if size == 0:
        raise UsageError(f"evidence file {evidence} is empty")
    if size > MAX_EVIDENCE_BYTES:
        raise UsageError(f"evidence file {evidence} is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB")
    data = evidence.read_bytes()
    digest = sha256(data)
    signer = store.signer
    now = datetime.now(UTC)
    record = canonical({
        "format": RECORD_FORMAT, "framework": fw.id, "criterion": c.id, "attested_by": by, "note": note,
        "valid_until": valid_until.isoformat(), "created_at": now.isoformat(), "evidence_name": evidence.name,
        "evidence_sha256": digest, "evidence_size": len(data), "key_id": signer.key_id,
    })
    with store.write() as s:
        if s.get(SigningKey, signer.key_id) is None:
            s.add(SigningKey(key_id=signer.key_id, public_key=signer.public_pem, first_used_at=now))
        if s.get(EvidenceFile, digest) is None:
            s.add(EvidenceFile(sha256=digest, data=data))
        s.flush()
        row = AttestationTable(
            framework=fw.id, criterion_id=c.id, attested_by=by, note=note, valid_until=valid_until.isoformat(),
            created_at=now, evidence_name=evidence.name, evidence_sha256=digest, evidence_size=len(data),
            record=record.decode("utf-8"), signature=signer.sign(ATTESTATION_CONTEXT, record), key_id=signer.key_id,
        )
        s.add(row)
        s.flush()
        return to_record(row)


def to_record(row: AttestationTable) -> Attestation:
    return Attestation(
        id=row.id, framework=row.framework, criterion=row.criterion_id, attested_by=row.attested_by, note=row.note,
        valid_until=date.fromisoformat(row.valid_until), created_at=row.created_at, evidence_name=row.evidence_name,
        evidence_sha256=row.evidence_sha256, evidence_size=row.evidence_size, signature=row.signature,
        key_id=row.key_id,
    )


def attestations(store: Store, criterion: str | None = None, framework: str | None = None) -> list[Attestation]:
    query = sa.select(AttestationTable).order_by(AttestationTable.created_at, AttestationTable.id)
    if criterion:
        query = query.where(AttestationTable.criterion_id == criterion.upper())
    if framework:
        query = query.where(AttestationTable.framework == framework)
    with store.read() as s:
        return [to_record(r) for r in s.execute(query).scalars()]


def states(store: Store, framework: str, on: date) -> list[AttestationState]:
    fw = load(framework)
    best: dict[str, Attestation] = {}
    for att in attestations(store, framework=fw.id):
        # The attestation that reaches furthest decides; the newest wins a tie.
        held = best.get(att.criterion)
        if held is None or (att.valid_until, att.created_at) >= (held.valid_until, held.created_at):
            best[att.criterion] = att
    out = []
    for c in sorted((c for c in fw.criteria if c.kind is CriterionKind.MANUAL), key=lambda c: criterion_order(c.id)):
        a: Attestation | None = best.get(c.id)
        state = "missing" if a is None else "attested" if a.valid_until >= on else "expired"
        out.append(AttestationState(
            criterion=c.id, title=c.title, state=state, attested_by=a.attested_by if a else None,
            valid_until=a.valid_until if a else None, attestation_id=a.id if a else None,
            evidence_sha256=a.evidence_sha256 if a else None))
    return out
