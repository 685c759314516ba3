"""Secrets Manager secrets: metadata only (ListSecrets); secret values are never read."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class Secret(Resource):
    type: ClassVar[str] = "AWS::SecretsManager::Secret"
    rotation_enabled: bool = False
    rotation_days: int | None = None  # RotationRules.AutomaticallyAfterDays
    rotation_schedule: str = ""  # RotationRules.ScheduleExpression, e.g. "rate(10 days)" or a cron expression
    created: str | None = None  # ISO 8601 timestamps
    last_rotated: str | None = None  # None: never rotated
    last_accessed: str | None = None  # a date (AWS rounds to the day); None: never accessed
    primary_region: str = ""  # set on replicas (and on primaries that have replicas)
    owning_service: str = ""  # e.g. "rds" for secrets a service manages
    kms_key_id: str = ""  # "" for the AWS managed key aws/secretsmanager
