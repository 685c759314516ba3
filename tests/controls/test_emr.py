"""EMR controls: pure functions over EmrCluster."""

from __future__ import annotations

from typing import Any

from assay.controls import emr
from assay.models.findings import Status
from assay.models.resources.emr import EmrCluster


def cluster(**over: Any) -> EmrCluster:
    base: dict[str, Any] = dict(arn="arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-1", id="j-1",
                                account_id="123456789012", region="us-east-1", state="WAITING",
                                kerberos_realm="EC2.INTERNAL", security_configuration="kerb",
                                subnet_id="subnet-1", master_public_ips=())
    return EmrCluster(**{**base, **over})


def test_cluster_kerberos_enabled() -> None:
    assert emr.cluster_kerberos_enabled(cluster()).status is Status.PASS
    assert emr.cluster_kerberos_enabled(cluster(kerberos_realm="")).status is Status.FAIL
    assert emr.cluster_kerberos_enabled(cluster(kerberos_realm=None)).status is Status.ERROR
    # only active clusters are collected: terminated ones never reach the control (no not-applicable case)


def test_master_node_no_public_ip() -> None:
    assert emr.master_node_no_public_ip(cluster()).status is Status.PASS
    out = emr.master_node_no_public_ip(cluster(master_public_ips=("54.1.2.3",)))
    assert out.status is Status.FAIL and out.message == "primary node has public IP 54.1.2.3"
    assert emr.master_node_no_public_ip(cluster(master_public_ips=None)).status is Status.ERROR
