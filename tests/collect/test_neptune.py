"""Neptune resources, read by the RDS collector: sorted by engine into Neptune models, judged by the Neptune
controls, ERROR when the cluster reads are denied; and, on botocore's Stubber, the settings moto cannot
express (IAM authentication on a Neptune cluster, Enhanced Monitoring on an instance)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.aws.rds import collect_databases
from assay.collect.calls import Ctx
from assay.collect.session import AwsAccess
from assay.controls import neptune, rds
from assay.controls.registry import load_controls
from assay.demo.estate import neptune as neptune_estate
from assay.faults import deny
from assay.models.resources.neptune import NeptuneDbCluster, NeptuneDbClusterSnapshot
from assay.models.resources.rds import RdsDbCluster, RdsDbInstance
from tests.helpers import ACCOUNT, by_name, evaluate, scan

REGIONS = ["us-east-1", "eu-west-1"]
NEPTUNE_CONTROLS = {cid: c for cid, c in load_controls().items() if cid.startswith("neptune.")}
GRAPH = {"pass-knowledge-graph": "pass", "fail-graph-prototype": "fail"}


def test_neptune_clusters_and_snapshots_are_neptune_resources(access: AwsAccess, seed: Any) -> None:
    neptune_estate.seed(seed, REGIONS)
    inv = scan(access, ["rds"], regions=REGIONS)
    assert inv.complete and not inv.of(RdsDbCluster)
    clusters = {c.name: c for c in inv.of(NeptuneDbCluster)}
    assert sorted(clusters) == sorted(GRAPH)
    good = clusters["pass-knowledge-graph"]
    assert (good.engine, good.storage_encrypted, good.deletion_protection, good.log_exports) == \
        ("neptune", True, True, ("audit",))
    assert good.tags == {"owner": "search-team"}
    snaps = {s.name: (s.encrypted, s.restorable_by) for s in inv.of(NeptuneDbClusterSnapshot)}
    assert snaps == {"pass-knowledge-graph-weekly": (True, ()), "fail-graph-prototype-handover": (False, ("all",))}
    ev = evaluate(inv)
    for cid in ("neptune.cluster_storage_encrypted", "neptune.cluster_backup_retention",
                "neptune.cluster_deletion_protection", "neptune.cluster_audit_logs_exported",
                "neptune.cluster_copy_tags_to_snapshot"):
        assert by_name(ev, cid) == GRAPH, cid
    assert by_name(ev, "neptune.cluster_snapshot_encrypted") == {"pass-knowledge-graph-weekly": "pass",
                                                                 "fail-graph-prototype-handover": "fail"}


@pytest.mark.parametrize("action", ["rds:DescribeDBClusters", "rds:DescribeDBClusterSnapshots",
                                    "rds:DescribeDBClusterSnapshotAttributes"])
def test_denied_reads_make_neptune_controls_error(access: AwsAccess, seed: Any, action: str) -> None:
    neptune_estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({action})))
    ev = evaluate(scan(access, ["rds"], regions=REGIONS))
    judged = 0
    for cid, control in NEPTUNE_CONTROLS.items():
        found = [f for f in ev.findings if f.control_id == cid]
        if action in control.needs:
            assert found and {f.status.value for f in found if f.region == "us-east-1"} == {"error"}, cid
            judged += 1
        else:
            assert "error" not in {f.status.value for f in found}, cid
    assert judged


def test_settings_moto_cannot_express_are_read() -> None:
    """moto rejects IAM authentication on Neptune clusters and never reports MonitoringInterval."""
    access = AwsAccess(endpoint_url="http://127.0.0.1:9", home_region="us-east-1", access_key="x", secret_key="y")
    client = access.client("rds", "us-east-1")
    ctx = Ctx(access, ACCOUNT, "us-east-1", "rds", "aws")
    with Stubber(client) as stub:
        stub.add_response("describe_db_instances", {"DBInstances": [{
            "DBInstanceIdentifier": "orders", "Engine": "postgres", "MonitoringInterval": 15,
            "DBInstanceArn": f"arn:aws:rds:us-east-1:{ACCOUNT}:db:orders"}]}, {"MaxRecords": 100})
        stub.add_response("describe_db_clusters", {"DBClusters": [{
            "DBClusterIdentifier": "graph", "Engine": "neptune", "IAMDatabaseAuthenticationEnabled": True,
            "DBClusterArn": f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:graph"}]}, {"MaxRecords": 100})
        manual = {"SnapshotType": "manual", "MaxRecords": 100}  # page sizes: assay.collect.pagination
        stub.add_response("describe_db_snapshots", {"DBSnapshots": []}, manual)
        stub.add_response("describe_db_cluster_snapshots", {"DBClusterSnapshots": []}, manual)
        found = list(collect_databases(ctx))
        stub.assert_no_pending_responses()
    [db] = [r for r in found if isinstance(r, RdsDbInstance)]
    [graph] = [r for r in found if isinstance(r, NeptuneDbCluster)]
    assert rds.instance_enhanced_monitoring(db) == ("pass", "Enhanced Monitoring samples every 15 seconds")
    assert neptune.cluster_iam_auth_enabled(graph) == ("pass", "IAM authentication is required")
    assert not ctx.errors
