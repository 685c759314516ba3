"""The control registry. A control is one small pure function over typed resources:

    @control(id="kms.key_rotation_enabled", title=..., severity="medium",
             needs=["kms:GetKeyRotationStatus"], rationale=..., remediation=Remediation(...))
    def key_rotation_enabled(key: KmsKey) -> Outcome: ...

The first parameter's annotation names the subject: a Resource subclass (evaluated per resource)
or Account (evaluated once per account). Other parameters the engine fills by name: `inv` (the
Inventory) and `now` (the collection time). Keyword-only parameters with defaults are the
control's tunable parameters.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assay.models.base import Account, Resource
from assay.models.findings import Outcome, Severity

ID_PATTERN = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*\.[a-z0-9]+(_[a-z0-9]+)*$")


@dataclass(frozen=True)
class Remediation:
    console: str
    cli: str
    terraform: str


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    severity: Severity
    needs: tuple[str, ...]  # IAM actions whose data the control reads
    rationale: str
    remediation: Remediation
    subject: type[Resource]
    params: dict[str, Any]
    func: Callable[..., Outcome]

    @property
    def service(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def account_level(self) -> bool:
        return self.subject is Account

    @property
    def resource_type(self) -> str:
        return self.subject.type


_CONTROLS: dict[str, Control] = {}


def control(
    *,
    id: str,
    title: str,
    severity: str,
    needs: list[str],
    rationale: str,
    remediation: Remediation,
) -> Callable[[Callable[..., Outcome]], Callable[..., Outcome]]:
    def register(func: Callable[..., Outcome]) -> Callable[..., Outcome]:
        if not ID_PATTERN.match(id):
            raise ValueError(f"control id {id!r} is not of the form service.what_passes")
        if id in _CONTROLS:
            raise ValueError(f"control {id} registered twice")
        if title.lower().startswith("ensure"):
            raise ValueError(f"control {id}: titles state the passing condition")
        sig = inspect.signature(func)
        hints = typing.get_type_hints(func)
        first = next(iter(sig.parameters))
        subject = hints.get(first)
        if not (isinstance(subject, type) and issubclass(subject, Resource)):
            raise TypeError(f"control {id}: first parameter must be annotated with a Resource type")
        params = {
            name: p.default
            for name, p in sig.parameters.items()
            if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is not inspect.Parameter.empty
        }
        _CONTROLS[id] = Control(
            id=id, title=title, severity=Severity(severity), needs=tuple(needs), rationale=rationale,
            remediation=remediation, subject=subject, params=params, func=func,
        )
        return func

    return register


def load_controls() -> dict[str, Control]:
    """Import every module in assay.controls so their controls register."""
    from assay import controls

    for mod in pkgutil.iter_modules(controls.__path__):
        if mod.name != "registry":
            importlib.import_module(f"{controls.__name__}.{mod.name}")
    return dict(sorted(_CONTROLS.items()))
