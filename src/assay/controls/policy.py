"""Reading IAM policy documents (key policies, bucket policies, identity policies)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def statements(policy: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    raw = (policy or {}).get("Statement", [])
    for st in [raw] if isinstance(raw, dict) else raw:
        if isinstance(st, dict):
            yield st


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
