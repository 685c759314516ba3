"""The scanning role's policies: Assay's declared read-only policy, split to fit IAM's size limits.

IAM limits a managed policy to 6,144 characters, not counting white space. The declared policy is
larger, so templates carry it as several managed policies: whole statements are packed in order
into as few policies as fit, and a statement too large on its own is cut into smaller statements.
The union of the actions is exactly `assay permissions`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from assay.permissions import policy_document

MANAGED_POLICY_LIMIT = 6144  # characters, white space excluded
INLINE_POLICY_LIMIT = 10240  # all inline policies of one role together
MANAGED_POLICIES_PER_ROLE = 10  # IAM's default quota of managed policies attached to one role
POLICY_VERSION = "2012-10-17"

# AWS's own job-function policies; attached only when asked (--include-managed). They grant far more
# reads than Assay uses, but keep working for services Assay does not know yet.
AWS_MANAGED = {
    "SecurityAudit": "iam::aws:policy/SecurityAudit",
    "ViewOnlyAccess": "iam::aws:policy/job-function/ViewOnlyAccess",
}

_WHITESPACE = re.compile(r"\s")


def policy_size(doc: dict[str, Any]) -> int:
    """Characters IAM counts against its limits: the JSON without white space."""
    return len(_WHITESPACE.sub("", json.dumps(doc, separators=(",", ":"))))


def _doc(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": POLICY_VERSION, "Statement": statements}


def _cut(statement: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """A statement whose own policy would exceed `limit`, as several statements with fewer actions."""
    out: list[dict[str, Any]] = []
    current: list[str] = []
    for action in statement["Action"]:
        trial = {**statement, "Sid": f"{statement['Sid']}{len(out) + 1}", "Action": [*current, action]}
        if current and policy_size(_doc([trial])) > limit:
            out.append({**statement, "Sid": f"{statement['Sid']}{len(out) + 1}", "Action": current})
            current = []
        current.append(action)
    if current:
        out.append({**statement, "Sid": f"{statement['Sid']}{len(out) + 1}", "Action": current})
    return out


def split_policy(doc: dict[str, Any], limit: int = MANAGED_POLICY_LIMIT) -> list[dict[str, Any]]:
    """Policy documents of at most `limit` characters each, holding exactly the statements of `doc`."""
    statements: list[dict[str, Any]] = []
    for st in doc["Statement"]:
        statements += _cut(st, limit) if policy_size(_doc([st])) > limit else [st]
    policies: list[list[dict[str, Any]]] = [[]]
    for st in statements:
        if policies[-1] and policy_size(_doc([*policies[-1], st])) > limit:
            policies.append([])
        policies[-1].append(st)
    return [_doc(p) for p in policies if p]


def scanning_policies(limit: int = MANAGED_POLICY_LIMIT) -> list[dict[str, Any]]:
    return split_policy(policy_document(), limit)


def actions_of(docs: list[dict[str, Any]]) -> list[str]:
    """Every action the documents allow, sorted (for comparing with `assay permissions`)."""
    out: set[str] = set()
    for doc in docs:
        for st in doc["Statement"]:
            acts = st["Action"]
            out.update([acts] if isinstance(acts, str) else acts)
    return sorted(out)
