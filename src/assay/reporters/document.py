"""The report document: one plain structure every reporter renders, and the JSON contract.

    {"scan": {...}, "findings": [...], "criteria": [...], "coverage": [...], "controls": {...}, "errors": [...]}

`scan`, `findings`, `criteria` and `coverage` are a stable contract that other tools read; new keys
may be added, existing ones keep their names and meanings.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from assay.engine import Evaluation
from assay.models.findings import Severity, Status


def scan_summary(ev: Evaluation) -> dict[str, Any]:
    inv = ev.inventory
    counts = Counter(f.status.value for f in ev.findings)
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
        "accounts": [a.model_dump(mode="json") for a in inv.accounts],
        "regions": [r.model_dump(mode="json") for r in inv.regions],
        "findings": {s.value: counts.get(s.value, 0) for s in Status},
        "criteria": dict(sorted(criteria.items())),
        "controls": len(ev.controls),
        "api_calls": sum(inv.meta.api_calls.values()),
        "collection_errors": len(inv.errors),
    }


def build(ev: Evaluation) -> dict[str, Any]:
    used = {f.control_id for f in ev.findings}
    return {
        "scan": scan_summary(ev),
        "findings": [
            {
                "id": f.id, "control_id": f.control_id, "title": f.title, "severity": f.severity.value,
                "status": f.status.value, "resource_arn": f.resource_arn, "resource_id": f.resource_id,
                "resource_name": f.resource_name, "resource_type": f.resource_type, "region": f.region,
                "account_id": f.account_id, "message": f.message, "criteria": list(f.criteria),
            }
            for f in ev.findings
        ],
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
    }


def failing_at_or_above(ev: Evaluation, severity: Severity) -> int:
    return sum(1 for f in ev.findings if f.status is Status.FAIL and f.severity.rank >= severity.rank)
