"""The command line as a user meets it: exit codes, one-line errors, scan == collect + evaluate."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assay.demo.accounts import demo_services
from assay.demo.server import DEMO_CREDENTIALS


def run(*args: str, endpoint: str | None = None, env_extra: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
                "AWS_EC2_METADATA_DISABLED": "true"})
    if endpoint:
        env.update({"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": DEMO_CREDENTIALS["aws_access_key_id"],
                    "AWS_SECRET_ACCESS_KEY": DEMO_CREDENTIALS["aws_secret_access_key"]})
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "assay", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_unknown_region_is_a_usage_error(endpoint: str) -> None:
    proc = run("scan", "--region", "mars-north-1", endpoint=endpoint)
    assert proc.returncode == 2
    assert "unknown region" in one_line_error(proc)


def test_missing_credentials(tmp_path: Path) -> None:
    proc = run("scan", "--region", "us-east-1", env_extra={"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert proc.returncode == 2
    assert "credentials" in one_line_error(proc)


def test_wrong_profile() -> None:
    proc = run("scan", "--profile", "nope")
    assert proc.returncode == 2
    assert "profile 'nope'" in one_line_error(proc)


def test_external_id_without_role() -> None:
    proc = run("scan", "--external-id", "x")
    assert proc.returncode == 2
    assert "--role-arn" in one_line_error(proc)


@pytest.mark.parametrize("content", [
    b"", b"not gzip at all", gzip.compress(b'{"schema_version": 1, "meta"', mtime=0),
    gzip.compress(b"[1, 2]", mtime=0), gzip.compress(b'{"schema_version": 99}', mtime=0),
    gzip.compress(b'{"schema_version": 1, "meta": {}}', mtime=0)])
def test_bad_snapshots_give_one_line_and_exit_2(tmp_path: Path, content: bytes) -> None:
    snap = tmp_path / "snap.json.gz"
    snap.write_bytes(content)
    proc = run("evaluate", str(snap))
    assert proc.returncode == 2
    assert "snapshot" in one_line_error(proc) or "schema" in proc.stderr
    assert snap.read_bytes() == content  # nothing already stored is touched


def test_newer_schema_says_upgrade(tmp_path: Path) -> None:
    snap = tmp_path / "snap.json.gz"
    snap.write_bytes(gzip.compress(b'{"schema_version": 99}', mtime=0))
    assert "upgrade Assay" in one_line_error(run("evaluate", str(snap)))


def test_broken_config(tmp_path: Path) -> None:
    cfg = tmp_path / "assay.yaml"
    cfg.write_text("controls: [unclosed")
    proc = run("scan", "--config", str(cfg))
    assert proc.returncode == 2
    assert "not valid YAML" in one_line_error(proc)


def test_unknown_control(tmp_path: Path) -> None:
    proc = run("controls", "show", "nope.nothing")
    assert proc.returncode == 2
    assert "unknown control" in one_line_error(proc)


def test_scan_equals_collect_then_evaluate(endpoint: str, seed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kms = seed("kms")
    kms.create_key()
    snap, direct, offline = tmp_path / "s.json.gz", tmp_path / "direct.json", tmp_path / "offline.json"
    proc = run("scan", "-r", "us-east-1", "--service", "kms", "-f", "json", "-o", str(direct),
               "--snapshot", str(snap), endpoint=endpoint)
    assert proc.returncode == 0, proc.stderr
    proc = run("evaluate", str(snap), "-f", "json", "-o", str(offline))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(direct.read_text()) == json.loads(offline.read_text())


def test_fail_on_and_strict_exit_codes(endpoint: str, seed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kms = seed("kms")
    kms.create_key()  # not rotated: a medium failure
    args = ["scan", "-r", "us-east-1", "--service", "kms", "-f", "json", "-o", str(tmp_path / "r.json")]
    assert run(*args, endpoint=endpoint).returncode == 0
    assert run(*args, "--fail-on", "medium", endpoint=endpoint).returncode == 1
    assert run(*args, "--fail-on", "critical", endpoint=endpoint).returncode == 0


def test_controls_json_lists_remediation() -> None:
    proc = run("controls", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    controls = json.loads(proc.stdout)
    ids = {c["id"] for c in controls}
    assert "kms.key_rotation_enabled" in ids
    for c in controls:
        assert c["remediation"]["cli"] and c["remediation"]["terraform"] and c["remediation"]["console"]
        assert c["severity"] in {"critical", "high", "medium", "low", "info"}


def test_permissions_policy_is_read_only() -> None:
    proc = run("permissions")
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    actions = [a for st in doc["Statement"] for a in st["Action"]]
    assert "kms:GetKeyRotationStatus" in actions
    assert all(a.split(":")[1].startswith(("Get", "List", "Describe", "Generate", "BatchGet", "Search"))
               or a == "apigateway:GET" for a in actions)


def test_scan_writes_all_four_formats(demo_endpoint: str, tmp_path: Path) -> None:
    """`assay scan` against an AWS-compatible endpoint (the demo's) in every report format."""
    services = [arg for s in demo_services() for arg in ("--service", s)]
    for fmt in ("console", "json", "csv", "html"):
        out = tmp_path / f"report.{fmt}"
        proc = run("scan", "-r", "us-east-1", "-r", "eu-west-1", *services, "-f", fmt, "-o", str(out),
                   endpoint=demo_endpoint)
        assert proc.returncode == 0, proc.stderr
        text = out.read_text()
        assert {"console": "SOC 2", "json": '"criteria"', "csv": "control_id,title", "html": "<!DOCTYPE html"}[fmt] \
            in text
    doc = json.loads((tmp_path / "report.json").read_text())
    assert doc["scan"]["state"] == "complete" and len(doc["criteria"]) == 61
    assert {"fail", "pass"} <= {f["status"] for f in doc["findings"]}


def test_frameworks_show_and_unknown_framework(tmp_path: Path) -> None:
    proc = run("frameworks", "show", "soc2", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert len(doc["criteria"]) == 61
    assert sum(1 for c in doc["criteria"] if c["kind"] == "automated") >= 32
    proc = run("scan", "--framework", "nope")
    assert proc.returncode == 2
    assert "unknown framework" in one_line_error(proc)
