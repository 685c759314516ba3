"""The store's commands as a user meets them: scan results stored by default, history, diff, attest, type2,
evidence export and verify (exit 1 on tampering), one-line errors."""

from __future__ import annotations

import json
import os
import sys
import zipfile
from pathlib import Path

import html5lib
import pytest
from typer.testing import CliRunner, Result

from assay.cli import app, main
from assay.errors import ConfigError, UsageError
from tests.store.factories import day, evaluation, key

runner = CliRunner()


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), env=env)


def snapshots(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "monday.json.gz", tmp_path / "tuesday.json.gz"
    evaluation({"steady": True, "fixed": False}).inventory.save(first)
    evaluation([key("steady", True), key("fixed", True), key("opened", False)], at=day(1)).inventory.save(second)
    return first, second


def test_scans_are_stored_then_history_and_diff(store_url: str, tmp_path: Path) -> None:
    first, second = snapshots(tmp_path)
    out = cli("evaluate", str(first), "--db", store_url, "-f", "json", "-o", str(tmp_path / "r.json"))
    assert out.exit_code == 0, out.output
    assert "Stored scan #1 (chain ok)" in out.stderr
    assert "Stored scan #2 (chain ok)" in cli("evaluate", str(second), "--db", store_url).stderr
    assert "Scan already stored as #2 (chain ok)" in cli("evaluate", str(second), "--db", store_url).stderr
    assert "Stored scan" not in cli("evaluate", str(second), "--db", store_url, "--no-store").stderr

    history = json.loads(cli("history", "--db", store_url, "-f", "json").stdout)
    assert [h["scan"]["id"] for h in history] == [2, 1]
    assert "CC6.1" in cli("history", "--db", store_url, "--criterion", "cc6.1").stdout

    text = cli("diff", "--db", store_url).stdout
    assert "scan #1" in text and "New failures (1)" in text and "Resolved (1)" in text
    d = json.loads(cli("diff", "1", "2", "--db", store_url, "-f", "json").stdout)
    assert (d["counts"]["new"], d["counts"]["resolved"]) == (1, 1)
    assert [c["resource_name"] for c in d["new_findings"]] == ["opened"]
    page = tmp_path / "diff.html"
    assert cli("diff", "--db", store_url, "-f", "html", "-o", str(page)).exit_code == 0
    assert html5lib.parse(page.read_text(), namespaceHTMLElements=False).find(".//h1") is not None


def test_attest_and_attestations(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    proof = tmp_path / "acks.pdf"
    proof.write_bytes(b"%PDF acknowledgements")
    ok = cli("attest", "CC1.4", "--by", "Dana Ruiz", "--evidence", str(proof), "--valid-until", "2999-12-31",
             "--db", db)
    assert ok.exit_code == 0 and "Attested CC1.4 by Dana Ruiz until 2999-12-31" in ok.stderr
    refused = cli("attest", "CC6.1", "--by", "Dana", "--evidence", str(proof), "--valid-until", "2999-12-31",
                  "--db", db)
    assert isinstance(refused.exception, UsageError) and "automated" in str(refused.exception)
    bad_date = cli("attest", "CC1.4", "--by", "Dana", "--evidence", str(proof), "--valid-until", "soon",
                   "--db", db)
    assert isinstance(bad_date.exception, UsageError)
    states = {s["criterion"]: s for s in json.loads(cli("attestations", "--db", db, "-f", "json").stdout)["criteria"]}
    assert states["CC1.4"]["state"] == "attested" and states["CC1.1"]["state"] == "missing"
    assert "attested" in cli("attestations", "--db", db).stdout


def test_type2_command(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    first, second = snapshots(tmp_path)
    cli("evaluate", str(first), "--db", db)
    cli("evaluate", str(second), "--db", db)
    view = json.loads(cli("type2", "--from", "2025-01-01", "--to", "2025-01-10", "--db", db, "-f", "json").stdout)
    assert len(view["scans"]) == 2 and view["gaps"][-1]["between"] == [2, None]
    text = cli("type2", "--from", "2025-01-01", "--to", "2025-01-10", "--db", db).stdout
    assert "Cadence gaps longer than 2 days: 1" in text and "kms.key_rotation_enabled" in text
    assert isinstance(cli("type2", "--from", "Jan 1", "--to", "2025-01-10", "--db", db).exception, UsageError)


def test_evidence_export_verify_and_tamper(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    for snap in snapshots(tmp_path):
        cli("evaluate", str(snap), "--db", db)
    pub = tmp_path / "assay.pub"
    assert cli("evidence", "pubkey", "--db", db, "-o", str(pub)).exit_code == 0
    assert pub.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    bundle = tmp_path / "bundle.zip"
    exported = cli("evidence", "export", "--from", "2025-01-01", "--to", "2025-01-02", "-o", str(bundle), "--db", db)
    assert exported.exit_code == 0 and "scans #1-#2" in exported.stderr
    ok = cli("evidence", "verify", str(bundle), "--pubkey", str(pub))
    assert ok.exit_code == 0 and ok.stdout.startswith("OK:") and "pinned with --pubkey" in ok.stdout
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as zf:
        info = zf.getinfo("scans/000001/findings.json")
    data[info.header_offset + 30 + len(info.filename) + 5] ^= 0x20
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(bytes(data))
    bad = cli("evidence", "verify", str(tampered), "--pubkey", str(pub))
    assert bad.exit_code == 1 and bad.stdout.startswith("FAILED:") and "findings.json" in bad.stdout


def test_exit_codes_and_one_line_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")

    def run(*args: str) -> tuple[int, str, str]:
        """`assay ARGS` through the real entry point, exit code included."""
        monkeypatch.setattr(sys, "argv", ["assay", *args])
        with pytest.raises(SystemExit) as exited:
            main()
        captured = capsys.readouterr()
        return int(exited.value.code or 0), captured.out, captured.err

    code, out, err = run("evidence", "verify", str(junk))
    assert code == 1 and out.startswith("FAILED:") and "Traceback" not in err
    proof = tmp_path / "p.txt"
    proof.write_text("x")
    code, out, err = run("attest", "CC6.4", "--by", "Dana", "--evidence", str(proof), "--valid-until", "2999-01-01",
                         "--db", db)
    assert code == 2 and err.strip().count("\n") == 0 and "inherited" in err
    code, out, err = run("diff", "--db", db)
    assert code == 2 and "two complete scans" in err


def test_default_store_problems_warn_explicit_ones_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = snapshots(tmp_path)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    env = {k: v for k, v in os.environ.items() if k != "ASSAY_DB"}
    monkeypatch.delenv("ASSAY_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))  # the default store's directory cannot be created
    warned = cli("evaluate", str(first), env={**env, "XDG_DATA_HOME": str(blocker)})
    assert warned.exit_code == 0 and "warning: the scan was not stored" in warned.stderr
    failed = cli("evaluate", str(first), "--db", "postgresql://nobody@127.0.0.1:9/x?connect_timeout=2")
    assert isinstance(failed.exception, ConfigError) and "not stored" in str(failed.exception)
