"""Run the demo: moto's server in-process, seed the estate, scan it over HTTP, write the reports."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

from assay.collect.runner import collect
from assay.demo import sandbox, stable_ids
from assay.demo.accounts import demo_services, seed_demo
from assay.demo.estate import REGIONS
from assay.demo.server import moto_server
from assay.engine import Evaluation, evaluate
from assay.reporters import get
from assay.reporters.coverage import write_report
from assay.reporters.document import scan_summary

PRODUCTION_ACCOUNT = "123456789012"


def run_demo(output_dir: Path, err: Console, drift: bool = False) -> Evaluation:
    started = time.monotonic()
    output_dir.mkdir(parents=True, exist_ok=True)
    with moto_server() as endpoint:
        err.print(f"Demo AWS endpoint on {endpoint}; seeding the Northwind Analytics estate "
                  f"(production and sandbox accounts) in {', '.join(REGIONS)}")
        # Two demo runs name every resource alike, as an AWS account would, so that `assay diff` compares them.
        with stable_ids.seeded([PRODUCTION_ACCOUNT, sandbox.ACCOUNT_ID], REGIONS):
            accesses = seed_demo(endpoint, REGIONS)
        if drift:
            from assay.demo.drift import apply

            for change in apply(endpoint, REGIONS[0]):
                err.print(f"Drift: {change}")
        inv = collect(accesses, regions=REGIONS, services=demo_services())
    inv.save(output_dir / "snapshot.json.gz")
    ev = evaluate(inv)
    for name in ("html", "json", "csv"):
        rep = get(name)
        write_report(ev, rep, output_dir / f"report.{rep.extension}")  # atomically, owner-only
    get("console").write(ev, __import__("sys").stdout)
    s = scan_summary(ev)
    err.print(f"\nScanned {len(inv.coverage)} shards, {sum(inv.meta.api_calls.values())} API calls, "
              f"{s['findings']['fail']} failing findings, in {time.monotonic() - started:.1f}s.")
    for name in ("report.html", "report.json", "report.csv", "snapshot.json.gz"):
        err.print(f"  {output_dir / name}")
    err.print(f"Open {output_dir / 'report.html'} in a browser for the SOC 2 compliance page.")
    return ev
