"""Evaluation results: one Finding per (control, resource)."""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"  # could not evaluate: a read failed or data is missing
    SKIP = "skip"  # not applicable, with positive evidence


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}[self.value]


class Outcome(NamedTuple):
    status: Status
    message: str


def Pass(message: str) -> Outcome:
    return Outcome(Status.PASS, message)


def Fail(message: str) -> Outcome:
    return Outcome(Status.FAIL, message)


def Skip(message: str) -> Outcome:
    return Outcome(Status.SKIP, message)


def Error(message: str) -> Outcome:
    return Outcome(Status.ERROR, message)


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    control_id: str
    title: str
    severity: Severity
    status: Status
    resource_arn: str
    resource_id: str
    resource_name: str
    resource_type: str
    region: str
    account_id: str
    message: str
    criteria: list[str]


def finding_id(control_id: str, account_id: str, region: str, resource_key: str) -> str:
    """Stable across scans and unique within one: never built from display names."""
    raw = "\x1f".join((control_id, account_id, region, resource_key))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]
