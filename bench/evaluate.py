"""Evaluation benchmark: a synthetic snapshot of N resources, evaluated offline; time and peak RSS.

    python -m bench.evaluate --resources 1000000 [--accounts 20] [--format json]

The resources are clones of what a real scan of the demo estate collected (both accounts, every
emulated service: passing, failing and not-applicable variants alike), so every control meets the
shapes it meets in a scan. Each synthetic account gets one copy of a demo account (its account-level
resources, trails, password policy...) and is filled up to its share with the resource types that
are numerous in real estates (security groups, volumes, roles, log groups, buckets...). A small share
of resources carries a failed read, so the engine's error path is exercised too.

The snapshot is written by this process; `assay evaluate` then runs in a child process, measured on
its own: wall time and peak RSS of load + evaluate + report, with the phases timed inside it.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.measure import measured

CACHE = Path(__file__).parent / ".cache"
RESULTS = Path(__file__).parent / "results"
# Types that make up most of a real estate, and their relative weight in the fill.
BULK = {
    "AWS::EC2::SecurityGroup": 12, "AWS::EC2::Volume": 10, "AWS::EC2::Instance": 8, "AWS::EC2::NetworkInterface": 6,
    "AWS::EC2::Snapshot": 6, "AWS::Logs::LogGroup": 12, "AWS::IAM::Role": 8, "AWS::IAM::User": 5,
    "AWS::IAM::Policy": 4, "AWS::S3::Bucket": 6, "AWS::Lambda::Function": 6, "AWS::DynamoDB::Table": 2,
    "AWS::SNS::Topic": 2, "AWS::KMS::Key": 2, "AWS::SecretsManager::Secret": 2, "AWS::RDS::DBInstance": 1,
    "AWS::EC2::Subnet": 3, "AWS::CloudWatch::Alarm": 3, "AWS::ECS::TaskDefinition": 2,
}
ERROR_EVERY = 500  # one resource in this many has a failed read recorded against it


def template(path: Path = CACHE / "template.json.gz") -> dict[str, Any]:
    """The demo estate's snapshot (collected once against moto's server, then cached)."""
    if not path.exists():
        from assay.collect.runner import collect
        from assay.demo.accounts import demo_services, seed_demo
        from assay.demo.estate import REGIONS
        from assay.demo.server import moto_server

        print("collecting the demo estate once, as the template ...", flush=True)
        with moto_server() as endpoint:
            inv = collect(seed_demo(endpoint, REGIONS), regions=REGIONS, services=demo_services())
        path.parent.mkdir(parents=True, exist_ok=True)
        inv.save(path)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return doc


def _rename(raw: dict[str, Any], old: str, new: str, suffix: str) -> dict[str, Any]:
    out = dict(raw)
    out["account_id"] = new
    out["arn"] = raw["arn"].replace(old, new) + suffix
    out["id"] = f"{raw['id']}{suffix}"
    if raw.get("name"):
        out["name"] = f"{raw['name']}{suffix}"
    return out


def synthesize(doc: dict[str, Any], n_resources: int, n_accounts: int) -> Iterator[tuple[str, Any]]:
    """(section, item) pairs of a snapshot document with about `n_resources` resources."""
    base = doc["accounts"][0]["account_id"]
    own = [r for r in doc["resources"] if r["account_id"] == base]
    bulk: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in own:
        if r["type"] in BULK:
            bulk[r["type"]].append(r)
    weights = {t: w for t, w in BULK.items() if bulk.get(t)}
    total_weight = sum(weights.values())
    accounts = [f"{900000000000 + n:012d}" for n in range(n_accounts)]
    per_account = max(len(own), n_resources // n_accounts)
    fill = per_account - len(own)

    for acct in accounts:
        yield "accounts", {**doc["accounts"][0], "account_id": acct,
                           "caller_arn": doc["accounts"][0]["caller_arn"].replace(base, acct)}
        for region in doc["regions"]:
            if region["account_id"] == base:
                yield "regions", {**region, "account_id": acct}
        for cov in doc["coverage"]:
            if cov["account_id"] == base:
                yield "coverage", {**cov, "account_id": acct}
    for acct in accounts:
        for r in own:
            yield "resources", _rename(r, base, acct, "")
        made = 0
        for rtype, weight in weights.items():
            share = fill * weight // total_weight
            variants = bulk[rtype]
            for n in range(share):
                clone = _rename(variants[n % len(variants)], base, acct, f"-b{n}")
                made += 1
                if made % ERROR_EVERY == 0:
                    yield "errors", _error_for(clone, made // ERROR_EVERY)
                yield "resources", clone


@functools.cache
def _needed_actions() -> dict[str, str]:
    """Resource type -> an IAM action some control on that type needs (so that its failure matters)."""
    from assay.controls.registry import load_controls

    out: dict[str, str] = {}
    for control in sorted(load_controls().values(), key=lambda c: c.id):
        if not control.account_level and control.needs:
            out.setdefault(control.subject.type, control.needs[-1])
    return out


def _error_for(r: dict[str, Any], n: int) -> dict[str, Any]:
    """A denied read on a resource; one in ten on a resource lost from the inventory (its description
    failed), one in fifty on the listing of the resource's region."""
    action = _needed_actions().get(r["type"], "ec2:DescribeInstances")
    arn: str | None = r["arn"]
    if n % 50 == 0:
        arn = None
    elif n % 10 == 0:
        arn = f"{r['arn']}-lost"
    return {"account_id": r["account_id"], "region": r["region"], "service": action.split(":")[0],
            "operation": action, "code": "AccessDenied", "kind": "denied",
            "message": f"User is not authorized to perform: {action}", "resource_arn": arn}


def write_snapshot(doc: dict[str, Any], path: Path, n_resources: int, n_accounts: int) -> int:
    """Stream the synthetic snapshot to disk in Assay's own layout; returns the number of resources.

    Two passes over the generator: the first keeps the small sections (accounts, coverage, errors),
    which come before the resources in a snapshot, the second streams the resources.
    """
    sections: dict[str, list[Any]] = defaultdict(list)
    for section, item in synthesize(doc, n_resources, n_accounts):
        if section != "resources":
            sections[section].append(item)
    count = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        fh.write(f'{{"schema_version":{doc["schema_version"]},"meta":{json.dumps(doc["meta"])}')
        for key in ("accounts", "regions", "coverage", "errors"):
            fh.write(f',"{key}":' + json.dumps(sections.get(key, [])))
        fh.write(',"resources":[\n')  # a resource a line, as Inventory.save() writes them
        for section, item in synthesize(doc, n_resources, n_accounts):
            if section == "resources":
                fh.write((",\n" if count else "") + json.dumps(item, separators=(",", ":")))
                count += 1
        fh.write("\n]}")
    return count


def child(snapshot: Path, fmt: str, out: Path) -> None:
    """Inside the measured process: load, evaluate, report; print the phase times as JSON."""
    marks = [(time.monotonic(), time.process_time())]
    from assay.engine import evaluate
    from assay.models.inventory import Inventory
    from assay.reporters import get

    marks.append((time.monotonic(), time.process_time()))
    inv = Inventory.load(snapshot)
    marks.append((time.monotonic(), time.process_time()))
    ev = evaluate(inv)
    marks.append((time.monotonic(), time.process_time()))
    with out.open("w", encoding="utf-8") as fh:
        get(fmt).write(ev, fh)
    marks.append((time.monotonic(), time.process_time()))
    phases = {name: {"wall": marks[n + 1][0] - marks[n][0], "cpu": marks[n + 1][1] - marks[n][1]}
              for n, name in enumerate(("import", "load", "evaluate", "report"))}
    print(json.dumps({"phases": phases, "findings": len(ev.findings), "statuses": dict(ev.counts()),
                      "resources": sum(1 for _ in inv.resources())}))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--format", default="json", help="report format written after evaluation")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/assay-bench-evaluate"))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.format, args.out)
        return

    work: Path = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    doc = template()
    snapshot = work / f"synthetic-{args.resources}.json.gz"
    started = time.monotonic()
    n = write_snapshot(doc, snapshot, args.resources, args.accounts)
    built = time.monotonic() - started
    del doc
    print(f"synthetic snapshot: {n} resources over {args.accounts} accounts, {snapshot.stat().st_size / 2**20:.0f} MB "
          f"gzip, written in {built:.1f}s", flush=True)
    report = work / f"report.{args.format}"  # measured, then removed: a million resources make gigabytes
    run = measured([sys.executable, "-m", "bench.evaluate", "--child", str(snapshot), "--format", args.format,
                    "--out", str(report)], dict(os.environ), work / "logs", "evaluate")
    if run.returncode != 0:
        raise SystemExit(f"evaluation failed ({run.returncode}):\n{run.stderr[-3000:]}")
    report_mb = report.stat().st_size / 2**20 if report.exists() else 0.0
    report.unlink(missing_ok=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    phases = result["phases"]
    summary = (f"evaluated {result['resources']} resources into {result['findings']} findings: "
               + ", ".join(f"{name} {p['wall']:.1f}s wall / {p['cpu']:.1f}s CPU" for name, p in phases.items())
               + f"; whole process {run.seconds:.1f}s wall, {run.cpu_seconds:.1f}s CPU, peak RSS "
               f"{run.peak_rss_mb:.0f} MB")
    print(summary)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC):%Y-%m-%d}-evaluate-{args.resources}.md"
    path.write_text("\n".join([
        f"# Evaluation benchmark, {n} resources: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Synthetic snapshot (`python -m bench.evaluate --resources {args.resources} --accounts {args.accounts}`): "
        f"{n} resources over {args.accounts} accounts, cloned from a scan of the demo estate; "
        f"{snapshot.stat().st_size / 2**20:.0f} MB gzip. `assay evaluate`'s work in one child process "
        f"(the machine's load average when it ended: {os.getloadavg()[0]:.1f} on {len(os.sched_getaffinity(0))} "
        "cores; CPU time is the figure that does not depend on what else runs):",
        "",
        "| phase | wall seconds | CPU seconds |",
        "|---|---|---|",
        *(f"| {name} | {p['wall']:.1f} | {p['cpu']:.1f} |" for name, p in phases.items()),
        f"| whole process | {run.seconds:.1f} | {run.cpu_seconds:.1f} |",
        "",
        f"Peak RSS: {run.peak_rss_mb:.0f} MB. {args.format} report: {report_mb:.0f} MB. Findings: {result['findings']} "
        f"({', '.join(f'{v} {k}' for k, v in sorted(result['statuses'].items()))}).",
        "",
    ]))
    print(f"results: {path}")


if __name__ == "__main__":
    main()
