"""Hand-built scans for the dashboard's tests: two accounts, two regions, KMS keys and S3 buckets.

Three scans, a day apart, ending yesterday (exception expiry is judged against today):
1. complete: failing keys and buckets, one key named and tagged with XSS payloads;
2. partial: KMS in prod's eu-west-1 denied, so the public key's failure is carried forward (stale);
3. complete: `prod-norotate` fixed (resolved), `prod-new-norotate` appears (new failure), and three
   exceptions: one expiring within the warning window, one expired, one valid for months.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from assay.controls.registry import load_controls
from assay.engine import Evaluation, evaluate
from assay.exceptions import parse
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

PROD = "111111111111"
SANDBOX = "222222222222"
REGIONS = ("us-east-1", "eu-west-1")
CONTROLS = ("kms.key_rotation_enabled", "kms.key_policy_not_public", "kms.key_not_pending_deletion",
            "s3.bucket_versioning_enabled", "s3.bucket_default_encryption")
XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "</title><script>alert(2)</script>",
    "' onmouseover='alert(1)",
]
XSS_NAME = "".join(XSS)
PUBLIC_POLICY = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}


def key(account: str, region: str, key_id: str, *, name: str = "", tags: dict[str, str] | None = None,
        **over: Any) -> KmsKey:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:kms:{region}:{account}:key/{key_id}", id=key_id, account_id=account, region=region,
        name=name or key_id, tags=tags or {"team": "platform"}, manager="CUSTOMER", state="Enabled",
        spec="SYMMETRIC_DEFAULT", rotation_enabled=True, policy={"Statement": []})
    return KmsKey(**{**base, **over})


def bucket(account: str, name: str, *, versioning: str = "Enabled", encryption: str = "AES256") -> S3Bucket:
    return S3Bucket(arn=f"arn:aws:s3:::{name}", id=name, account_id=account, region="us-east-1", name=name,
                    tags={"data": "internal"}, versioning=versioning, encryption_algorithm=encryption)


def resources(step: int) -> list[Any]:
    items: list[Any] = [
        key(PROD, "us-east-1", "prod-good"),
        key(PROD, "us-east-1", "prod-norotate", rotation_enabled=step >= 3),
        key(PROD, "us-east-1", "xss-key", name=XSS_NAME, rotation_enabled=False,
            tags={payload: payload for payload in XSS}),
        key(SANDBOX, "eu-west-1", "sbx-norotate", rotation_enabled=False),
        bucket(PROD, "prod-logs"),
        bucket(PROD, "prod-scratch", versioning="", encryption=""),
        bucket(SANDBOX, "sbx-data", versioning=""),
    ]
    if step != 2:  # scan 2 could not list KMS in prod's eu-west-1
        items.append(key(PROD, "eu-west-1", "prod-public", policy=PUBLIC_POLICY))
    if step == 3:
        items.append(key(PROD, "us-east-1", "prod-new-norotate", rotation_enabled=False))
    return items


def inventory(step: int, finished: datetime) -> Inventory:
    denied = step == 2
    coverage = []
    for account in (PROD, SANDBOX):
        coverage.append(Coverage(account_id=account, region="global", service="s3", status=CoverageStatus.COMPLETE,
                                 resources=2, api_calls=6))
        for region in REGIONS:
            blocked = denied and account == PROD and region == "eu-west-1"
            coverage.append(Coverage(
                account_id=account, region=region, service="kms",
                status=CoverageStatus.DENIED if blocked else CoverageStatus.COMPLETE, errors=int(blocked),
                reason="kms:ListKeys denied" if blocked else "", api_calls=4))
    errors = []
    if denied:
        errors.append(CollectionError(account_id=PROD, region="eu-west-1", service="kms", operation="kms:ListKeys",
                                      code="AccessDenied", kind=ErrorKind.DENIED,
                                      message="User is not authorized to perform kms:ListKeys"))
    regions = [RegionInfo(account_id=a, region=r, status=RegionStatus.SCANNED) for a in (PROD, SANDBOX)
               for r in REGIONS]
    meta = ScanMeta(scan_id=f"web-test-scan-{step}", tool_version="0.1.0", started_at=finished - timedelta(minutes=4),
                    finished_at=finished, requested_regions=list(REGIONS), api_calls={"kms:ListKeys": 4})
    return Inventory(meta=meta, accounts=[AccountInfo(account_id=PROD), AccountInfo(account_id=SANDBOX)],
                     regions=regions, coverage=coverage, resources=resources(step), errors=errors)


def exception_entries(collected: date) -> list[dict[str, Any]]:
    def entry(control: str, arn: str, days: int, reason: str, **extra: Any) -> dict[str, Any]:
        return {"control": control, "resource": arn, "type": "risk_accepted", "reason": reason,
                "owner": "platform@example.com", "approver": "security@example.com",
                "expires": (collected + timedelta(days=days)).isoformat(), **extra}
    return [
        entry("s3.bucket_versioning_enabled", "arn:aws:s3:::prod-scratch", 10, "Scratch data is rebuilt by CI."),
        entry("s3.bucket_default_encryption", "arn:aws:s3:::prod-scratch", -5, "Lapsed: encryption was promised."),
        entry("s3.bucket_versioning_enabled", "arn:aws:s3:::sbx-data", 120, "Sandbox data is disposable.",
              type="compensating_control", account=SANDBOX),
    ]


def evaluation(step: int, finished: datetime) -> Evaluation:
    controls = {cid: c for cid, c in load_controls().items() if cid in CONTROLS}
    entries = parse({"exceptions": exception_entries(finished.date())}, controls).exceptions if step == 3 else ()
    return evaluate(inventory(step, finished), controls=controls, exceptions=entries)


def scan_times(now: datetime | None = None) -> list[datetime]:
    now = now or datetime.now(UTC)
    base = now.replace(microsecond=0) - timedelta(days=3)
    return [base + timedelta(days=i) for i in range(3)]


def seed(store: Any) -> list[int]:
    """Ingest the three scans; their ids, oldest first."""
    return [store.ingest(evaluation(step, when)).id for step, when in enumerate(scan_times(), start=1)]
