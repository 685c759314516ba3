"""Assay: a read-only SOC 2 compliance scanner for AWS.

collect (boto3, concurrent) -> Inventory snapshot -> pure evaluation -> SOC 2 mapping -> reports.
The public API (assay.scan, assay.evaluate, assay.write_report, and assay.api.collect) is in assay.api.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {"scan", "evaluate", "write_report", "CriterionResult", "Evaluation", "Finding", "Inventory", "Severity",
        "Status"}


def __getattr__(name: str) -> Any:
    """The API loads lazily: `import assay` stays cheap for the command line."""
    if name in _API:
        from assay import api

        return getattr(api, name)
    raise AttributeError(f"module 'assay' has no attribute {name!r}")


__all__ = sorted(_API | {"__version__"})
