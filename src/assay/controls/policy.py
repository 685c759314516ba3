"""Reading IAM policy documents (key policies, bucket policies, identity policies)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class MalformedPolicy(ValueError):
    """A policy document that is not one AWS would accept: what it grants is unknown, so a control
    that reads it reports ERROR (the engine turns the exception into one), never PASS."""


def statements(policy: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    raw = (policy or {}).get("Statement", [])
    if not isinstance(raw, dict | list):
        raise MalformedPolicy(f"Statement is a {type(raw).__name__}, not a statement or a list of them")
    for n, st in enumerate([raw] if isinstance(raw, dict) else raw, start=1):
        if not isinstance(st, dict):
            raise MalformedPolicy(f"statement {n} is a {type(st).__name__}, not an object")
        problem = _grammar(st)
        if problem:
            raise MalformedPolicy(f"statement {n}: {problem}")
        yield st


def _strings(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _grammar(st: dict[str, Any]) -> str:
    """What makes a statement one AWS would refuse, in the parts controls read; "" if nothing."""
    for key in ("Action", "NotAction", "Resource", "NotResource"):
        if key in st and not _strings(st[key]):
            return f"{key} is not a string or a list of strings"
    for key in ("Principal", "NotPrincipal"):
        who = st.get(key)
        if key in st and who != "*" and not (isinstance(who, dict) and all(_strings(v) for v in who.values())):
            return f'{key} is neither "*" nor a map of principal types to names'
    if not isinstance(st.get("Condition") or {}, dict):
        return "Condition is not an object"  # what it restricts is unknown
    return ""


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def principal_is_everyone(principal: Any) -> bool:
    """"*" or {"AWS": "*"} (alone or in a list) means any AWS principal, authenticated or not."""
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return any(p == "*" for p in as_list(principal.get("AWS")))
    return False


def grants_everyone_unconditionally(policy: dict[str, Any] | None) -> list[str]:
    """Sids (or positions) of Allow statements open to everyone with no Condition to narrow them."""
    found = []
    for n, st in enumerate(statements(policy)):
        if st.get("Effect") != "Allow" or st.get("Condition"):
            continue
        if principal_is_everyone(st.get("Principal")) or "NotPrincipal" in st:
            found.append(str(st.get("Sid") or f"statement {n + 1}"))
    return found


def allows_all_actions_on_all_resources(policy: dict[str, Any] | None) -> bool:
    """An Allow of Action "*" on Resource "*": full administrative access."""
    for st in statements(policy):
        if st.get("Effect") != "Allow":
            continue
        if "*" in as_list(st.get("Action")) and "*" in as_list(st.get("Resource")):
            return True
    return False
