"""Store benchmark: ingest 50 scans of 2,000 findings (100,000 in all), then time the dashboard's page queries.

    python -m bench.store_bench                                   # a temporary SQLite file
    python -m bench.store_bench --db postgresql://postgres@127.0.0.1/test
    python -m bench.store_bench --scans 10 --per-scan 10000

Prints ingest time per scan and, per query, the time of one page (50 rows, with its total count).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from assay.engine import CriterionResult, Evaluation
from assay.frameworks import CriterionKind, soc2
from assay.models.findings import Finding, Severity, Status, finding_id
from assay.models.inventory import AccountInfo, Coverage, CoverageStatus, Inventory, RegionInfo, RegionStatus, ScanMeta
from assay.store import Store, open_store

ACCOUNTS = [f"{n:012d}" for n in (111111111111, 222222222222, 333333333333, 444444444444, 555555555555)]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "global"]
SEVERITIES = list(Severity)
CONTROLS = [f"svc{c % 8}.control_{c:02d}" for c in range(40)]
CRITERIA = {"CC6.1": CONTROLS[:15], "CC6.6": CONTROLS[10:25], "CC7.2": CONTROLS[25:]}
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def synthetic(scan: int, per_scan: int) -> Evaluation:
    """One scan's evaluation, built directly: the store is what is measured, not the engine."""
    findings = []
    for n in range(per_scan):
        control = CONTROLS[n % len(CONTROLS)]
        account, region = ACCOUNTS[n % len(ACCOUNTS)], REGIONS[(n // 7) % len(REGIONS)]
        arn = f"arn:aws:svc:{region}:{account}:thing/res-{n:06d}"
        roll = (n * 7 + scan * 13) % 100
        status = Status.FAIL if roll < 30 else Status.ERROR if roll < 33 else Status.SKIP if roll < 40 else Status.PASS
        findings.append(Finding(
            id=finding_id(control, account, region, arn), control_id=control, title=f"Title of {control}",
            severity=SEVERITIES[n % len(SEVERITIES)], status=status, resource_arn=arn, resource_id=f"res-{n:06d}",
            resource_name=f"name-{n:06d}", resource_type="AWS::Svc::Thing", region=region, account_id=account,
            message=f"message {roll}", criteria=[c for c, ids in CRITERIA.items() if control in ids]))
    started = T0 + timedelta(hours=12 * scan)
    meta = ScanMeta(scan_id=f"bench-{scan}", tool_version="bench", started_at=started,
                    finished_at=started + timedelta(minutes=5))
    inv = Inventory(meta, [AccountInfo(account_id=a) for a in ACCOUNTS],
                    [RegionInfo(account_id=a, region=r, status=RegionStatus.SCANNED) for a in ACCOUNTS
                     for r in REGIONS[:3]],
                    [Coverage(account_id=a, region=r, service="svc", status=CoverageStatus.COMPLETE)
                     for a in ACCOUNTS for r in REGIONS[:3]], [], [])
    criteria = [CriterionResult(id=c, title=c, category="security", kind=CriterionKind.AUTOMATED, status="fail",
                                rationale="", evidence="", controls=tuple(ids), counts={})
                for c, ids in CRITERIA.items()]
    return Evaluation(inv, soc2(), {}, findings, criteria)


def populate(store: Store, scans: int = 50, per_scan: int = 2000) -> list[float]:
    seconds = []
    for scan in range(scans):
        ev = synthetic(scan, per_scan)
        started = time.perf_counter()
        store.ingest(ev)
        seconds.append(time.perf_counter() - started)
    return seconds


def page_queries(scan_id: int) -> dict[str, Callable[[Store], Any]]:
    return {
        "scan, first page": lambda s: s.findings(scan_id, limit=50),
        "scan, page 30": lambda s: s.findings(scan_id, limit=50, offset=1500),
        "status=fail": lambda s: s.findings(scan_id, status="fail", limit=50),
        "severity=critical": lambda s: s.findings(scan_id, severity="critical", limit=50),
        "account": lambda s: s.findings(scan_id, account=ACCOUNTS[2], limit=50),
        "region": lambda s: s.findings(scan_id, region="eu-west-1", limit=50),
        "control": lambda s: s.findings(scan_id, control=CONTROLS[7], limit=50),
        "criterion": lambda s: s.findings(scan_id, criterion="CC6.6", limit=50),
        "status+severity+account": lambda s: s.findings(scan_id, status="fail", severity="high",
                                                        account=ACCOUNTS[1], limit=50),
        "search": lambda s: s.findings(scan_id, search="res-0012", limit=50),
        "sorted by severity": lambda s: s.findings(scan_id, sort="severity", limit=50),
        "one finding's history": lambda s: s.finding_history(s.findings(1, limit=1).items[0].finding_id),
        "history (20 scans)": lambda s: s.history(limit=20),
        "diff of the last two": lambda s: s.diff(),
    }


def time_queries(store: Store, scan_id: int, repeat: int = 3) -> dict[str, float]:
    out = {}
    for name, query in page_queries(scan_id).items():
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            query(store)
            best = min(best, time.perf_counter() - started)
        out[name] = best
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="store URL (default: a temporary SQLite file)")
    parser.add_argument("--scans", type=int, default=50)
    parser.add_argument("--per-scan", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(args.db or f"sqlite:///{Path(tmp) / 'bench.db'}", key_path=Path(tmp) / "key.pem")
        ingest = populate(store, args.scans, args.per_scan)
        print(f"ingested {args.scans} scans x {args.per_scan} findings: {sum(ingest):.1f}s "
              f"(median {sorted(ingest)[len(ingest) // 2] * 1000:.0f} ms per scan)")
        for name, seconds in time_queries(store, args.scans).items():
            print(f"{name:<28} {seconds * 1000:8.1f} ms")
        store.close()


if __name__ == "__main__":
    main()
