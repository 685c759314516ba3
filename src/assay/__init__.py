"""Assay: a read-only SOC 2 compliance scanner for AWS.

collect (boto3, concurrent) -> Inventory snapshot -> pure evaluation -> SOC 2 mapping -> reports.
"""

__version__ = "0.1.0"
