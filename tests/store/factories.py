"""Evaluations built by hand: KMS keys whose rotation gives each verdict, evaluated by the real engine.

rotation True -> pass, False -> fail, None -> error (the read failed); an asymmetric key -> skip.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assay.controls.registry import load_controls
from assay.engine import Evaluation, evaluate
from assay.models.inventory import AccountInfo, Coverage, CoverageStatus, Inventory, RegionInfo, RegionStatus, ScanMeta
from assay.models.resources.kms import KmsKey

ACCOUNT = "123456789012"
OTHER = "210987654321"
REGION = "us-east-1"
CONTROL = "kms.key_rotation_enabled"
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def key(name: str, rotation: bool | None, account: str = ACCOUNT, display: str = "", **over: Any) -> KmsKey:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:kms:{REGION}:{account}:key/{name}", id=name, name=display or name, account_id=account,
        region=REGION,
        manager="CUSTOMER", state="Enabled", spec="SYMMETRIC_DEFAULT", rotation_enabled=rotation,
        policy={"Statement": []})
    return KmsKey(**{**base, **over})


def evaluation(keys: dict[str, bool | None] | list[KmsKey], *, at: datetime | timedelta = T0,
               complete: bool = True, scan_id: str | None = None, accounts: tuple[str, ...] = (ACCOUNT,)
               ) -> Evaluation:
    """One scan of the given keys ({name: rotation} or KmsKey objects) at `at` (or T0 + a timedelta)."""
    started = at if isinstance(at, datetime) else T0 + at
    resources = list(keys) if isinstance(keys, list) else [key(n, r) for n, r in keys.items()]
    meta = ScanMeta(scan_id=scan_id or f"scan-{started.isoformat()}-{complete}", tool_version="0.1.0",
                    started_at=started, finished_at=started + timedelta(minutes=2))
    coverage = [Coverage(account_id=a, region=REGION, service="kms",
                         status=CoverageStatus.COMPLETE if complete else CoverageStatus.PARTIAL) for a in accounts]
    inv = Inventory(meta, [AccountInfo(account_id=a) for a in accounts],
                    [RegionInfo(account_id=a, region=REGION, status=RegionStatus.SCANNED) for a in accounts],
                    coverage, resources, [])
    return evaluate(inv, controls={CONTROL: load_controls()[CONTROL]})


def day(n: float) -> timedelta:
    """`at=day(3)`: three days after T0."""
    return timedelta(days=n)
