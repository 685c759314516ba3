"""What changed since a previous scan: new failures, resolved failures, criteria that changed state.

The previous state is plain data (finding id -> status, criterion id -> state), so it can come from
anywhere that remembers a scan: a saved snapshot (re-evaluated here), a JSON report (`-f json`), or
the scan store (the newest complete stored scan of the same framework and accounts). Finding ids
are stable across scans (a hash of control, account, region and resource), which is what makes the
comparison exact.

A finding that failed before and cannot be evaluated now (ERROR) is not resolved: unknown is never
a pass. It is counted apart, as `unknown_now`.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay.engine import Evaluation
from assay.errors import UsageError
from assay.models.findings import Finding, Status

if TYPE_CHECKING:
    from assay.store import Store


@dataclass(frozen=True)
class PreviousState:
    findings: dict[str, str]  # finding id -> status ("pass", "fail", "error", "skip")
    criteria: dict[str, str]  # criterion id -> state ("pass", "fail", "error", "manual", ...)
    label: str = ""  # what it is, for people: "scan 3f2a... of 2024-05-01T12:03:27+00:00"


@dataclass(frozen=True)
class CriterionChange:
    id: str
    title: str
    before: str
    after: str


@dataclass(frozen=True)
class Changes:
    previous: PreviousState
    new_failures: list[Finding] = field(default_factory=list)  # FAIL now (not excepted), not FAIL before
    resolved: list[Finding] = field(default_factory=list)  # FAIL before, PASS or not applicable now
    unknown_now: list[Finding] = field(default_factory=list)  # FAIL before, ERROR now
    criteria: list[CriterionChange] = field(default_factory=list)


def compare(ev: Evaluation, previous: PreviousState) -> Changes:
    before = previous.findings
    new = [f for f in ev.findings
           if f.status is Status.FAIL and not f.excepted and before.get(f.id) != Status.FAIL.value]
    was_failing = [f for f in ev.findings if before.get(f.id) == Status.FAIL.value]
    resolved = [f for f in was_failing if f.status in (Status.PASS, Status.SKIP)]
    unknown = [f for f in was_failing if f.status is Status.ERROR]
    crit = [CriterionChange(c.id, c.title, previous.criteria[c.id], c.status) for c in ev.criteria
            if c.id in previous.criteria and previous.criteria[c.id] != c.status]
    return Changes(previous, new, resolved, unknown, crit)


def state_of(ev: Evaluation) -> PreviousState:
    meta = ev.inventory.meta
    return PreviousState(
        findings={f.id: f.status.value for f in ev.findings},
        criteria={c.id: c.status for c in ev.criteria},
        label=f"scan {meta.scan_id} of {meta.finished_at.isoformat()}",
    )


def state_of_store(store: Store, ev: Evaluation, *, page: int = 10_000) -> PreviousState | None:
    """The newest complete stored scan of the same framework and account(s), other than this one."""
    accounts = set(ev.inventory.account_ids())
    if not accounts:
        return None
    for rec in store.scans(limit=50, account=min(accounts)):
        if not rec.complete or rec.framework != ev.framework.id or rec.uuid == ev.inventory.meta.scan_id:
            continue
        findings: dict[str, str] = {}
        offset = 0
        while True:
            rows = store.findings(rec.id, limit=page, offset=offset)
            findings.update((r.finding_id, r.status) for r in rows.items)
            offset += len(rows.items)
            if not rows.items or offset >= rows.total:
                break
        criteria = {c.id: c.status for c in store.criteria(rec.id)}
        return PreviousState(findings, criteria, f"stored scan #{rec.id} of {rec.finished_at.isoformat()}")
    return None


def stored_previous(db: str | None, ev: Evaluation) -> PreviousState | None:
    """state_of_store() from the store at `db` ($ASSAY_DB, the default); None when no store exists yet."""
    from assay.store import open_store
    from assay.store.connect import resolve_url, sqlite_file

    path = sqlite_file(resolve_url(db))
    if path is not None and not path.exists():  # no history yet: do not create a store just to read it
        return None
    store = open_store(db)
    try:
        return state_of_store(store, ev)
    finally:
        store.close()


def state_of_report(doc: Any, source: str) -> PreviousState:
    """The state recorded in a JSON report (`assay ... -f json`)."""
    try:
        findings = {str(f["id"]): str(f["status"]) for f in doc["findings"]}
        criteria = {str(c["id"]): str(c["status"]) for c in doc["criteria"]}
        scan = doc.get("scan") or {}
    except (KeyError, TypeError, AttributeError):
        raise UsageError(f"{source} is not an Assay JSON report (needs findings and criteria with id and status)"
                         ) from None
    label = f"scan {scan.get('scan_id', '?')} of {scan.get('finished_at', '?')}" if isinstance(scan, dict) else ""
    return PreviousState(findings, criteria, label)


def load_previous(path: str | PathLike[str], *, framework: str = "soc2",
                  params: dict[str, dict[str, Any]] | None = None) -> PreviousState:
    """A snapshot (gzip, re-evaluated with the same framework and parameters) or a JSON report."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            magic = fh.read(2)
    except FileNotFoundError:
        raise UsageError(f"--previous {path} does not exist") from None
    except OSError as exc:
        raise UsageError(f"--previous {path} cannot be read: {exc}") from None
    if magic == b"\x1f\x8b":
        from assay.engine import evaluate
        from assay.frameworks import load
        from assay.models.inventory import Inventory

        return state_of(evaluate(Inventory.load(path), params=params, framework=load(framework)))
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, gzip.BadGzipFile):
        raise UsageError(f"--previous {path} is neither a snapshot nor a JSON report") from None
    return state_of_report(doc, f"--previous {path}")
