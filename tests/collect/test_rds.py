"""RDS collector against moto's server (seeded with the demo's RDS estate), and ERROR, never PASS or FAIL,
for every RDS and Neptune control whose read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import neptune as neptune_estate
from assay.demo.estate import rds as rds_estate
from assay.engine import Evaluation
from assay.faults import deny
from assay.models.resources.neptune import NeptuneDbCluster
from assay.models.resources.rds import RdsDbCluster, RdsDbClusterSnapshot, RdsDbInstance, RdsDbSnapshot
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1", "eu-west-1"]
ACTIONS = sorted(next(s for s in load_collectors().values() if s.service == "rds").permissions)
# The RDS and Neptune controls that read RDS alone (AWS Backup coverage: tests/collect/test_backup.py).
CONTROLS = sorted(cid for cid, c in load_controls().items() if cid.split(".")[0] in ("rds", "neptune")
                  and set(c.needs) <= set(ACTIONS))


def estate(seed: Any) -> None:
    rds_estate.seed(seed, REGIONS)
    neptune_estate.seed(seed, REGIONS)


def verdicts(ev: Evaluation) -> dict[str, dict[str, str]]:
    return {cid: by_name(ev, cid) for cid in CONTROLS}


def test_reads_instances_clusters_and_manual_snapshots(access: AwsAccess, seed: Any) -> None:
    estate(seed)
    inv = scan(access, ["rds"], regions=REGIONS)
    assert inv.complete
    instances = {d.name: d for d in inv.of(RdsDbInstance)}
    assert sorted(instances) == ["fail-reporting-db", "pass-orders-db", "pass-orders-db-eu-west-1",
                                 "skip-ledger-1", "skip-ledger-2"]
    good, bad = instances["pass-orders-db"], instances["fail-reporting-db"]
    assert good.arn == "arn:aws:rds:us-east-1:123456789012:db:pass-orders-db"
    assert (good.storage_encrypted, good.multi_az, good.backup_retention_days, good.deletion_protection) == \
        (True, True, 14, True)
    assert good.log_exports == ("postgresql", "upgrade") and good.tags["classification"] == "confidential"
    assert (bad.publicly_accessible, bad.engine, bad.auto_minor_version_upgrade) == (True, "mysql", False)
    assert instances["skip-ledger-1"].cluster_id == "pass-ledger"
    assert instances["pass-orders-db-eu-west-1"].region == "eu-west-1"
    # Neptune clusters come back from the same call but become Neptune resources, not RDS ones
    assert sorted(c.name for c in inv.of(RdsDbCluster)) == ["fail-analytics", "pass-ledger"]
    assert sorted(c.name for c in inv.of(NeptuneDbCluster)) == ["fail-graph-prototype", "pass-knowledge-graph"]
    # only manual snapshots are listed (moto, like AWS, also keeps automated ones)
    snapshots = {s.name: s.restorable_by for s in inv.of(RdsDbSnapshot)}
    assert snapshots == {"pass-orders-before-migration": (), "fail-reporting-shared": ("all",)}
    assert sorted(s.name for s in inv.of(RdsDbClusterSnapshot)) == ["fail-analytics-export", "pass-ledger-month-end"]

    ev = evaluate(inv)
    assert by_name(ev, "rds.instance_not_publicly_accessible") == {
        "pass-orders-db": "pass", "pass-orders-db-eu-west-1": "pass", "fail-reporting-db": "fail",
        "skip-ledger-1": "pass", "skip-ledger-2": "pass"}
    assert by_name(ev, "rds.instance_storage_encrypted")["skip-ledger-1"] == "skip"
    assert by_name(ev, "rds.snapshot_not_public") == {"pass-orders-before-migration": "pass",
                                                      "fail-reporting-shared": "fail"}
    assert by_name(ev, "rds.cluster_snapshot_not_public") == {"pass-ledger-month-end": "pass",
                                                              "fail-analytics-export": "fail"}
    assert by_name(ev, "rds.cluster_multi_az") == {"pass-ledger": "pass", "fail-analytics": "fail"}
    assert by_name(ev, "neptune.cluster_snapshot_not_public") == {"pass-knowledge-graph-weekly": "pass",
                                                                  "fail-graph-prototype-handover": "fail"}
    [public] = [f for f in findings_of(ev, "rds.snapshot_not_public") if f.status.value == "fail"]
    assert public.message == "snapshot is public: any AWS account can restore it"


@pytest.mark.parametrize("action", ACTIONS)
def test_denied_read_is_error_never_pass_or_fail(access: AwsAccess, seed: Any, action: str) -> None:
    estate(seed)
    baseline = verdicts(evaluate(scan(access, ["rds"], regions=REGIONS)))
    access.hooks.append(("before-call", deny({action}, code="AccessDenied")))
    inv = scan(access, ["rds"], regions=REGIONS)
    assert {e.operation for e in inv.errors} == {action}
    ev = evaluate(inv)
    controls = load_controls()
    checked = 0
    for cid in CONTROLS:
        found = findings_of(ev, cid)
        if action in controls[cid].needs:
            attempted = [f for f in found if f.region == "us-east-1"]  # every call is made there
            assert attempted and {f.status.value for f in attempted} == {"error"}, (cid, by_name(ev, cid))
            assert all(action in f.message for f in attempted), cid
            checked += 1
        else:
            assert by_name(ev, cid) == baseline[cid], cid  # controls that do not need it still judge
    assert checked >= 1
