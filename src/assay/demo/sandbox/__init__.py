"""Northwind's sandbox account: a second AWS account in the demo, set up the opposite way on the
account-wide controls (its trail is not logging, so no security-event alarm qualifies; its password
policy is strict). Seeded and scanned through an assumed role, like any member account."""

from __future__ import annotations

import importlib
import pkgutil

from assay.demo.estate import ClientFactory

ACCOUNT_ID = "210987654321"
ROLE_NAME = "AssayDemoScan"


def seed(client: ClientFactory, regions: list[str]) -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{mod.name}")
        module.seed(client, regions)
