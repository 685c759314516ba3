"""Signed, hash-chained evidence (T19 of RELIABILITY.md): a clean bundle verifies offline; a flipped byte
anywhere in the archive, a missing file, a deleted manifest, a reordered or missing scan and a bad
signature each make verification fail, with the reason. The store's own chain is checked the same way."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from assay.store import Store, open_store
from assay.store.bundle import EvidenceError, verify_bundle, verify_data
from assay.store.signing import MANIFEST_CONTEXT, Signer, canonical, load_or_create, sha256
from assay.store.tables import FindingTable, ScanTable
from assay.store.zipcheck import write
from tests.store.factories import T0, day, evaluation

Members = list[tuple[str, bytes]]


def fill(store: Store, evidence_dir: Path) -> None:
    store.ingest(evaluation({"a": True, "b": False}))
    store.ingest(evaluation({"a": True}, at=day(1), complete=False))  # b not read: carried forward
    store.ingest(evaluation({"a": True, "b": True}, at=day(2)))
    proof = evidence_dir / "board minutes.pdf"
    proof.write_bytes(b"%PDF minutes of the audit committee")
    store.attest("CC1.2", "Dana", proof, date(2999, 1, 1))


def members(path: Path) -> Members:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def rebuild(path: Path, items: Members, signer: Signer | None = None) -> Path:
    """Write `items` as a bundle; with `signer`, fix the manifest's digests and re-sign it (an insider)."""
    if signer is not None:
        content = dict(items)
        manifest = json.loads(content["manifest.json"])
        manifest["files"] = {n: sha256(d) for n, d in items if n not in ("manifest.json", "manifest.sig")}
        content["manifest.json"] = canonical(manifest)
        content["manifest.sig"] = signer.sign(MANIFEST_CONTEXT, content["manifest.json"]).encode()
        items = list(content.items())
    write(path, items)
    return path


def problems(path: Path, pubkeys: list[bytes] | None = None) -> str:
    v = verify_bundle(path, pubkeys)
    return "\n".join(v.problems)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One bundle (and the key that signed it) for the tamper tests: the format does not depend on the backend."""
    path = tmp_path_factory.mktemp("bundle")
    store = open_store(f"sqlite:///{path / 'a.db'}", key_path=path / "k.pem")
    fill(store, path)
    store.export_evidence(path / "bundle.zip", T0 - day(1), T0 + day(3))
    store.close()
    return path / "bundle.zip", path / "k.pem"


@pytest.fixture()
def bundle(exported: tuple[Path, Path]) -> Path:
    return exported[0]


@pytest.fixture()
def insider(exported: tuple[Path, Path]) -> Signer:
    """The exporter's own key: re-signing the manifest with it cannot hide a broken chain."""
    return load_or_create(exported[1])


def test_clean_bundle_verifies_offline(store: Store, tmp_path: Path) -> None:
    fill(store, tmp_path)
    bundle = tmp_path / "bundle.zip"
    store.export_evidence(bundle, T0 - day(1), T0 + day(3))
    v = verify_bundle(bundle, [store.public_key_pem().encode()])
    assert v.ok, v.problems
    assert (v.first, v.last, v.scans, v.attestations, v.pinned) == (1, 3, 3, 1, True)
    assert verify_bundle(bundle).ok  # with the keys inside the bundle
    names = dict(members(bundle))
    assert {"manifest.json", "manifest.sig", "chain.json", "scans/000002/findings.json",
            "scans/000002/snapshot.json.gz", "attestations/0001/board_minutes.pdf"} <= set(names)
    assert names["attestations/0001/board_minutes.pdf"] == b"%PDF minutes of the audit committee"
    findings = json.loads(names["scans/000002/findings.json"])
    assert [(f["status"], f["stale"]) for f in findings if f["data"]["resource_id"] == "b"] == [("fail", True)]


def test_window_selects_scans_and_the_chain_still_links(store: Store, tmp_path: Path) -> None:
    fill(store, tmp_path)
    out = tmp_path / "second.zip"
    result = store.export_evidence(out, T0 + day(1), T0 + day(1) + timedelta(hours=1))
    assert (result.first, result.last, result.in_window) == (2, 2, 1)
    v = verify_bundle(out)
    assert v.ok and (v.first, v.last) == (2, 2)
    with pytest.raises(Exception, match="no scan started"):
        store.export_evidence(tmp_path / "none.zip", T0 + day(10), T0 + day(11))


def test_exceptions_file_is_included(store: Store, tmp_path: Path) -> None:
    fill(store, tmp_path)
    exceptions = tmp_path / "exceptions.yaml"
    exceptions.write_text("exceptions: []\n")
    store.export_evidence(tmp_path / "b.zip", exceptions_file=exceptions)
    assert dict(members(tmp_path / "b.zip"))["exceptions/exceptions.yaml"] == b"exceptions: []\n"
    assert verify_bundle(tmp_path / "b.zip").ok


def structure_and_sample_offsets(path: Path) -> list[int]:
    """Every byte of the archive's own structure, and the first, middle and last byte of every member."""
    data = path.read_bytes()
    offsets: set[int] = set()
    content: set[int] = set()
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            start = info.header_offset + 30 + len(info.filename.encode())
            content.update(range(start, start + info.file_size))
            if info.file_size:
                offsets.update({start, start + info.file_size // 2, start + info.file_size - 1})
    offsets.update(set(range(len(data))) - content)
    return sorted(offsets)


def test_any_flipped_byte_fails(bundle: Path) -> None:
    data = bundle.read_bytes()
    offsets = structure_and_sample_offsets(bundle)
    assert len(offsets) > 1000
    assert verify_data(data).ok
    passed = [offset for offset in offsets
              if verify_data(data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1:]).ok]
    assert passed == []


@pytest.mark.parametrize("name", ["manifest.json", "manifest.sig", "chain.json", "scans/000002/scan.json",
                                  "scans/000002/findings.json", "scans/000003/snapshot.json.gz",
                                  "attestations/0001.json", "attestations/0001/board_minutes.pdf"])
def test_a_missing_file_fails(bundle: Path, tmp_path: Path, name: str) -> None:
    out = rebuild(tmp_path / "missing.zip", [(n, d) for n, d in members(bundle) if n != name])
    assert "missing" in problems(out)


def test_extra_or_duplicated_files_fail(bundle: Path, tmp_path: Path) -> None:
    items = members(bundle)
    assert "not listed in the manifest" in problems(rebuild(tmp_path / "x.zip", [*items, ("notes.txt", b"hi")]))
    with pytest.warns(UserWarning):  # zipfile itself warns about the duplicate name
        out = rebuild(tmp_path / "d.zip", [*items, ("chain.json", b"[]")])
    assert "appears twice" in problems(out)


def test_chain_reordered_or_missing_a_scan_fails_even_when_re_signed(bundle: Path, tmp_path: Path,
                                                                      insider: Signer) -> None:
    items = members(bundle)
    chain = json.loads(dict(items)["chain.json"])

    def with_chain(entries: list[dict[str, object]], name: str) -> Path:
        changed = [(n, canonical(entries) if n == "chain.json" else d) for n, d in items]
        return rebuild(tmp_path / name, changed, insider)

    assert verify_bundle(with_chain(chain, "same.zip")).ok  # re-signing alone changes nothing
    swapped = with_chain([chain[0], chain[2], chain[1]], "reordered.zip")
    assert "order was changed" in problems(swapped)
    dropped = with_chain([chain[0], chain[2]], "dropped.zip")
    assert "a scan is missing" in problems(dropped)
    first_gone = with_chain(chain[1:], "first-gone.zip")
    assert "chain anchor" in problems(first_gone)
    # Without the key, the same edit breaks the manifest's digest of chain.json.
    unsigned = rebuild(tmp_path / "unsigned.zip", [(n, canonical(chain[:2]) if n == "chain.json" else d)
                                                   for n, d in items])
    assert "chain.json: content altered" in problems(unsigned)


def test_bad_signatures_fail(bundle: Path, tmp_path: Path, insider: Signer) -> None:
    items = members(bundle)
    chain = json.loads(dict(items)["chain.json"])
    chain[1]["signature"] = chain[0]["signature"]  # a real signature, of another scan
    forged = rebuild(tmp_path / "sig.zip", [(n, canonical(chain) if n == "chain.json" else d) for n, d in items],
                     insider)
    assert "scan #2: bad signature" in problems(forged)
    stranger = Signer.generate()
    resigned = rebuild(tmp_path / "stranger.zip", items, stranger)
    assert "manifest.json: bad signature" in problems(resigned)
    # Pinning the key: a bundle signed by any other key fails even though it is self-consistent.
    assert "not the key given with --pubkey" in problems(bundle, [stranger.public_pem.encode()])


def test_rewritten_findings_fail_even_with_a_re_signed_manifest(bundle: Path, tmp_path: Path,
                                                                 insider: Signer) -> None:
    items = members(bundle)
    findings = json.loads(dict(items)["scans/000001/findings.json"])
    for f in findings:
        f["status"] = "pass"
    out = rebuild(tmp_path / "rewritten.zip", [(n, canonical(findings) if n == "scans/000001/findings.json"
                                                else d) for n, d in items], insider)
    assert "scan #1's findings file is not the one its signed header names" in problems(out)


def test_garbage_is_a_verdict_not_a_crash(tmp_path: Path) -> None:
    for name, data in (("empty.zip", b""), ("text.zip", b"hello"), ("junk.zip", b"PK\x05\x06" + b"\x00" * 18)):
        (tmp_path / name).write_bytes(data)
        assert not verify_bundle(tmp_path / name).ok
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.json", "{}")
    (tmp_path / "plain.zip").write_bytes(buf.getvalue())
    assert not verify_bundle(tmp_path / "plain.zip").ok


def test_store_chain_detects_tampering(store: Store, opener: Callable[[], Store], tmp_path: Path) -> None:
    fill(store, tmp_path)
    assert store.verify().ok
    with store.engine.begin() as conn:
        conn.execute(sa.update(FindingTable).where(FindingTable.scan_id == 1).values(status="pass"))
    report = store.verify()
    assert [(p.scan_id, p.problem) for p in report.problems] == [(1, "its findings were altered")]
    with pytest.raises(EvidenceError, match="chain is broken at scan #1"):
        store.export_evidence(tmp_path / "refused.zip")
    assert store.verify(2, 3).ok  # later scans are intact on their own


def test_store_chain_detects_a_deleted_or_edited_scan(store: Store, tmp_path: Path) -> None:
    fill(store, tmp_path)
    with store.engine.begin() as conn:
        conn.execute(sa.update(ScanTable).where(ScanTable.id == 3).values(complete=False))
    assert "its complete differs from the signed header" in [p.problem for p in store.verify().problems]
    with store.engine.begin() as conn:
        conn.execute(sa.update(ScanTable).where(ScanTable.id == 3).values(complete=True))
        conn.execute(sa.delete(ScanTable).where(ScanTable.id == 2))
    found = {(p.scan_id, p.problem.split(" (")[0]) for p in store.verify().problems}
    assert (2, "scan is missing from the store") in found and (3, "does not link to #1") in found
    with store.engine.begin() as conn:
        conn.execute(sa.delete(ScanTable).where(ScanTable.id == 3))
    assert "the newest scans were removed" in str(store.verify().problems)


def test_export_window_dates(store: Store, tmp_path: Path) -> None:
    fill(store, tmp_path)
    result = store.export_evidence(tmp_path / "all.zip", None, datetime(2999, 1, 1, tzinfo=UTC))
    assert (result.first, result.last) == (1, 3)
    assert len(result.sha256) == 64 and result.size == (tmp_path / "all.zip").stat().st_size
