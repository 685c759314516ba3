"""Secrets Manager: every secret's metadata from one paginated ListSecrets per region.

ListSecrets states rotation, last rotation and last access, so no per-secret call is needed; the
secret values themselves are never read (GetSecretValue is refused by the runtime guard anyway).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.secretsmanager import Secret


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


@collector(service="secretsmanager", produces=[Secret], permissions=["secretsmanager:ListSecrets"])
def collect_secrets(ctx: Ctx) -> Iterator[Secret]:
    sm = ctx.client("secretsmanager")
    for s in ctx.paginate(sm, "list_secrets", "SecretList"):
        rules = s.get("RotationRules") or {}
        days = rules.get("AutomaticallyAfterDays")
        yield Secret(
            arn=str(s["ARN"]), id=str(s["ARN"]).rsplit(":", 1)[-1], name=str(s.get("Name", "")),
            account_id=ctx.account_id, region=ctx.region, tags=tags_from(s.get("Tags")),
            rotation_enabled=bool(s.get("RotationEnabled", False)),
            rotation_days=int(days) if days else None,
            rotation_schedule=str(rules.get("ScheduleExpression") or ""),
            created=_iso(s.get("CreatedDate")), last_rotated=_iso(s.get("LastRotatedDate")),
            last_accessed=_iso(s.get("LastAccessedDate")), primary_region=str(s.get("PrimaryRegion") or ""),
            owning_service=str(s.get("OwningService") or ""), kms_key_id=str(s.get("KmsKeyId") or ""),
        )
