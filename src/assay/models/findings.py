"""Evaluation results: one Finding per (control, resource)."""

from __future__ import annotations

import hashlib
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

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


# Outcomes are built without NamedTuple's Python-level __new__: controls make one per resource judged.
_outcome = tuple.__new__


def Pass(message: str) -> Outcome:
    return _outcome(Outcome, (Status.PASS, message))


def Fail(message: str) -> Outcome:
    return _outcome(Outcome, (Status.FAIL, message))


def Skip(message: str) -> Outcome:
    return _outcome(Outcome, (Status.SKIP, message))


def Error(message: str) -> Outcome:
    return _outcome(Outcome, (Status.ERROR, message))


class ExceptionType(StrEnum):
    RISK_ACCEPTED = "risk_accepted"
    COMPENSATING_CONTROL = "compensating_control"
    FALSE_POSITIVE = "false_positive"


class FindingException(BaseModel):
    """The exceptions.yaml entry that covers a failing finding (see assay.exceptions)."""

    model_config = ConfigDict(frozen=True)

    id: str
    type: ExceptionType
    reason: str
    owner: str
    approver: str
    expires: date  # valid through this day (UTC)
    expired: bool  # expired before the inventory was collected: the finding fails again


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
    exception: FindingException | None = None  # only ever on a FAIL

    @property
    def excepted(self) -> bool:
        """A failure covered by an exception that has not expired: reported as EXCEPTED, not failing."""
        return self.status is Status.FAIL and self.exception is not None and not self.exception.expired

    @classmethod
    def trusted(cls, **values: Any) -> Finding:
        """A finding from values the engine built itself, already of the exact field types: not re-validated.

        At a million resources, validation costs more than judging the resources, and its per-instance
        bookkeeping (a set of the fields given) doubles the memory a finding takes; the result equals
        Finding(**values). Values of any other type (or any other fields) go through validation.
        """
        if (values.keys() != _TRUSTED_FIELDS or type(values["severity"]) is not Severity
                or type(values["status"]) is not Status or type(values["criteria"]) is not list
                or not all(type(values[k]) is str for k in _TRUSTED_STRINGS)):
            return cls(**values)
        finding = cls.__new__(cls)
        object.__setattr__(finding, "__dict__", {**values, "exception": None})
        object.__setattr__(finding, "__pydantic_fields_set__", _TRUSTED_FIELDS_SET)  # copied, never changed
        object.__setattr__(finding, "__pydantic_extra__", None)
        object.__setattr__(finding, "__pydantic_private__", None)
        return finding


_TRUSTED_STRINGS = ("id", "control_id", "title", "resource_arn", "resource_id", "resource_name", "resource_type",
                    "region", "account_id", "message")
_TRUSTED_FIELDS = {*_TRUSTED_STRINGS, "severity", "status", "criteria"}
_TRUSTED_FIELDS_SET = set(_TRUSTED_FIELDS)


def finding_id(control_id: str, account_id: str, region: str, resource_key: str) -> str:
    """Stable across scans and unique within one: never built from display names."""
    raw = "\x1f".join((control_id, account_id, region, resource_key))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]
