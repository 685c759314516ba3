"""Reports and snapshots are written atomically and owner-only (S-: files the tool writes).

A write that is interrupted (an exception, SIGINT, SIGKILL in the middle of it) never damages the file
that was there before: a subprocess is stopped while it is writing, and the old snapshot or report
is still intact, byte for byte.
"""

from __future__ import annotations

import gzip
import json
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assay.api import write_report
from assay.atomic import OWNER_ONLY, atomic_write
from assay.engine import evaluate
from assay.models.inventory import (
    AccountInfo,
    Coverage,
    CoverageStatus,
    Inventory,
    RegionInfo,
    RegionStatus,
    ScanMeta,
    utcnow,
)
from assay.models.resources.kms import KmsKey

ACCOUNT = "123456789012"


def inventory(keys: int = 3) -> Inventory:
    now = utcnow()
    resources = [KmsKey(arn=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k{n}", id=f"k{n}", account_id=ACCOUNT,
                        region="us-east-1", manager="CUSTOMER", state="Enabled", spec="SYMMETRIC_DEFAULT",
                        rotation_enabled=bool(n % 2), policy={}) for n in range(keys)]
    return Inventory(ScanMeta(scan_id="scan-1", tool_version="test", started_at=now, finished_at=now),
                     [AccountInfo(account_id=ACCOUNT)],
                     [RegionInfo(account_id=ACCOUNT, region="us-east-1", status=RegionStatus.SCANNED)],
                     [Coverage(account_id=ACCOUNT, region="us-east-1", service="kms", status=CoverageStatus.COMPLETE)],
                     resources, [])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_snapshot_is_owner_only_and_replaces_a_world_readable_file(tmp_path: Path) -> None:
    path = tmp_path / "snap.json.gz"
    path.write_bytes(b"old")
    path.chmod(0o644)
    inventory().save(path)
    assert mode(path) == OWNER_ONLY
    assert len(list(Inventory.load(path).resources())) == 3
    assert leftovers(tmp_path) == []


def test_the_same_inventory_saves_the_same_bytes(tmp_path: Path) -> None:
    inv = inventory()
    inv.save(tmp_path / "a.json.gz")
    inv.save(tmp_path / "b.json.gz")
    assert (tmp_path / "a.json.gz").read_bytes() == (tmp_path / "b.json.gz").read_bytes()


@pytest.mark.parametrize("fmt", ["json", "csv", "html", "sarif"])
def test_reports_are_owner_only(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    out.write_text("old")
    out.chmod(0o644)
    write_report(evaluate(inventory()), fmt, out)
    assert mode(out) == OWNER_ONLY and out.read_text() != "old"
    if fmt == "csv":
        assert mode(tmp_path / "report.coverage.csv") == OWNER_ONLY
    assert leftovers(tmp_path) == []


def test_the_cli_writes_reports_owner_only(tmp_path: Path) -> None:
    snap = tmp_path / "snap.json.gz"
    inventory().save(snap)
    out = tmp_path / "report.csv"
    proc = subprocess.run([sys.executable, "-m", "assay", "evaluate", str(snap), "-f", "csv", "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert mode(out) == OWNER_ONLY and mode(tmp_path / "report.coverage.csv") == OWNER_ONLY
    assert leftovers(tmp_path) == []


def test_a_failing_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("old report")
    with pytest.raises(RuntimeError), atomic_write(out) as fh:
        fh.write("half of a new rep")
        raise RuntimeError("the reporter broke")
    assert out.read_text() == "old report" and leftovers(tmp_path) == []


# -- interrupted in another process ---------------------------------------------------------------

# Saves a snapshot (or writes a report through the command line) whose writing stalls half-way, so the
# test can stop it while the temporary file is open; WRITING on stdout says the stall has begun.
SLOW_SNAPSHOT = textwrap.dedent("""
    import sys, time
    from assay.models.inventory import Inventory
    inv = Inventory.load(sys.argv[1])
    real = Inventory.resources
    def slow(self):
        for n, r in enumerate(real(self)):
            if n == 1:
                print("WRITING", flush=True)
                time.sleep(120)
            yield r
    Inventory.resources = slow
    inv.save(sys.argv[2])
""")
SLOW_REPORT = textwrap.dedent("""
    import sys, time
    import assay.reporters.json
    from assay.reporters import _REPORTERS, Reporter
    def slow(ev, out):
        out.write('{"half": ')
        out.flush()
        print("WRITING", flush=True)
        time.sleep(120)
    _REPORTERS["json"] = Reporter("json", "json", slow)
    sys.argv = ["assay", "evaluate", sys.argv[1], "-f", "json", "-o", sys.argv[2]]
    from assay.cli import main
    main()
""")


def interrupted(script: str, source: Path, target: Path, sig: int) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen([sys.executable, "-c", script, str(source), str(target)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "WRITING", (line, proc.stderr.read() if proc.stderr else "")
    assert [p for p in leftovers(target.parent) if p.startswith(f".{target.name}.")], "no write in progress"
    proc.send_signal(sig)
    out, errors = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, errors)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_an_interrupted_snapshot_save_keeps_the_old_snapshot(tmp_path: Path, sig: int) -> None:
    source, target = tmp_path / "source.json.gz", tmp_path / "snap.json.gz"
    inventory(keys=5).save(source)
    inventory(keys=2).save(target)
    before = target.read_bytes()
    done = interrupted(SLOW_SNAPSHOT, source, target, sig)
    assert done.returncode != 0
    assert target.read_bytes() == before
    assert len(list(Inventory.load(target).resources())) == 2
    left = leftovers(tmp_path)
    if sig == signal.SIGINT:  # Ctrl-C unwinds: the temporary file is removed
        assert left == [], left
    else:  # SIGKILL cannot be caught: a temporary file may stay, owner-only, never the target damaged
        assert all(mode(tmp_path / name) == OWNER_ONLY for name in left)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_an_interrupted_report_keeps_the_old_report(tmp_path: Path, sig: int) -> None:
    snap, report = tmp_path / "snap.json.gz", tmp_path / "report.json"
    inventory().save(snap)
    report.write_text(json.dumps({"old": True}))
    done = interrupted(SLOW_REPORT, snap, report, sig)
    assert json.loads(report.read_text()) == {"old": True}
    if sig == signal.SIGINT:
        assert done.returncode == 130 and "Traceback" not in done.stderr  # typer turns Ctrl-C into exit 130
        assert leftovers(tmp_path) == []
    else:
        assert done.returncode == -signal.SIGKILL


def test_a_truncated_temporary_snapshot_is_never_mistaken_for_one(tmp_path: Path) -> None:
    """What a SIGKILL leaves behind is refused with one clear error if someone loads it."""
    from assay.errors import SnapshotError

    whole = tmp_path / "whole.json.gz"
    inventory(keys=50).save(whole)
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(gzip.compress(gzip.decompress(whole.read_bytes())[:500]))
    with pytest.raises(SnapshotError, match=r"corrupt or truncated|malformed"):
        Inventory.load(cut)
