"""The collector registry: each collector declares its service, what it produces and the IAM
actions it needs. Declared permissions add up to `assay permissions`."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from assay.collect.calls import _ACTION_OVERRIDES, Ctx
from assay.collect.errors import ABSENT
from assay.models.base import Resource

CollectFn = Callable[[Ctx], Iterator[Resource]]
Scope = Literal["regional", "global"]


@dataclass(frozen=True)
class CollectorSpec:
    name: str
    service: str
    scope: Scope
    produces: tuple[type[Resource], ...]
    permissions: tuple[str, ...]
    func: CollectFn


_COLLECTORS: dict[str, CollectorSpec] = {}


def collector(
    *,
    service: str,
    produces: list[type[Resource]],
    permissions: list[str],
    scope: Scope = "regional",
    absent: dict[str, list[str]] | None = None,
    action_names: dict[tuple[str, str], str] | None = None,
) -> Callable[[CollectFn], CollectFn]:
    """Register a collector.

    `absent` maps IAM actions to the error codes that mean "not configured". `action_names` names the
    IAM action of operations whose action is not "<service prefix>:<operation>", keyed by
    (boto3 service name, API operation name), e.g. {("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration"}.
    """

    def register(func: CollectFn) -> CollectFn:
        name = f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}"
        if name in _COLLECTORS:
            raise ValueError(f"collector {name} registered twice")
        _COLLECTORS[name] = CollectorSpec(
            name=name, service=service, scope=scope, produces=tuple(produces),
            permissions=tuple(permissions), func=func,
        )
        for key, action in (action_names or {}).items():
            if _ACTION_OVERRIDES.setdefault(key, action) != action:
                raise ValueError(f"collector {name}: {key} is already named {_ACTION_OVERRIDES[key]}")
        for action, codes in (absent or {}).items():
            if action not in permissions:
                raise ValueError(f"collector {name}: absent codes for undeclared action {action}")
            ABSENT[action] = ABSENT.get(action, frozenset()) | frozenset(codes)
        return func

    return register


def load_collectors() -> dict[str, CollectorSpec]:
    """Import every module under assay.collect.aws so their collectors register."""
    from assay.collect import aws

    for mod in pkgutil.iter_modules(aws.__path__):
        importlib.import_module(f"{aws.__name__}.{mod.name}")
    return dict(_COLLECTORS)


def collectors_by_service() -> dict[str, list[CollectorSpec]]:
    out: dict[str, list[CollectorSpec]] = {}
    for spec in sorted(load_collectors().values(), key=lambda s: s.name):
        out.setdefault(spec.service, []).append(spec)
    return out


def declared_permissions() -> list[str]:
    return sorted({p for spec in load_collectors().values() for p in spec.permissions})
