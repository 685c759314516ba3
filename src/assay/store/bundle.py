"""Evidence bundles: export a window of the chain as one signed zip, and verify one offline.

Layout (every member listed with its SHA-256 in manifest.json, which manifest.sig signs):

    manifest.json             format, window, chain anchor, first/last scan, files and digests
    manifest.sig              Ed25519 signature (base64) of manifest.json by the exporting key
    chain.json                per scan: seq, uuid, hash, prev_hash, signature, key id, its files
    scans/<seq>/scan.json     the signed header: digests of the three files below, counts, times
    scans/<seq>/snapshot.json.gz, findings.json, criteria.json
    attestations.json         per attestation: its record file, signature, key id, evidence file
    attestations/<id>.json    the signed record; attestations/<id>/<name>: the evidence file itself
    exceptions/<name>         the exceptions file in force, when one was given
    keys/<key id>.pem         every public key that signed something in the bundle
    README.txt

`verify` needs nothing but the zip (and, to pin the signer, the public key the auditor trusts).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from assay import __version__
from assay.errors import AssayError, UsageError
from assay.store import zipcheck
from assay.store.signing import (
    ATTESTATION_CONTEXT,
    MANIFEST_CONTEXT,
    SCAN_CONTEXT,
    canonical,
    chain_hash,
    load_public_key,
    sha256,
    verify,
)
from assay.store.tables import AttestationTable, EvidenceFile, ScanTable, SigningKey, SnapshotTable
from assay.store.verify import scan_documents

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from assay.store.store import Store

FORMAT = "assay-evidence-bundle/1"
README = """Assay evidence bundle

Verify it offline (exit status 0: intact; any other: the reason is printed):

    assay evidence verify {name} --pubkey assay-signing-key.pub

manifest.json lists every file with its SHA-256 and is signed (manifest.sig). Scans form a hash
chain: each scan's hash covers the previous scan's hash and its signed header (scans/*/scan.json),
which names the SHA-256 of the scan's snapshot, findings and criteria. See docs/evidence.md.
"""


class EvidenceError(AssayError):
    """The store's own chain is broken: refusing to export it as if it were intact."""

    exit_code = 1


@dataclass(frozen=True)
class ExportResult:
    path: Path
    first: int
    last: int
    in_window: int
    attestations: int
    files: int  # besides manifest.json and manifest.sig
    size: int
    sha256: str


def _seq(n: int) -> str:
    return f"{n:06d}"


def _safe_name(name: str) -> str:
    clean = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._")
    return clean or "evidence"


def export(store: Store, path: Path, start: datetime | None, end: datetime | None, *,
           exceptions_file: Path | None = None) -> ExportResult:
    start = start or datetime(1970, 1, 1, tzinfo=UTC)
    end = end or datetime.now(UTC)
    if end < start:
        raise UsageError("--to is before --from")
    if exceptions_file is not None and not exceptions_file.is_file():
        raise UsageError(f"exceptions file {exceptions_file} does not exist")
    with store.read() as s:
        ids = list(s.execute(sa.select(ScanTable.id).where(ScanTable.started_at >= start,
                                                           ScanTable.started_at <= end)).scalars())
    if not ids:
        raise UsageError(f"no scan started between {start.isoformat()} and {end.isoformat()}")
    # The bundle holds the contiguous stretch of the chain that covers the window, so that it links up
    # even when a scan ingested in between started outside the window.
    first, last = min(ids), max(ids)
    report = store.verify(first, last)
    if not report.ok:
        p = report.problems[0]
        raise EvidenceError(f"the store's chain is broken at scan #{p.scan_id}: {p.problem}; "
                            f"refusing to export it (run `assay evidence export` for a window before it)")
    members: list[tuple[str, bytes]] = []
    chain: list[dict[str, Any]] = []
    key_ids: set[str] = {store.signer.key_id}
    signer = store.signer
    with store.read() as s:
        rows = list(s.execute(sa.select(ScanTable).where(ScanTable.id >= first, ScanTable.id <= last)
                              .order_by(ScanTable.id)).scalars())
        for row in rows:
            base = f"scans/{_seq(row.id)}"
            snap = s.get(SnapshotTable, row.id)
            assert snap is not None  # verify() checked it
            findings, criteria = scan_documents(s, row.id)
            files = {"header": f"{base}/scan.json", "snapshot": f"{base}/snapshot.json.gz",
                     "findings": f"{base}/findings.json", "criteria": f"{base}/criteria.json"}
            members += [(files["header"], row.header.encode("utf-8")), (files["snapshot"], bytes(snap.data)),
                        (files["findings"], findings), (files["criteria"], criteria)]
            chain.append({"seq": row.id, "uuid": row.uuid, "started_at": row.started_at.isoformat(),
                          "complete": row.complete, "in_window": row.id in ids, "hash": row.hash,
                          "prev_hash": row.prev_hash, "signature": row.signature, "key_id": row.key_id,
                          "files": files})
            key_ids.add(row.key_id)
        att_index: list[dict[str, Any]] = []
        # Attestations still valid at the window's start or later: including those recorded afterwards,
        # during the audit, for the period.
        for a in s.execute(sa.select(AttestationTable).where(AttestationTable.valid_until >= start.date().isoformat())
                           .order_by(AttestationTable.id)).scalars():
            blob = s.get(EvidenceFile, a.evidence_sha256)
            if blob is None or sha256(bytes(blob.data)) != a.evidence_sha256:
                raise EvidenceError(f"attestation {a.id}'s evidence file is missing or altered in the store")
            record_path = f"attestations/{a.id:04d}.json"
            evidence_path = f"attestations/{a.id:04d}/{_safe_name(a.evidence_name)}"
            members += [(record_path, a.record.encode("utf-8")), (evidence_path, bytes(blob.data))]
            att_index.append({"id": a.id, "criterion": a.criterion_id, "attested_by": a.attested_by,
                              "valid_until": a.valid_until, "record": record_path, "evidence": evidence_path,
                              "signature": a.signature, "key_id": a.key_id})
            key_ids.add(a.key_id)
        keys = {k.key_id: k.public_key for k in s.execute(
            sa.select(SigningKey).where(SigningKey.key_id.in_(sorted(key_ids)))).scalars()}
    keys.setdefault(signer.key_id, signer.public_pem)
    members += [(f"keys/{kid}.pem", pem.encode("ascii")) for kid, pem in sorted(keys.items())]
    members.append(("chain.json", canonical(chain)))
    members.append(("attestations.json", canonical(att_index)))
    exceptions_member = None
    if exceptions_file is not None:
        exceptions_member = f"exceptions/{_safe_name(exceptions_file.name)}"
        members.append((exceptions_member, exceptions_file.read_bytes()))
    members.append(("README.txt", README.format(name=path.name).encode("utf-8")))
    manifest = canonical({
        "format": FORMAT, "created_at": datetime.now(UTC).isoformat(), "tool_version": __version__,
        "window": {"from": start.isoformat(), "to": end.isoformat()},
        "chain": {"anchor": rows[0].prev_hash, "first": first, "last": last, "scans": len(rows),
                  "in_window": len(ids)},
        "attestations": len(att_index), "exceptions": exceptions_member, "signed_by": signer.key_id,
        "files": {name: sha256(data) for name, data in members},
    })
    members = [("manifest.json", manifest),
               ("manifest.sig", signer.sign(MANIFEST_CONTEXT, manifest).encode("ascii")), *members]
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        zipcheck.write(path, members)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    data = path.read_bytes()
    return ExportResult(path=path, first=first, last=last, in_window=len(ids), attestations=len(att_index),
                        files=len(members) - 2, size=len(data), sha256=sha256(data))


# -- verification -------------------------------------------------------------------------------

@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    scans: int = 0
    first: int | None = None
    last: int | None = None
    attestations: int = 0
    files: int = 0
    keys: list[str] = field(default_factory=list)
    pinned: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(path: Path, pubkeys: list[bytes] | None = None) -> Verification:
    """Check a bundle offline. `pubkeys`: the PEM keys the auditor trusts (default: the bundle's own)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    return verify_data(data, pubkeys)


def verify_data(data: bytes, pubkeys: list[bytes] | None = None) -> Verification:
    """verify_bundle() on the archive's bytes."""
    v = Verification(pinned=bool(pubkeys))
    try:
        _verify(v, data, pubkeys)
    except UsageError:
        raise
    except Exception as exc:  # hostile input must end in a verdict, never a traceback
        v.problems.append(f"the bundle is malformed ({type(exc).__name__}: {exc})")
    return v


def _verify(v: Verification, data: bytes, pubkeys: list[bytes] | None) -> None:
    v.problems += zipcheck.layout_problems(data)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, KeyError) as exc:
        v.problems.append(f"not a readable zip archive ({type(exc).__name__}: {exc})")
        return
    if "manifest.json" not in members:
        v.problems.append("manifest.json is missing")
        return
    try:
        manifest = json.loads(members["manifest.json"])
        files: dict[str, str] = manifest["files"]
        if manifest.get("format") != FORMAT:
            v.problems.append(f"manifest.json: unknown format {manifest.get('format')!r}")
            return
    except (ValueError, KeyError, TypeError):
        v.problems.append("manifest.json is not a valid manifest")
        return
    v.files = len(files)
    for name, digest in sorted(files.items()):
        if name not in members:
            v.problems.append(f"{name}: missing from the bundle")
        elif sha256(members[name]) != digest:
            v.problems.append(f"{name}: content altered (SHA-256 differs from the manifest)")
    for name in sorted(set(members) - set(files) - {"manifest.json", "manifest.sig"}):
        v.problems.append(f"{name}: not listed in the manifest")

    bundle_keys: dict[str, Ed25519PublicKey] = {}
    for name, content in members.items():
        if name.startswith("keys/") and name.endswith(".pem") and sha256(content) == files.get(name):
            try:
                bundle_keys[name[len("keys/"):-len(".pem")]] = load_public_key(content)
            except ValueError:
                v.problems.append(f"{name}: not an Ed25519 public key")
    trusted: dict[str, Ed25519PublicKey] = {}
    if pubkeys:
        from assay.store.signing import key_id_of

        for pem in pubkeys:
            try:
                key = load_public_key(pem)
            except ValueError as exc:
                raise UsageError(f"--pubkey: {exc}") from None
            trusted[key_id_of(key)] = key
    else:
        trusted = bundle_keys
    v.keys = sorted(trusted)

    def check_sig(what: str, key_id: Any, context: bytes, message: bytes, signature: Any) -> None:
        key = trusted.get(str(key_id))
        if key is None:
            v.problems.append(f"{what}: signed by key {key_id}, which is not " +
                              ("the key given with --pubkey" if pubkeys else "in the bundle"))
        elif not isinstance(signature, str) or not verify(key, context, message, signature):
            v.problems.append(f"{what}: bad signature")

    if "manifest.sig" not in members:
        v.problems.append("manifest.sig is missing: the manifest is not signed")
    else:
        check_sig("manifest.json", manifest.get("signed_by"), MANIFEST_CONTEXT, members["manifest.json"],
                  members["manifest.sig"].decode("ascii", "replace").strip())
    _verify_chain(v, manifest, members, check_sig)
    _verify_attestations(v, members, check_sig)


def _load(members: dict[str, bytes], name: str) -> Any:
    try:
        return json.loads(members[name])
    except (KeyError, ValueError):
        return None


def _verify_chain(v: Verification, manifest: dict[str, Any], members: dict[str, bytes], check_sig: Any) -> None:
    chain = _load(members, "chain.json")
    info = manifest.get("chain") or {}
    if not isinstance(chain, list) or not chain:
        v.problems.append("chain.json is missing or empty")
        return
    prev_hash = info.get("anchor")
    prev_seq: int | None = None
    for entry in chain:
        try:
            seq, h, prev, files = int(entry["seq"]), str(entry["hash"]), str(entry["prev_hash"]), dict(entry["files"])
        except (KeyError, TypeError, ValueError, AttributeError):
            v.problems.append("chain.json: an entry is malformed")
            return
        label = f"scan #{seq}"
        if prev_seq is not None and seq != prev_seq + 1:
            v.problems.append(f"chain: {label} follows #{prev_seq} (a scan is missing or the order was changed)")
        if prev != prev_hash:
            where = f"#{prev_seq}" if prev_seq is not None else "the chain anchor in the manifest"
            v.problems.append(f"chain: {label} does not link to {where} (a scan is missing, was replaced or the "
                              "order was changed)")
        header = members.get(str(files.get("header")))
        if header is None:
            v.problems.append(f"chain: {label}'s header is missing")
        else:
            if chain_hash(prev, header) != h:
                v.problems.append(f"chain: {label}'s header does not match its hash")
            doc = _load(members, files["header"]) or {}
            if doc.get("seq") != seq or doc.get("prev_hash") != prev:
                v.problems.append(f"chain: {label}'s header names another position in the chain")
            for kind in ("snapshot", "findings", "criteria"):
                content = members.get(str(files.get(kind)))
                if content is None:
                    v.problems.append(f"chain: {label}'s {kind} file is missing")
                elif sha256(content) != doc.get(f"{kind}_sha256"):
                    v.problems.append(f"chain: {label}'s {kind} file is not the one its signed header names")
        check_sig(label, entry.get("key_id"), SCAN_CONTEXT, h.encode("ascii", "replace"), entry.get("signature"))
        prev_hash, prev_seq = h, seq
        v.scans += 1
    v.first, v.last = int(chain[0]["seq"]), int(chain[-1]["seq"])
    if (info.get("first"), info.get("last"), info.get("scans")) != (v.first, v.last, len(chain)):
        v.problems.append(f"chain: the manifest names scans #{info.get('first')}-#{info.get('last')} "
                          f"({info.get('scans')}), the chain holds #{v.first}-#{v.last} ({len(chain)})")


def _verify_attestations(v: Verification, members: dict[str, bytes], check_sig: Any) -> None:
    index = _load(members, "attestations.json")
    if not isinstance(index, list):
        v.problems.append("attestations.json is missing or malformed")
        return
    for a in index:
        if not isinstance(a, dict):
            v.problems.append("attestations.json: an entry is malformed")
            continue
        label = f"attestation {a.get('id')} ({a.get('criterion')})"
        record = members.get(str(a.get("record")))
        evidence = members.get(str(a.get("evidence")))
        if record is None or evidence is None:
            v.problems.append(f"{label}: its record or evidence file is missing")
            continue
        check_sig(label, a.get("key_id"), ATTESTATION_CONTEXT, record, a.get("signature"))
        doc = _load(members, str(a.get("record"))) or {}
        if doc.get("evidence_sha256") != sha256(evidence):
            v.problems.append(f"{label}: the evidence file is not the one attested")
        v.attestations += 1
