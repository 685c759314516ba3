"""Prowler on the same estate, for comparison: its own virtual environment, never a dependency of Assay.

`prowler aws --compliance soc2_aws` runs only the checks of Prowler's SOC 2 framework. Prowler scans one
account per run, so each account of the estate is one run (members through the same role Assay
assumes) and the comparison adds the runs up. Prowler's clients honour AWS_ENDPOINT_URL like any
boto3 client, which is how it reaches the local endpoint.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.estate import Estate
from bench.measure import Measured, measured, offline_env

VERSION = "5.46.0"
VENV = Path(__file__).parent / ".venv-prowler"
BIN = VENV / "bin" / "prowler"


@dataclass
class ProwlerRun:
    account: str
    run: Measured
    findings: Counter[str] = field(default_factory=Counter)


def ensure_installed() -> None:
    if BIN.exists():
        return
    print(f"installing prowler {VERSION} into {VENV} (once) ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", f"prowler=={VERSION}"], check=True)


def _findings(out_dir: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in out_dir.glob("*.csv"):
        reader = csv.DictReader(io.StringIO(path.read_text(errors="replace")), delimiter=";")
        counts.update(row.get("STATUS", "?") for row in reader)
    return counts


def scan(estate: Estate, work: Path) -> list[ProwlerRun]:
    runs = []
    for account in estate.accounts:
        out_dir = work / f"prowler-{account}"
        argv = [str(BIN), "aws", "--compliance", "soc2_aws", "--no-banner", "--output-formats", "csv",
                "--output-directory", str(out_dir), "--output-filename", "prowler", "--region", *estate.regions]
        if account != estate.management:
            argv += ["--role", estate.role_arn(account)]
        run = measured(argv, offline_env(estate.endpoint), work / "logs", f"prowler-{account}")
        findings = _findings(out_dir)
        print(f"prowler {account}: {run.seconds:.1f}s wall, {run.cpu_seconds:.1f}s CPU, peak RSS "
              f"{run.peak_rss_mb:.0f} MB, exit {run.returncode}, findings {dict(findings)}", flush=True)
        runs.append(ProwlerRun(account, run, findings))
    return runs


def results_section(runs: list[ProwlerRun], assay: Measured, assay_label: str) -> list[str]:
    total = sum(r.run.seconds for r in runs)
    peak = max(r.run.peak_rss_mb for r in runs)
    cpu = sum(r.run.cpu_seconds for r in runs)
    lines = [
        "## Prowler, same estate, same run",
        "",
        f"Prowler {VERSION} (`prowler aws --compliance soc2_aws --region <the 4 regions>`, CSV output), one run "
        "per account as Prowler scans one account at a time; members through `--role`. Prowler runs after "
        "Assay's first scan, on a server already warm.",
        "",
        "| account | wall time | CPU time | peak RSS | exit | findings |",
        "|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(f"| {r.account} | {r.run.seconds:.1f} s | {r.run.cpu_seconds:.1f} s | "
                     f"{r.run.peak_rss_mb:.0f} MB | {r.run.returncode} | "
                     + ", ".join(f"{v} {k}" for k, v in sorted(r.findings.items())) + " |")
    lines += [
        "",
        f"| | Assay (all accounts in one scan; {assay_label}) | Prowler (sum of its runs) | ratio |",
        "|---|---|---|---|",
        f"| wall time | {assay.seconds:.1f} s | {total:.1f} s | {total / assay.seconds:.1f}x faster |",
        f"| CPU time (scanner process) | {assay.cpu_seconds:.1f} s | {cpu:.1f} s | "
        f"{cpu / assay.cpu_seconds:.1f}x less |",
        f"| peak RSS | {assay.peak_rss_mb:.0f} MB | {peak:.0f} MB (largest run) | "
        f"{peak / assay.peak_rss_mb:.1f}x less |",
    ]
    return lines
