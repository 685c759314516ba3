"""IAM Access Analyzer: one record per region with its external-access analyzer and open findings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.accessanalyzer import EXTERNAL_ACCESS_TYPES, AccessAnalyzerRegion, ExternalAccess

LIST_ANALYZERS = "access-analyzer:ListAnalyzers"
LIST_FINDINGS = "access-analyzer:ListFindings"
PAGE_SIZE = 100
SAMPLE = 10


def _pick(analyzers: list[dict[str, Any]]) -> dict[str, Any] | None:
    """An ACTIVE external-access analyzer; the account's own before an organisation's (whose findings span accounts)."""
    usable = [a for a in analyzers if a.get("status") == "ACTIVE" and a.get("type") in EXTERNAL_ACCESS_TYPES]
    return min(usable, key=lambda a: (EXTERNAL_ACCESS_TYPES.index(a["type"]), str(a.get("name", ""))), default=None)


@collector(service="accessanalyzer", produces=[AccessAnalyzerRegion], permissions=[LIST_ANALYZERS, LIST_FINDINGS])
def collect_analyzers(ctx: Ctx) -> Iterator[AccessAnalyzerRegion]:
    aa = ctx.client("accessanalyzer")
    analyzers = list(ctx.paginate(aa, "list_analyzers", "analyzers", maxResults=PAGE_SIZE))
    if ctx.failed(LIST_ANALYZERS):
        return  # unknown, not "no analyzer": the engine reports the region as ERROR
    chosen = _pick(analyzers)
    others = tuple(f"{a.get('name')} ({a.get('type')}, {a.get('status')})" for a in analyzers if a is not chosen)
    base: dict[str, Any] = {"account_id": ctx.account_id, "region": ctx.region, "others": others}
    if chosen is None:
        yield AccessAnalyzerRegion(arn=ctx.arn("access-analyzer", "analyzer"), id=ctx.region, name=ctx.region, **base)
        return
    arn = str(chosen["arn"])
    total = public = 0
    sample: list[ExternalAccess] = []
    for f in ctx.paginate(aa, "list_findings", "findings", resource_arn=arn, analyzerArn=arn,
                          filter={"status": {"eq": ["ACTIVE"]}}, maxResults=PAGE_SIZE):
        total += 1
        public += bool(f.get("isPublic"))
        if len(sample) < SAMPLE:
            sample.append(ExternalAccess(resource=str(f.get("resource") or f.get("id", "")),
                                         resource_type=str(f.get("resourceType", "")), public=bool(f.get("isPublic")),
                                         owner_account=str(f.get("resourceOwnerAccount", ""))))
    listed = not ctx.failed(LIST_FINDINGS, arn)
    yield AccessAnalyzerRegion(
        arn=arn, id=str(chosen.get("name", arn)), name=str(chosen.get("name", ctx.region)), **base,
        tags={str(k): str(v) for k, v in (chosen.get("tags") or {}).items()},
        analyzer_name=str(chosen.get("name", "")), analyzer_type=str(chosen["type"]),
        active_findings=total if listed else None, public_findings=public if listed else None,
        sample=tuple(sample) if listed else (),
    )
