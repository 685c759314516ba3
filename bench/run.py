"""Scan benchmark: seed a sized estate on moto's server, scan it with `assay scan`, report the figures.

    python -m bench.run --size S|M|L [--prowler]

Starts moto's server in this process, seeds an organisation of three accounts over four regions
(bench.estate), then runs `assay scan --organization` as a child process against it and prints the
wall time, API calls by operation, peak RSS, resources per second and findings. Seeding time is
reported apart. With --prowler, Prowler (installed in its own virtual environment, bench/.venv-prowler,
never a dependency of Assay) scans the same accounts with `prowler aws --compliance soc2_aws` in the
same run. Results go to bench/results/<date>-<size>.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import prowler
from bench.estate import ACCOUNTS, REGIONS, ROLE_NAME, SIZES, Estate, seed
from bench.measure import Measured, measured, offline_env

RESULTS = Path(__file__).parent / "results"


def scan_with_assay(estate: Estate, work: Path, workers: int, fmt: str, name: str = "assay-scan",
                    store: bool = True) -> tuple[Measured, dict[str, Any]]:
    from assay.demo.accounts import demo_services
    from assay.models.inventory import Inventory

    snapshot, report = work / f"{name}.json.gz", work / f"{name}.{fmt}"
    argv = [sys.executable, "-m", "assay", "scan", "--organization", "--org-role", ROLE_NAME,
            "--max-rate", "0", "--max-workers", str(workers), "-f", fmt, "-o", str(report),
            "--snapshot", str(snapshot), "--stats"]
    # The scan is recorded in a store as by default, but in a database of its own, not the user's.
    argv += ["--db", f"sqlite:///{work / (name + '.db')}"] if store else ["--no-store"]
    argv += [arg for r in estate.regions for arg in ("-r", r)]
    argv += [arg for s in demo_services() for arg in ("--service", s)]
    run = measured(argv, offline_env(estate.endpoint), work / "logs", name)
    if run.returncode != 0:
        raise SystemExit(f"assay scan failed ({run.returncode}):\n{run.stderr[-3000:]}")
    inv = Inventory.load(snapshot)
    resources = sum(1 for _ in inv.resources())
    findings: Counter[str] = Counter()
    if fmt == "json":
        findings.update(json.loads(report.read_text())["scan"]["findings"])
    facts = {
        "resources": resources, "calls": dict(inv.meta.api_calls), "retries": inv.meta.retries,
        "requeued": inv.meta.requeued_shards, "complete": inv.complete, "findings": dict(findings),
        "accounts": [(a.account_id, a.status) for a in inv.accounts],
        "shards": sum(1 for c in inv.coverage if c.status != "not_enabled"),
        "incomplete": sorted({f"{c.service} ({c.status})" for c in inv.coverage
                              if c.status not in ("complete", "not_enabled")}),
        "snapshot_mb": snapshot.stat().st_size / 2**20,
    }
    return run, facts


def _table(rows: list[tuple[Any, ...]], header: tuple[str, ...]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def write_results(size: str, estate: Estate, scans: list[tuple[str, Measured, dict[str, Any]]],
                  prowler_runs: list[prowler.ProwlerRun] | None, workers: int, suffix: str = "") -> Path:
    import moto

    from assay import __version__
    from assay.demo.accounts import NOT_EMULATED

    lines = [
        f"# Scan benchmark, size {size}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {_cores()} cores, Python {platform.python_version()}; "
        f"Assay {__version__}, moto {moto.__version__} (its server in the benchmark's own process).",
        "",
        "## Estate",
        "",
        f"{len(estate.accounts)} account(s) (an organisation: the management account and "
        f"{len(estate.members)} member(s) reached through role {ROLE_NAME}), {len(estate.regions)} regions "
        f"({', '.join(estate.regions)}). Seeded {sum(estate.created.values())} resources in "
        f"{estate.seconds:.1f} s (not part of any scan time): "
        + ", ".join(f"{k} {v}" for k, v in sorted(estate.created.items())) + ".",
        "",
        "## Assay",
        "",
        f"`assay scan --organization --max-rate 0 --max-workers {workers}` over the 4 regions and every service "
        f"the local endpoint emulates (all but {', '.join(sorted(NOT_EMULATED))}), JSON report and snapshot "
        "written, the "
        "scan recorded in a SQLite store in the work directory (unless `--no-store`). "
        "moto builds each service's state for an account and region on its first request, so a first "
        "scan pays that set-up and a second one on the same server does not.",
        "",
        "| measure | " + " | ".join(label for label, _, _ in scans) + " |",
        "|---|" + "---|" * len(scans),
    ]
    rows: list[tuple[str, Any]] = [
        ("wall time", lambda r, f: f"{r.seconds:.1f} s"),
        ("CPU time (scanner process)", lambda r, f: f"{r.cpu_seconds:.1f} s"),
        ("peak RSS", lambda r, f: f"{r.peak_rss_mb:.0f} MB"),
        ("resources collected", lambda r, f: f["resources"]),
        ("resources per second", lambda r, f: f"{f['resources'] / r.seconds:.0f}"),
        ("API calls", lambda r, f: f"{sum(f['calls'].values())} ({sum(f['calls'].values()) / r.seconds:.0f}/s)"),
        ("retries / requeued shards", lambda r, f: f"{f['retries']} / {f['requeued']}"),
        ("shards", lambda r, f: f["shards"]),
        ("findings", lambda r, f: ", ".join(f"{v} {k}" for k, v in f["findings"].items() if v)),
        ("scan state", lambda r, f: "complete" if f["complete"] else "partial: " + ", ".join(f["incomplete"])),
        ("snapshot", lambda r, f: f"{f['snapshot_mb']:.1f} MB gzip"),
    ]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(str(cell(r, f)) for _, r, f in scans) + " |")
    calls = scans[0][2]["calls"]
    lines += ["", "API calls by operation (first scan):", "",
              *_table(sorted(calls.items(), key=lambda kv: (-kv[1], kv[0])), ("operation", "calls"))]
    if prowler_runs is not None:
        lines += ["", *prowler.results_section(prowler_runs, scans[-1][1], scans[-1][0])]
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC):%Y-%m-%d}-{size}{suffix}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--prowler", action="store_true", help="also time Prowler's SOC 2 scan of the same estate")
    parser.add_argument("--workers", type=int, default=8, help="assay --max-workers")
    parser.add_argument("--format", default="json", help="assay report format")
    parser.add_argument("--work-dir", type=Path, help="keep snapshot, reports and logs here")
    parser.add_argument("--no-store", action="store_true", help="scan with --no-store (default: a store in the "
                        "work directory)")
    parser.add_argument("--repeat", type=int, default=0,
                        help="scans of the same estate (default 1; 2 with --prowler, the second on a warm server)")
    args = parser.parse_args(argv)
    if args.prowler:
        prowler.ensure_installed()

    from assay.demo.server import moto_server

    work = args.work_dir or Path(tempfile.mkdtemp(prefix=f"assay-bench-{args.size}-"))
    work.mkdir(parents=True, exist_ok=True)
    with moto_server() as endpoint:
        # moto logs a traceback for every call it does not implement; the scans record those as errors.
        logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
        print(f"moto server on {endpoint}; seeding size {args.size} ...", flush=True)
        estate = seed(endpoint, args.size, REGIONS, members=ACCOUNTS.get(args.size, 3) - 1)
        print(f"seeded {sum(estate.created.values())} resources in {estate.seconds:.1f}s "
              f"({dict(sorted(estate.created.items()))})", flush=True)
        scans = []
        repeat = args.repeat or (2 if args.prowler else 1)
        for n in range(repeat):
            label = "first scan" if n == 0 else "second scan (moto warm)" if n == 1 else f"scan {n + 1}"
            run, facts = scan_with_assay(estate, work, args.workers, args.format, f"assay-scan-{n + 1}",
                                         store=not args.no_store)
            total = sum(facts["calls"].values())
            print(f"assay, {label}: {run.seconds:.1f}s wall, {run.cpu_seconds:.1f}s CPU, peak RSS "
                  f"{run.peak_rss_mb:.0f} MB, {facts['resources']} resources "
                  f"({facts['resources'] / run.seconds:.0f}/s), {total} API calls, findings {facts['findings']}",
                  flush=True)
            scans.append((label, run, facts))
        print(scans[0][1].stderr[scans[0][1].stderr.find("API calls:"):], flush=True)
        prowler_runs = prowler.scan(estate, work) if args.prowler else None
    path = write_results(args.size, estate, scans, prowler_runs, args.workers, "-nostore" if args.no_store else "")
    print(f"results: {path}\nwork files: {work}")


if __name__ == "__main__":
    main()
