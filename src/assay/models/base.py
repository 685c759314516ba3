"""The resource base class and the registry that maps CloudFormation type names to models."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

GLOBAL = "global"  # region of account-wide resources (IAM, the account itself)

_TYPES: dict[str, type[Resource]] = {}


class Resource(BaseModel):
    """One thing in an AWS account, as read. Controls never mutate it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: ClassVar[str]
    arn: str
    id: str
    account_id: str
    region: str
    name: str = ""
    tags: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        resource_type = cls.__dict__.get("type")
        if isinstance(resource_type, str):
            if resource_type in _TYPES and _TYPES[resource_type].__qualname__ != cls.__qualname__:
                raise TypeError(f"resource type {resource_type} defined twice")
            _TYPES[resource_type] = cls

    @property
    def display_name(self) -> str:
        return self.name or self.id


class Account(Resource):
    """The AWS account itself; account-level controls take it as their subject."""

    type: ClassVar[str] = "AWS::::Account"
    partition: str = "aws"


def resource_class(type_name: str) -> type[Resource]:
    try:
        return _TYPES[type_name]
    except KeyError:
        raise KeyError(f"unknown resource type {type_name!r}") from None


def resource_types() -> dict[str, type[Resource]]:
    return dict(_TYPES)


def tags_from(items: list[dict[str, Any]] | None, key: str = "Key", value: str = "Value") -> dict[str, str]:
    """AWS returns tags as [{"Key": k, "Value": v}]; models keep a plain dict."""
    return {str(t.get(key, "")): str(t.get(value, "")) for t in items or [] if t.get(key) is not None}
