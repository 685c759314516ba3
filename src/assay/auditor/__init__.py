"""The auditor report: one HTML or PDF document built from the scan store for a SOC 2 Type II audit.

    from assay.auditor import Options, write_report
    write_report(store, Options(), Path("report.pdf"))

Cover and executive summary, every criterion's state and why, manual criteria and their attestations,
inherited criteria, exceptions, coverage, the Type II view of the observation window and an index of
the signed, hash-chained scans. See docs/evidence.md.
"""

from assay.auditor.report import Options
from assay.auditor.write import write_report

__all__ = ["Options", "write_report"]
