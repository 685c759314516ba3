"""The least-privilege, read-only IAM policy that the collectors declare."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from assay.collect.guard import is_read_action
from assay.collect.organization import DISCOVERY_PERMISSIONS
from assay.collect.registry import declared_permissions


def policy_document() -> dict[str, Any]:
    """The collectors' reads, one statement per service, after the reads --organization makes.

    The organisation reads are needed only where accounts are discovered (the management or a delegated
    administrator account); member accounts' roles need the collectors' reads alone.
    """
    by_service: dict[str, list[str]] = defaultdict(list)
    for a in declared_permissions():
        by_service[a.split(":", 1)[0]].append(a)
    statements: list[dict[str, Any]] = [
        {"Sid": "AssayOrganizationDiscovery", "Effect": "Allow", "Action": sorted(DISCOVERY_PERMISSIONS),
         "Resource": "*"},
    ]
    statements += [
        {
            "Sid": "AssayReadOnly" + "".join(p.capitalize() for p in svc.replace("-", " ").split()),
            "Effect": "Allow",
            "Action": acts,
            "Resource": "*",
        }
        for svc, acts in sorted(by_service.items())
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def non_read_actions(actions: list[str]) -> list[str]:
    return [a for a in actions if not is_read_action(a)]
