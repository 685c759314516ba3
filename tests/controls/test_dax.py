"""DAX controls: pure functions over DaxCluster."""

from __future__ import annotations

from typing import Any

from assay.controls import dax
from assay.models.findings import Status
from assay.models.resources.dax import DaxCluster

P, F, E = Status.PASS, Status.FAIL, Status.ERROR


def cluster(**over: Any) -> DaxCluster:
    base: dict[str, Any] = dict(arn="arn:aws:dax:us-east-1:123456789012:cache/orders", id="orders", name="orders",
                                account_id="123456789012", region="us-east-1", sse_status="ENABLED",
                                endpoint_encryption="TLS")
    return DaxCluster(**{**base, **over})


def test_cluster_encrypted_at_rest() -> None:
    assert dax.cluster_encrypted_at_rest(cluster()) == (P, "encryption at rest is enabled")
    assert dax.cluster_encrypted_at_rest(cluster(sse_status="DISABLED")) == (F, "encryption at rest is disabled")
    assert dax.cluster_encrypted_at_rest(cluster(sse_status="")).status is E  # not reported: unknown


def test_cluster_encrypted_in_transit() -> None:
    assert dax.cluster_encrypted_in_transit(cluster()).status is P
    assert dax.cluster_encrypted_in_transit(cluster(endpoint_encryption="NONE")) == \
        (F, "the cluster endpoint accepts clear-text connections (encryption type NONE)")
