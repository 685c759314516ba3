"""Redshift controls: pure functions over RedshiftCluster."""

from __future__ import annotations

from typing import Any

from assay.controls import redshift
from assay.models.findings import Status
from assay.models.resources.redshift import RedshiftCluster

P, F, E = Status.PASS, Status.FAIL, Status.ERROR


def cluster(**over: Any) -> RedshiftCluster:
    base: dict[str, Any] = dict(
        arn="arn:aws:redshift:us-east-1:123456789012:cluster:dw", id="dw", account_id="123456789012",
        region="us-east-1", node_type="ra3.xlplus", publicly_accessible=False, encrypted=True,
        enhanced_vpc_routing=True, allow_version_upgrade=True, snapshot_retention_days=7,
        parameter_groups=("tls",), audit_logging=True, require_ssl={"tls": "true"},
    )
    return RedshiftCluster(**{**base, **over})


def test_cluster_not_publicly_accessible() -> None:
    assert redshift.cluster_not_publicly_accessible(cluster()).status is P
    assert redshift.cluster_not_publicly_accessible(cluster(publicly_accessible=True)).status is F


def test_cluster_encrypted() -> None:
    assert redshift.cluster_encrypted(cluster()).status is P
    assert redshift.cluster_encrypted(cluster(encrypted=False)) == (F, "cluster is not encrypted at rest")


def test_cluster_requires_ssl() -> None:
    assert redshift.cluster_requires_ssl(cluster()) == (P, "require_ssl is true in parameter group tls")
    assert redshift.cluster_requires_ssl(cluster(require_ssl={"default.redshift-1.0": "false"})) == \
        (F, "require_ssl is not true in parameter group default.redshift-1.0")
    assert redshift.cluster_requires_ssl(cluster(require_ssl=None)).status is E
    assert redshift.cluster_requires_ssl(cluster(require_ssl={})).status is E


def test_cluster_audit_logging() -> None:
    assert redshift.cluster_audit_logging(cluster()).status is P
    assert redshift.cluster_audit_logging(cluster(audit_logging=False)) == (F, "audit logging is disabled")
    assert redshift.cluster_audit_logging(cluster(audit_logging=None)).status is E


def test_cluster_snapshot_retention() -> None:
    assert redshift.cluster_snapshot_retention(cluster()).status is P
    assert redshift.cluster_snapshot_retention(cluster(snapshot_retention_days=1)).status is F
    assert redshift.cluster_snapshot_retention(cluster(snapshot_retention_days=0)) == \
        (F, "automated snapshots are disabled (retention 0 days)")
    assert redshift.cluster_snapshot_retention(cluster(snapshot_retention_days=1), min_retention_days=1).status is P


def test_cluster_enhanced_vpc_routing() -> None:
    assert redshift.cluster_enhanced_vpc_routing(cluster()).status is P
    assert redshift.cluster_enhanced_vpc_routing(cluster(enhanced_vpc_routing=False)).status is F


def test_cluster_version_upgrades_allowed() -> None:
    assert redshift.cluster_version_upgrades_allowed(cluster()).status is P
    assert redshift.cluster_version_upgrades_allowed(cluster(allow_version_upgrade=False)).status is F
