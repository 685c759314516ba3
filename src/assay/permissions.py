"""The least-privilege, read-only IAM policy that the collectors declare."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from assay.collect.guard import is_read_action
from assay.collect.registry import declared_permissions


def policy_document() -> dict[str, Any]:
    actions = declared_permissions()
    by_service: dict[str, list[str]] = defaultdict(list)
    for a in actions:
        by_service[a.split(":", 1)[0]].append(a)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AssayReadOnly" + "".join(p.capitalize() for p in svc.replace("-", " ").split()),
                "Effect": "Allow",
                "Action": acts,
                "Resource": "*",
            }
            for svc, acts in sorted(by_service.items())
        ],
    }


def non_read_actions(actions: list[str]) -> list[str]:
    return [a for a in actions if not is_read_action(a)]
