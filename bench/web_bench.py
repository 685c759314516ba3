"""Dashboard speed: every page and API route over a store of 100,000 findings in 50 scans.

    python bench/web_bench.py                        # SQLite in a temporary directory
    python bench/web_bench.py --db postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench
    python bench/web_bench.py --scans 10 --findings 20000 --requests 10

The store is filled through `Store.ingest` (the same bulk inserts, carry-forward, hash chain and
signatures as a real scan), from synthetic inventories: two accounts, three regions, KMS keys and
S3 buckets whose settings drift from scan to scan; every tenth scan is partial (KMS denied in one
region). Then `assay serve` runs in its own process and each route is requested over HTTP, signed
in, several times after one warm-up request; the median and 95th percentile are recorded in
bench/results/. Target: under 300 ms for every route.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from assay.controls.registry import load_controls
from assay.engine import Evaluation, evaluate
from assay.models.inventory import (
    AccountInfo,
    CollectionError,
    Coverage,
    CoverageStatus,
    ErrorKind,
    Inventory,
    RegionInfo,
    RegionStatus,
    ScanMeta,
)
from assay.models.resources.kms import KmsKey
from assay.models.resources.s3 import S3Bucket

TARGET_MS = 300.0
ACCOUNTS = ("111111111111", "222222222222")
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
CONTROLS = ("kms.key_rotation_enabled", "kms.key_policy_not_public", "kms.key_not_pending_deletion",
            "s3.bucket_versioning_enabled", "s3.bucket_default_encryption")
PUBLIC = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}
RESULTS = Path(__file__).resolve().parent / "results"
PASSWORD = "bench-password-1"


# -- filling the store ---------------------------------------------------------------------------

def inventory(step: int, per_scan: int, when: datetime, rng: random.Random) -> Inventory:
    """About `per_scan` findings: 3 per key, 2 per bucket; a drifting share of them failing."""
    keys = per_scan // 5  # 60% of the findings from keys (3 each), 40% from buckets (2 each)
    buckets = (per_scan - keys * 3) // 2
    partial = step % 10 == 0
    resources: list[Any] = []
    i = 0
    while len(resources) < keys:  # a partial scan misses one region's keys: it has more elsewhere
        i += 1
        account, region = ACCOUNTS[i % 2], REGIONS[i % 3]
        if partial and account == ACCOUNTS[0] and region == REGIONS[1]:
            continue
        resources.append(KmsKey(
            arn=f"arn:aws:kms:{region}:{account}:key/k-{i:05d}", id=f"k-{i:05d}", account_id=account, region=region,
            name=f"key-{i:05d}", tags={"team": f"team-{i % 7}"}, manager="CUSTOMER", state="Enabled",
            spec="SYMMETRIC_DEFAULT", rotation_enabled=rng.random() > 0.2,
            policy=PUBLIC if rng.random() < 0.02 else {"Statement": []}))
    for i in range(buckets):
        account = ACCOUNTS[i % 2]
        resources.append(S3Bucket(
            arn=f"arn:aws:s3:::bucket-{i:05d}", id=f"bucket-{i:05d}", account_id=account, region=REGIONS[i % 3],
            name=f"bucket-{i:05d}", tags={"data": "internal"}, versioning="Enabled" if rng.random() > 0.3 else "",
            encryption_algorithm="AES256" if rng.random() > 0.1 else ""))
    coverage, errors = [], []
    for account in ACCOUNTS:
        coverage.append(Coverage(account_id=account, region="global", service="s3", status=CoverageStatus.COMPLETE))
        for region in REGIONS:
            denied = partial and account == ACCOUNTS[0] and region == REGIONS[1]
            coverage.append(Coverage(account_id=account, region=region, service="kms",
                                     status=CoverageStatus.DENIED if denied else CoverageStatus.COMPLETE))
            if denied:
                errors.append(CollectionError(account_id=account, region=region, service="kms",
                                              operation="kms:ListKeys", code="AccessDenied", kind=ErrorKind.DENIED,
                                              message="not authorized to perform kms:ListKeys"))
    meta = ScanMeta(scan_id=f"bench-{step:03d}", tool_version="bench", started_at=when - timedelta(minutes=5),
                    finished_at=when, requested_regions=list(REGIONS))
    return Inventory(meta=meta, accounts=[AccountInfo(account_id=a) for a in ACCOUNTS],
                     regions=[RegionInfo(account_id=a, region=r, status=RegionStatus.SCANNED)
                              for a in ACCOUNTS for r in REGIONS],
                     coverage=coverage, resources=resources, errors=errors)


def fill(store: Any, scans: int, findings: int) -> dict[str, Any]:
    controls = {cid: c for cid, c in load_controls().items() if cid in CONTROLS}
    rng = random.Random(20_240_501)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=12 * scans)
    per_scan = findings // scans
    t0 = time.perf_counter()
    stored = 0
    for step in range(1, scans + 1):
        ev: Evaluation = evaluate(inventory(step, per_scan, start + timedelta(hours=12 * step), rng),
                                  controls=controls)
        store.ingest(ev)
        stored += len(ev.findings)
        print(f"\rscan {step}/{scans}: {stored} findings", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    with store.engine.connect() as conn:
        from sqlalchemy import func, select

        from assay.store.tables import FindingTable

        rows = int(conn.execute(select(func.count()).select_from(FindingTable)).scalar_one())
    return {"scans": scans, "findings_evaluated": stored, "finding_rows": rows,
            "fill_seconds": round(time.perf_counter() - t0, 1)}


# -- timing the routes ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """One keep-alive HTTP connection with the session cookie, as a browser would hold it."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("set-cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0].strip('"')
        return response.status, text

    def sign_in(self, name: str, password: str) -> None:
        _, form = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token, "no sign-in form"
        status, _ = self.request("POST", "/login", urlencode({"username": name, "password": password,
                                                              "csrf_token": token.group(1), "next": "/"}))
        assert status == 303, f"sign-in failed: {status}"


def routes(latest: int, finding_id: str) -> list[str]:
    older, oldest = max(1, latest - 1), max(1, latest // 2)
    pages = [
        "/", f"/?scan={oldest}", "/criteria/CC6.1", "/criteria/CC6.1?status=any&per_page=200",
        "/criteria/A1.2?region=eu-west-1", "/criteria/CC1.1", "/controls/kms.key_rotation_enabled",
        "/controls/s3.bucket_versioning_enabled?status=pass&page=3", f"/findings/{finding_id}",
        "/resources", "/resources?q=bucket-001&status=fail", "/resources?account=222222222222&severity=critical",
        "/resources?page=20&per_page=50", "/scans", "/history", "/history?criterion=CC6.1&criterion=A1.2&limit=200",
        "/diff", f"/diff?old={oldest}&new={latest}&show=still_failing", "/exceptions", "/coverage",
        f"/coverage?scan={older}",
    ]
    api = [
        "/api/me", "/api/scans", f"/api/scans/{latest}", "/api/overview", "/api/criteria", "/api/criteria/CC6.1",
        "/api/controls/kms.key_rotation_enabled", "/api/findings", "/api/findings?q=key-000&status=fail",
        f"/api/findings/{finding_id}", "/api/history", f"/api/diff?old={oldest}&new={latest}", "/api/exceptions",
        "/api/attestations", "/api/coverage", "/api/openapi.json",
    ]
    return pages + api


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(port: int, latest: int, requests: int) -> list[dict[str, Any]]:
    client = Client(port)
    client.sign_in("bench", PASSWORD)
    status, body = client.request("GET", "/api/findings?status=fail&per_page=1")
    assert status == 200, body[:200]
    finding_id = json.loads(body)["items"][0]["finding_id"]
    out = []
    for path in routes(latest, finding_id):
        status, body = client.request("GET", path)  # warm-up: the first request of a route fills caches
        first = time.perf_counter()
        client.request("GET", path)
        second = (time.perf_counter() - first) * 1000
        times = [second]
        for _ in range(requests - 1):
            t = time.perf_counter()
            client.request("GET", path)
            times.append((time.perf_counter() - t) * 1000)
        row = {"route": path, "status": status, "bytes": len(body.encode()),
               "median_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
               "max_ms": round(max(times), 1)}
        out.append(row)
        flag = "" if row["p95_ms"] < TARGET_MS else "  OVER TARGET"
        print(f"{row['median_ms']:8.1f} {row['p95_ms']:8.1f}  {status}  {path}{flag}", file=sys.stderr)
    return out


def cold(port: int, latest: int) -> list[dict[str, Any]]:
    """First requests on a fresh process for the routes that read a scan's snapshot (then memoised)."""
    client = Client(port)
    client.sign_in("bench", PASSWORD)
    out = []
    for path in (f"/coverage?scan={latest}", "/", f"/api/diff?old={max(1, latest - 2)}&new={latest}"):
        t = time.perf_counter()
        status, _ = client.request("GET", path)
        out.append({"route": path, "status": status, "first_ms": round((time.perf_counter() - t) * 1000, 1)})
    return out


def serve(db: str, port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-m", "assay", "serve", "--port", str(port), "--db", db],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"assay serve exited: {proc.stderr.read() if proc.stderr else ''}") from None
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("assay serve did not start within 60 s")


def report(meta: dict[str, Any], rows: list[dict[str, Any]], first: list[dict[str, Any]]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stem = f"{datetime.now(UTC):%Y-%m-%d}-web-{meta['backend']}-{meta['finding_rows']}"
    (RESULTS / f"{stem}.json").write_text(json.dumps({"meta": meta, "routes": rows, "cold": first}, indent=2) + "\n")
    worst = max(rows, key=lambda r: r["p95_ms"])
    lines = [
        f"# Dashboard routes over {meta['finding_rows']:,} stored findings in {meta['scans']} scans",
        "",
        f"{meta['date']} · {meta['backend']} · {meta['cpus']} CPUs · Python {meta['python']} · "
        f"{meta['requests']} requests per route after one warm-up, over HTTP to `assay serve` (one process), "
        f"signed in. Store filled through `Store.ingest` in {meta['fill_seconds']} s.",
        "",
        f"Target: every route under {TARGET_MS:.0f} ms. Slowest p95: {worst['p95_ms']} ms ({worst['route']}); "
        f"{sum(1 for r in rows if r['p95_ms'] >= TARGET_MS)} route(s) over the target.",
        "",
        "| route | status | median ms | p95 ms | max ms | bytes |",
        "|---|---|---:|---:|---:|---:|",
        *(f"| `{r['route']}` | {r['status']} | {r['median_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['bytes']:,} |"
          for r in rows),
        "",
        "First request in a fresh process (reads and memoises the scan's snapshot or diff):",
        "",
        "| route | status | ms |",
        "|---|---|---:|",
        *(f"| `{r['route']}` | {r['status']} | {r['first_ms']} |" for r in first),
        "",
    ]
    path = RESULTS / f"{stem}.md"
    path.write_text("\n".join(lines))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="store URL (default: a SQLite file in a temporary directory)")
    parser.add_argument("--scans", type=int, default=50)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per route")
    args = parser.parse_args()

    from assay.store import open_store
    from assay.web.users import Role, add_user

    workdir = Path(tempfile.mkdtemp(prefix="assay-web-bench-"))
    db = args.db or f"sqlite:///{workdir / 'assay.db'}"
    store = open_store(db, key_path=workdir / "signing.key")
    if store.count_scans():
        raise SystemExit(f"{db} already holds scans: give the bench an empty store")
    meta = fill(store, args.scans, args.findings)
    add_user(store.engine, "bench", Role.VIEWER, PASSWORD)
    latest = store.latest(complete_only=False)
    assert latest is not None
    store.close()
    meta |= {"date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "backend": db.split(":", 1)[0],
             "cpus": os.cpu_count(), "python": platform.python_version(), "requests": args.requests}
    port = free_port()
    proc = serve(db, port)
    try:
        first = cold(port, latest.id)
        rows = measure(port, latest.id, args.requests)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    path = report(meta, rows, first)
    print(path.read_text())
    return 0 if all(r["p95_ms"] < TARGET_MS and r["status"] == 200 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
