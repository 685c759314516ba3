"""Shards per second on Celery workers (1, 2 and 4 worker processes) against the local pool, same estate.

    python -m bench.celery_bench [--members 10] [--size 2] [--repeat 3] [--out bench/results]

Starts its own moto organisation (`assay.demo.fleet`), a PostgreSQL schema of its own in database
`test` on 127.0.0.1 and, for each run, fresh `assay worker` processes (prefork, one pool process
each) on Redis at 127.0.0.1:6379; then a run where one of two workers is SIGKILLed mid-shard.
Writes <date>-celery.json and .md to --out. Every figure includes planning (STS and
DescribeRegions per account), which is the same work on both paths.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean, median
from typing import Any

import sqlalchemy as sa

from assay.collect.runner import collect
from assay.demo.fleet import SERVICES, fleet_accesses
from assay.demo.server import DEMO_CREDENTIALS
from assay.distributed.coordinator import collect_distributed
from assay.distributed.ledger import Ledger, engine_for
from assay.distributed.settings import Settings
from assay.models.inventory import CoverageStatus, Inventory

REGIONS = ["us-east-1", "eu-west-1"]
PG = "postgresql://postgres@127.0.0.1:5432/test"


class Pool:
    """N `assay worker` processes, each in its own process group so that one can be killed whole."""

    def __init__(self, settings: Settings, n: int, logs: Path, tag: str) -> None:
        self.settings, self.logs, self.tag = settings, logs, tag
        self.procs: list[tuple[str, subprocess.Popen[bytes], Path]] = []
        for i in range(1, n + 1):
            name = f"b{i}-{tag}"
            log = logs / f"{name}.log"
            with log.open("wb") as fh:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "assay", "worker", "--pool", "prefork", "--concurrency", "1", "-n",
                     f"{name}@%h", "--without-mingle", "--without-gossip", "--without-heartbeat",
                     "--loglevel", "INFO"],
                    env={**os.environ, **settings.environ()}, stdout=fh, stderr=subprocess.STDOUT,
                    start_new_session=True)
            self.procs.append((name, proc, log))
        deadline = time.monotonic() + 90
        for name, proc, log in self.procs:
            while b" ready." not in log.read_bytes():
                if proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"worker {name} did not start:\n{log.read_text()[-2000:]}")
                time.sleep(0.2)

    def kill(self, hostname: str) -> str:
        for name, proc, _ in self.procs:
            if hostname.startswith(f"{name}@"):
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return name
        raise KeyError(hostname)

    def stop(self) -> None:
        for _, proc, _ in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for _, proc, _ in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def shards_of(inv: Inventory) -> int:
    return sum(1 for c in inv.coverage if c.status is not CoverageStatus.NOT_ENABLED)


def ledger_times(ledger: Ledger, scan_id: str) -> dict[str, float]:
    rows = ledger.rows(scan_id)
    wait = [r["started_at"] - r["queued_at"] for r in rows if r["started_at"]]
    run = [r["finished_at"] - r["started_at"] for r in rows if r["finished_at"] and r["started_at"]]
    return {"mean_queue_wait_s": round(mean(wait), 3) if wait else 0.0,
            "mean_shard_s": round(mean(run), 3) if run else 0.0}


def run_local(endpoint: str, members: int, threads: int, repeat: int) -> dict[str, Any]:
    times = []
    for _ in range(repeat):
        started = time.monotonic()
        inv = collect(fleet_accesses(endpoint, members), REGIONS, SERVICES, max_workers=threads)
        times.append(time.monotonic() - started)
    secs = median(times)
    return {"runner": f"local pool, {threads} threads", "shards": shards_of(inv), "seconds": round(secs, 2),
            "shards_per_s": round(shards_of(inv) / secs, 2), "runs_s": [round(t, 2) for t in times]}


def run_celery(endpoint: str, members: int, settings: Settings, n: int, logs: Path, repeat: int) -> dict[str, Any]:
    pool = Pool(settings, n, logs, f"{n}w-{uuid.uuid4().hex[:6]}")
    times, scans = [], []
    try:
        for _ in range(repeat):
            started = time.monotonic()
            inv = collect_distributed(fleet_accesses(endpoint, members), REGIONS, SERVICES, settings=settings)
            times.append(time.monotonic() - started)
            scans.append(inv.meta.scan_id)
    finally:
        pool.stop()
    secs = median(times)
    scan = scans[times.index(secs)] if secs in times else scans[-1]
    waits = ledger_times(Ledger(engine_for(settings.db)), scan)
    return {"runner": f"celery, {n} worker process{'es' if n > 1 else ''}", "shards": shards_of(inv),
            "seconds": round(secs, 2), "shards_per_s": round(shards_of(inv) / secs, 2),
            "runs_s": [round(t, 2) for t in times], **waits, "complete": inv.complete}


def run_killed(endpoint: str, members: int, settings: Settings, logs: Path, kill: bool = True) -> dict[str, Any]:
    """Two workers; one is SIGKILLed while it runs a shard (or not: the baseline). Shards are slowed to
    1 request per second: a KMS shard then takes about 5 s, and is killed within 2 s of its start."""
    accesses = fleet_accesses(endpoint, min(members, 5), max_rate=1)
    services = ["kms", "sns"]
    pool = Pool(settings, 2, logs, f"kill-{uuid.uuid4().hex[:6]}")
    ledger = Ledger(engine_for(settings.db))
    out: dict[str, Any] = {}
    try:
        started = time.monotonic()
        thread = threading.Thread(target=lambda: out.update(inv=collect_distributed(
            accesses, ["us-east-1"], services, settings=settings)), daemon=True)
        thread.start()
        victim = None
        while kill and victim is None and thread.is_alive():
            with ledger.engine.connect() as conn:
                now = time.time()
                row = conn.execute(sa.text(
                    "SELECT shard_key, worker FROM dist_shards WHERE state = 'running' AND shard_key LIKE '%/kms' "
                    "AND started_at BETWEEN :early AND :late LIMIT 1"), {"early": now - 2.0, "late": now - 0.3}).first()
            if row is not None:
                victim = (row[0], pool.kill(row[1]))
            time.sleep(0.05)
        killed_at = time.monotonic()
        thread.join()
        done = time.monotonic()
    finally:
        pool.stop()
    inv: Inventory = out["inv"]
    if victim is None:
        return {"shards": shards_of(inv), "seconds": round(done - started, 2), "complete": inv.complete}
    moved = next(r for r in ledger.rows(inv.meta.scan_id) if r["shard_key"] == victim[0])
    return {"shards": shards_of(inv), "seconds": round(done - started, 2),
            "seconds_after_kill": round(done - killed_at, 2), "killed_worker": victim[1],
            "killed_shard": victim[0], "redelivered_to": moved["worker"],
            "deliveries": moved["deliveries"], "complete": inv.complete,
            "visibility_timeout_s": settings.visibility_timeout}


def _interrupt(*_: Any) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=10, help="accounts in the organisation")
    parser.add_argument("--size", type=int, default=2, help="resources per kind per account")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration; the median is reported")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _interrupt)  # clean up workers, the estate and the schema when stopped

    os.environ.update({"AWS_ACCESS_KEY_ID": DEMO_CREDENTIALS["aws_access_key_id"],
                       "AWS_SECRET_ACCESS_KEY": DEMO_CREDENTIALS["aws_secret_access_key"],
                       "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"})
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        os.environ.pop(k, None)
    tag = uuid.uuid4().hex[:8]
    schema = f"bench_{tag}"
    admin = sa.create_engine(PG.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    logs = Path(f"/tmp/assay-celery-bench-{tag}")
    logs.mkdir()
    settings = Settings(broker="redis://127.0.0.1:6379/9", queue=f"bench-{tag}", prefix=f"bench-{tag}:",
                        db=f"{PG}?options=-csearch_path%3D{schema}", attempts=3, retry_delay=1.0, time_limit=120,
                        visibility_timeout=10, scan_timeout=1800, poll=0.1)
    fleet = subprocess.Popen([sys.executable, "-m", "assay.demo.fleet", str(args.members), str(args.size)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    runs: list[dict[str, Any]] = []
    load = os.getloadavg()
    try:
        assert fleet.stdout is not None
        endpoint = fleet.stdout.readline().split()[1]
        engine_for(settings.db)
        print(f"estate: {args.members} accounts x {len(REGIONS)} regions x {len(SERVICES)} services on {endpoint}",
              flush=True)
        for threads in (1, 2, 4, 8):
            runs.append(run_local(endpoint, args.members, threads, args.repeat))
            print(runs[-1], flush=True)
        for n in (1, 2, 4):
            runs.append(run_celery(endpoint, args.members, settings, n, logs, args.repeat))
            print(runs[-1], flush=True)
        baseline = run_killed(endpoint, args.members, replace(settings, queue=f"bench-base-{tag}"), logs, kill=False)
        killed = run_killed(endpoint, args.members, replace(settings, queue=f"bench-kill-{tag}"), logs)
        killed["seconds_without_kill"] = baseline["seconds"]
        print(killed, flush=True)
    finally:
        fleet.terminate()
        fleet.wait()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        import redis

        client = redis.Redis.from_url(settings.broker)
        stale = list(client.scan_iter(match=f"{settings.prefix}*"))
        if stale:
            client.delete(*stale)
    write(args, runs, killed, load)


def write(args: argparse.Namespace, runs: list[dict[str, Any]], killed: dict[str, Any],
          load: tuple[float, float, float], day: str | None = None) -> None:
    import celery

    day = day or datetime.now(UTC).strftime("%Y-%m-%d")
    doc = {"date": day, "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                    "load_average_at_start": [round(x, 2) for x in load]},
           "celery": celery.__version__, "broker": "redis 127.0.0.1", "database": "postgresql 127.0.0.1",
           "estate": {"accounts": args.members, "regions": REGIONS, "services": SERVICES, "size": args.size},
           "runs": runs, "killed_worker": killed}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{day}-celery.json").write_text(json.dumps(doc, indent=2) + "\n")
    local1 = next(r for r in runs if r["runner"] == "local pool, 1 threads")
    local8 = next(r for r in runs if r["runner"] == "local pool, 8 threads")
    celery1 = next(r for r in runs if r["runner"] == "celery, 1 worker process")
    overhead_ms = (celery1["seconds"] - local1["seconds"]) / local1["shards"] * 1000
    lines = [
        f"# Distributed scans on Celery: shards per second ({day})",
        "",
        f"Estate: {args.members} moto accounts (`assay.demo.fleet`, {args.size} resources per kind) x "
        f"{len(REGIONS)} regions x {len(SERVICES)} services = {runs[0]['shards']} shards. Machine: "
        f"{os.cpu_count()} CPUs shared with the moto server, Redis and PostgreSQL (load average at start "
        f"{load[0]:.1f}). Median of {args.repeat} runs each. Command: "
        f"`python -m bench.celery_bench --members {args.members} --size {args.size} --repeat {args.repeat}`.",
        "",
        "| runner | seconds (median) | shards/s | vs local pool, same concurrency | each run (s) "
        "| mean wait in queue (s) | mean shard (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        same = None
        if r["runner"].startswith("celery"):
            n = int(r["runner"].split(", ")[1].split()[0])
            same = next((x for x in runs if x["runner"] == f"local pool, {n} threads"), None)
        ratio = f"{r['seconds'] / same['seconds']:.2f}x the time" if same else ""
        each = ", ".join(str(t) for t in r.get("runs_s", []))
        lines.append(f"| {r['runner']} | {r['seconds']} | {r['shards_per_s']} | {ratio} | {each} | "
                     f"{r.get('mean_queue_wait_s', '')} | {r.get('mean_shard_s', '')} |")
    lines += [
        "",
        f"Queue overhead per shard, one worker process against one local thread: {overhead_ms:.0f} ms. "
        f"Local pool default (8 threads): {local8['shards_per_s']} shards/s. A worker's first scan is its "
        "slowest: it loads the service models and assumes each account's role once, then keeps credentials "
        "and clients for later scans, while each local scan assumes the roles and builds its clients afresh.",
        "",
        f"Killed worker: two workers, shards slowed to 1 request/s, one worker SIGKILLed while running "
        f"{killed['killed_shard']}; redelivered to {killed['redelivered_to']} after the "
        f"{killed['visibility_timeout_s']:.0f}s visibility timeout; scan of {killed['shards']} shards "
        f"(complete: {killed['complete']}) in {killed['seconds']}s, {killed['seconds_after_kill']}s after the kill; "
        f"the same scan without a kill: {killed['seconds_without_kill']}s.",
        "",
    ]
    (args.out / f"{day}-celery.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
