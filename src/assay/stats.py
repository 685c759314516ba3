"""What a scan cost, from the snapshot's own metadata: API calls per operation, retries, time per service.

Printed by `--stats` after scan, collect and evaluate, so the figures of a saved snapshot can be
read back later exactly as they were at collection time.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from assay.models.inventory import CoverageStatus, Inventory


def account_lines(inv: Inventory) -> list[str]:
    """One line per account: resources, shards and state; failed accounts with their reason."""
    shards: dict[str, list[str]] = defaultdict(list)
    resources: Counter[str] = Counter()
    for c in inv.coverage:
        if c.status is CoverageStatus.NOT_ENABLED:
            continue
        shards[c.account_id].append(c.status.value)
        resources[c.account_id] += c.resources
    lines = []
    for a in inv.accounts:
        if a.status != "scanned":
            lines.append(f"  {a.account_id}  FAILED: {a.reason}")
            continue
        statuses = shards.get(a.account_id, [])
        gaps = sum(1 for s in statuses if s != "complete")
        state = "complete" if not gaps else f"{gaps} shard(s) incomplete"
        lines.append(f"  {a.account_id}  {resources[a.account_id]} resources, {len(statuses)} shards, {state}")
    return lines


def stats_lines(inv: Inventory) -> list[str]:
    meta = inv.meta
    calls = meta.api_calls
    total = sum(calls.values())
    width = max((len(op) for op in calls), default=10)
    out = [f"API calls: {total} in all, {len(calls)} operations; {meta.retries} retried; "
           f"{meta.requeued_shards} shard(s) requeued after throttling"]
    for op, n in sorted(calls.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"  {op:<{width}}  {n:>8}")
    out.append(f"  {'total':<{width}}  {total:>8}")

    seconds: dict[str, float] = defaultdict(float)
    shard_calls: Counter[str] = Counter()
    shards: Counter[str] = Counter()
    for c in inv.coverage:
        if c.status is CoverageStatus.NOT_ENABLED:
            continue
        seconds[c.service] += c.seconds
        shard_calls[c.service] += c.api_calls
        shards[c.service] += 1
    if seconds:
        wall = (meta.finished_at - meta.started_at).total_seconds()
        out.append(f"Time per service (sum of its shards' wall time; the scan took {wall:.1f}s with shards in "
                   "parallel):")
        swidth = max(len(s) for s in seconds)
        for svc, secs in sorted(seconds.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"  {svc:<{swidth}}  {secs:>8.2f}s  {shards[svc]:>4} shards  {shard_calls[svc]:>7} calls")
    if len(inv.accounts) > 1:
        out.append("Accounts:")
        out += account_lines(inv)
    return out
