"""The demo estate of an imaginary company, Northwind Analytics, in two regions.

Each module seeds one service through `seed(client, regions)`, where client(service, region) returns a
boto3 client for the demo endpoint. Resources are named pass-*, fail-* and skip-* after the verdict
Assay should reach on them, which the golden-file test checks. This package is the production
account; `assay.demo.sandbox` is a second account, reached through an assumed role.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

ClientFactory = Callable[[str, str], Any]
REGIONS = ["us-east-1", "eu-west-1"]


def seed(client: ClientFactory, regions: list[str] = REGIONS) -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{mod.name}")
        module.seed(client, regions)
