"""Query parameters shared by pages and API routes: which scan, filters, pagination."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from assay.web.queries import Filters

ScanParam = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Scan id; default: the newest scan.")]
Account = Annotated[str | None, Query(max_length=64, description="Only this AWS account id.")]
Region = Annotated[str | None, Query(max_length=64, description="Only this region (`global` for IAM, S3 ...).")]
SeverityParam = Annotated[Literal["critical", "high", "medium", "low", "info"] | None,
                          Query(description="Only this severity.")]
StatusParam = Annotated[Literal["fail", "excepted", "error", "pass", "skip"] | None,
                        Query(description="fail: failing and not excepted; excepted: failing under a live "
                                          "exception; error: could not be evaluated; pass; skip: not applicable.")]
Search = Annotated[str | None, Query(max_length=200, description="Words that must all appear in the resource "
                                                                  "ARN, id, name, type, control or message.")]
ResourceType = Annotated[str | None, Query(max_length=128, description="CloudFormation type, e.g. AWS::S3::Bucket.")]
PageParam = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=500, description="Items per page.")]


def filters(account: str | None, region: str | None, severity: str | None, status: str | None, q: str | None,
            page: int, per_page: int, resource_type: str | None = None, control: str | None = None,
            criterion: str | None = None) -> Filters:
    return Filters(account=account or None, region=region or None, severity=severity or None,
                   status=status or None, q=(q or "").strip() or None, page=page, per_page=per_page,
                   resource_type=resource_type or None, control=control or None, criterion=criterion or None)
