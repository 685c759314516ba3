"""Compliance frameworks as data. SOC 2 lives in soc2.yaml; this module loads and checks it."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from assay.errors import UsageError


class CriterionKind(StrEnum):
    AUTOMATED = "automated"  # technical controls evidence it (wholly or in part)
    MANUAL = "manual"  # a person must attest, with evidence
    INHERITED = "inherited"  # AWS's own SOC 2 report covers it


class Criterion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    category: str
    kind: CriterionKind
    rationale: str
    evidence: str = ""  # what an auditor expects from people, beyond the automated controls
    controls: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        if self.kind is CriterionKind.AUTOMATED and not self.controls:
            raise ValueError(f"{self.id}: automated criteria list their controls")
        if self.kind is not CriterionKind.AUTOMATED and self.controls:
            raise ValueError(f"{self.id}: only automated criteria list controls")
        if self.kind is CriterionKind.MANUAL and not self.evidence:
            raise ValueError(f"{self.id}: manual criteria say what evidence an auditor expects")
        return self


class Framework(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    categories: dict[str, str]
    criteria: tuple[Criterion, ...]

    @model_validator(mode="after")
    def _unique(self) -> Framework:
        ids = [c.id for c in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError("criterion ids must be unique")
        for c in self.criteria:
            if c.category not in self.categories:
                raise ValueError(f"{c.id}: unknown category {c.category}")
        return self

    def criteria_of(self, control_id: str) -> list[str]:
        return [c.id for c in self.criteria if control_id in c.controls]

    def control_map(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for c in self.criteria:
            for cid in c.controls:
                out.setdefault(cid, []).append(c.id)
        return out

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)


def available() -> list[str]:
    """Framework names: one YAML file each in this package. Adding a framework adds no code."""
    return sorted(f.name[: -len(".yaml")] for f in resources.files(__package__).iterdir()
                  if f.name.endswith(".yaml"))


@cache
def load(name: str) -> Framework:
    if name not in available():
        raise UsageError(f"unknown framework {name!r}; available: {', '.join(available())}")
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return Framework.model_validate(yaml.safe_load(text))


def soc2() -> Framework:
    return load("soc2")
