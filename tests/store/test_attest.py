"""Attestations: only manual criteria, evidence kept byte for byte with its SHA-256, state per criterion."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from assay.errors import UsageError
from assay.store import Store

TODAY = date(2025, 3, 1)


@pytest.fixture()
def evidence(tmp_path: Path) -> Path:
    path = tmp_path / "code-of-conduct-acks.pdf"
    path.write_bytes(b"%PDF-1.4 signed acknowledgements\x00\xff")
    return path


def test_attest_stores_the_file_and_its_digest(store: Store, evidence: Path) -> None:
    a = store.attest("cc1.1", "Dana Ruiz (CEO)", evidence, TODAY + timedelta(days=365), note="2025 round",
                     today=TODAY)
    assert (a.criterion, a.attested_by, a.valid_until) == ("CC1.1", "Dana Ruiz (CEO)", TODAY + timedelta(days=365))
    assert a.evidence_sha256 == hashlib.sha256(evidence.read_bytes()).hexdigest()
    assert store.evidence_file(a.evidence_sha256) == evidence.read_bytes()
    assert store.attestations() == [a] and store.attestations("CC1.2") == []


@pytest.mark.parametrize(("criterion", "message"), [
    ("CC9.9", "unknown criterion 'CC9.9'"),
    ("CC6.1", "CC6.1 is automated"),
    ("CC6.4", "CC6.4 is inherited"),
])
def test_only_manual_criteria(store: Store, evidence: Path, criterion: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        store.attest(criterion, "Dana", evidence, TODAY + timedelta(days=1), today=TODAY)
    assert store.attestations() == []


def test_bad_input_is_refused(store: Store, evidence: Path, tmp_path: Path) -> None:
    until = TODAY + timedelta(days=30)
    with pytest.raises(UsageError, match="already past"):
        store.attest("CC1.1", "Dana", evidence, TODAY - timedelta(days=1), today=TODAY)
    with pytest.raises(UsageError, match="does not exist"):
        store.attest("CC1.1", "Dana", tmp_path / "nope.pdf", until, today=TODAY)
    (tmp_path / "empty.pdf").write_bytes(b"")
    with pytest.raises(UsageError, match="empty"):
        store.attest("CC1.1", "Dana", tmp_path / "empty.pdf", until, today=TODAY)
    with pytest.raises(UsageError, match="--by"):
        store.attest("CC1.1", "  ", evidence, until, today=TODAY)
    with pytest.raises(UsageError, match="unknown framework"):
        store.attest("CC1.1", "Dana", evidence, until, framework="nist", today=TODAY)
    assert store.attestations() == []


def test_state_per_manual_criterion(store: Store, evidence: Path) -> None:
    store.attest("CC1.1", "Dana", evidence, TODAY + timedelta(days=10), today=TODAY)
    store.attest("CC1.2", "Sam", evidence, TODAY + timedelta(days=5), today=TODAY)
    store.attest("CC1.2", "Lee", evidence, TODAY + timedelta(days=2), today=TODAY)  # shorter: does not win
    states = {s.criterion: s for s in store.attestation_states(on=TODAY + timedelta(days=6))}
    assert (states["CC1.1"].state, states["CC1.1"].attested_by) == ("attested", "Dana")
    assert (states["CC1.2"].state, states["CC1.2"].attested_by) == ("expired", "Sam")
    assert states["CC1.4"].state == "missing" and states["CC1.4"].attested_by is None
    assert "CC6.1" not in states  # automated criteria take no attestation
    on_last_day = {s.criterion: s.state for s in store.attestation_states(on=TODAY + timedelta(days=10))}
    assert on_last_day["CC1.1"] == "attested"  # valid through the day it names
