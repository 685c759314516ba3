"""The report document: one plain structure every reporter renders, and the JSON contract.

    {"scan": {...}, "findings": [...], "criteria": [...], "coverage": [...], "controls": {...}, "errors": [...],
     "exceptions": [...]}

`scan`, `findings`, `criteria` and `coverage` are a stable contract that other tools read; new keys
may be added, existing ones keep their names and meanings.

Exceptions: a finding covered by an active exception keeps `status: "fail"` and has `excepted: true`
and its `exception` (type, reason, owner, approver, expires, expired, id); one whose exception expired
has `excepted: false` and the exception with `expired: true`. Counts (`scan.findings`, a criterion's
`counts`) put excepted findings under `excepted`, not `fail`. `exceptions` lists every entry of the
exceptions file with the findings it covers; an entry that covers nothing is `unused`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from assay.engine import Evaluation
from assay.exceptions import describe, reference_date, usage
from assay.models.finding_rows import FindingRows, tally
from assay.models.findings import Finding, Severity, Status


def scan_summary(ev: Evaluation) -> dict[str, Any]:
    inv = ev.inventory
    counts: Counter[str] = Counter()
    by_account: defaultdict[str, Counter[str]] = defaultdict(Counter)  # the per-account view of a multi-account scan
    for _, account_id, status, excepted in tally(ev.findings):  # from rows: no finding is built to be counted
        key = "excepted" if excepted else status.value
        counts[key] += 1
        by_account[account_id][key] += 1
    criteria = Counter(c.status for c in ev.criteria)
    planned = [c for c in inv.coverage if c.status != "not_enabled"]
    done = [c for c in planned if c.status == "complete"]
    return {
        "scan_id": inv.meta.scan_id,
        "tool_version": inv.meta.tool_version,
        "framework": ev.framework.id,
        "started_at": inv.meta.started_at.isoformat(),
        "finished_at": inv.meta.finished_at.isoformat(),
        "state": "complete" if inv.complete else "partial",
        "complete": inv.complete,
        "coverage_percent": round(100.0 * len(done) / len(planned), 1) if planned else 100.0,
        "accounts": [{**a.model_dump(mode="json"), "findings": _account_counts(by_account[a.account_id])}
                     for a in inv.accounts],
        "regions": [r.model_dump(mode="json") for r in inv.regions],
        "findings": {**{s.value: counts.get(s.value, 0) for s in Status}, "excepted": counts.get("excepted", 0)},
        "criteria": dict(sorted(criteria.items())),
        "controls": len(ev.controls),
        "api_calls": sum(inv.meta.api_calls.values()),
        "collection_errors": len(inv.errors),
        "exceptions": exceptions_summary(ev),
    }


def _account_counts(counts: Counter[str]) -> dict[str, int]:
    return {**{s.value: counts.get(s.value, 0) for s in Status}, "excepted": counts.get("excepted", 0)}


def exception_usage(ev: Evaluation) -> list[dict[str, Any]]:
    """Every entry of the exceptions file, with what it covers in this scan."""
    today = reference_date(ev.inventory.collected_at)
    return [
        {**u.entry.model_dump(mode="json"), "expired": u.expired_entry, "findings_excepted": u.excepted,
         "findings_expired": u.expired, "unused": u.unused}
        for u in usage(ev.exceptions, () if isinstance(ev.findings, FindingRows) else ev.findings, today)
    ]


def exceptions_summary(ev: Evaluation) -> dict[str, Any]:
    uses = exception_usage(ev)
    return {
        "entries": len(uses),
        "excepted_findings": sum(1 for *_, excepted in tally(ev.findings) if excepted),
        "expired_findings": 0 if isinstance(ev.findings, FindingRows)  # rows never carry an exception
        else sum(1 for f in ev.findings if f.exception is not None and f.exception.expired),
        "unused": [u["id"] for u in uses if u["unused"]],
        "reference_date": reference_date(ev.inventory.collected_at).isoformat(),
    }


def exception_doc(f: Finding) -> dict[str, Any] | None:
    if f.exception is None:
        return None
    return {**f.exception.model_dump(mode="json"), "note": describe(f.exception)}


def finding_doc(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id, "control_id": f.control_id, "title": f.title, "severity": f.severity.value,
        "status": f.status.value, "resource_arn": f.resource_arn, "resource_id": f.resource_id,
        "resource_name": f.resource_name, "resource_type": f.resource_type, "region": f.region,
        "account_id": f.account_id, "message": f.message, "criteria": list(f.criteria),
        "excepted": f.excepted, "exception": exception_doc(f),
    }


def build(ev: Evaluation, findings: bool = True) -> dict[str, Any]:
    """The document; findings=False leaves the findings list empty, for a writer that streams it."""
    used = {control_id for control_id, *_ in tally(ev.findings)}
    return {
        "scan": scan_summary(ev),
        "findings": [finding_doc(f) for f in ev.findings] if findings else [],
        "criteria": [
            {
                "id": c.id, "title": c.title, "category": c.category,
                "category_name": ev.framework.categories[c.category], "kind": c.kind.value,
                "status": c.status, "rationale": c.rationale, "evidence": c.evidence,
                "controls": list(c.controls), "counts": c.counts,
            }
            for c in ev.criteria
        ],
        "coverage": [c.model_dump(mode="json") for c in ev.inventory.coverage],
        "controls": {
            cid: {
                "title": c.title, "severity": c.severity.value, "service": c.service,
                "resource_type": c.resource_type, "rationale": c.rationale, "params": c.params,
                "remediation": {"console": c.remediation.console, "cli": c.remediation.cli,
                                "terraform": c.remediation.terraform},
            }
            for cid, c in ev.controls.items() if cid in used
        },
        "errors": [e.model_dump(mode="json") for e in ev.inventory.errors],
        "exceptions": exception_usage(ev),
    }


def failing_at_or_above(ev: Evaluation, severity: Severity) -> int:
    """Failing findings for --fail-on: an active exception takes a finding out; an expired one does not."""
    return sum(1 for f in ev.findings
               if f.status is Status.FAIL and not f.excepted and f.severity.rank >= severity.rank)
