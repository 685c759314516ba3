"""The scan store: every scan, signed and hash-chained; history, diff, Type II view, attestations, evidence.

    from assay.store import open_store
    store = open_store()                 # $ASSAY_DB, else <user data dir>/assay.db (SQLite)
    rec = store.ingest(evaluation)       # idempotent
    store.diff()                         # the last two complete scans

SQLite by default; `postgresql://...` for teams. See docs/evidence.md.
"""

from typing import TYPE_CHECKING, Any

from assay.store.records import (
    Attestation,
    AttestationState,
    ChainReport,
    CriterionRow,
    FindingRow,
    Page,
    ScanDiff,
    ScanRecord,
    ScanSummary,
    TypeIIView,
)

if TYPE_CHECKING:
    from assay.store.store import Store, open_store


def __getattr__(name: str) -> Any:
    # The records are light; the store itself loads SQLAlchemy, so it is imported on first use.
    if name in ("Store", "open_store"):
        from assay.store import store

        return getattr(store, name)
    raise AttributeError(f"module 'assay.store' has no attribute {name!r}")

__all__ = ["Attestation", "AttestationState", "ChainReport", "CriterionRow", "FindingRow", "Page", "ScanDiff",
           "ScanRecord", "ScanSummary", "Store", "TypeIIView", "open_store"]
