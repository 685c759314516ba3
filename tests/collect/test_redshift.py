"""Redshift collector against moto's server (seeded with the demo's Redshift estate), ERROR never PASS or
FAIL when a read is denied, and require_ssl = true on botocore's Stubber (moto cannot change parameters)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.aws.redshift import collect_clusters
from assay.collect.calls import Ctx
from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls import redshift
from assay.controls.registry import load_controls
from assay.demo.estate import redshift as redshift_estate
from assay.faults import deny
from assay.models.resources.redshift import RedshiftCluster
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1"]
ACTIONS = sorted(next(s for s in load_collectors().values() if s.service == "redshift").permissions)
CONTROLS = {cid: c for cid, c in load_controls().items() if cid.startswith("redshift.")}
BOTH = {"pass-warehouse": "pass", "fail-marketing-sandbox": "fail"}
BASELINE = {**{cid: BOTH for cid in CONTROLS},
            "redshift.cluster_requires_ssl": {"pass-warehouse": "fail", "fail-marketing-sandbox": "fail"}}


def test_reads_clusters_logging_and_parameters(access: AwsAccess, seed: Any) -> None:
    redshift_estate.seed(seed, REGIONS)
    inv = scan(access, ["redshift"], regions=REGIONS)
    assert inv.complete
    clusters = {c.name: c for c in inv.of(RedshiftCluster)}
    good, bad = clusters["pass-warehouse"], clusters["fail-marketing-sandbox"]
    assert good.arn == f"arn:aws:redshift:us-east-1:{ACCOUNT}:cluster:pass-warehouse"
    assert (good.audit_logging, good.require_ssl, good.tags) == \
        (True, {"northwind-warehouse": "false"}, {"owner": "data-platform"})
    assert (bad.publicly_accessible, bad.encrypted, bad.audit_logging, bad.parameter_groups) == \
        (True, False, False, ("default.redshift-1.0",))
    ev = evaluate(inv)
    assert {cid: by_name(ev, cid) for cid in CONTROLS} == BASELINE
    [sandbox] = [f for f in findings_of(ev, "redshift.cluster_requires_ssl") if f.resource_name.startswith("fail")]
    assert sandbox.message == "require_ssl is not true in parameter group default.redshift-1.0"


@pytest.mark.parametrize("action", ACTIONS)
def test_denied_read_is_error_never_pass_or_fail(access: AwsAccess, seed: Any, action: str) -> None:
    redshift_estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({action})))
    inv = scan(access, ["redshift"], regions=REGIONS)
    assert {e.operation for e in inv.errors} == {action}
    ev = evaluate(inv)
    for cid, c in CONTROLS.items():
        found = findings_of(ev, cid)
        if action in c.needs:
            assert found and {f.status.value for f in found} == {"error"}, (cid, by_name(ev, cid))
            assert all(action in f.message for f in found), cid
        else:
            assert by_name(ev, cid) == BASELINE[cid], cid


def test_shared_parameter_group_is_read_once_and_require_ssl_true_passes() -> None:
    access = AwsAccess(endpoint_url="http://127.0.0.1:9", home_region="us-east-1", access_key="x", secret_key="y")
    client = access.client("redshift", "us-east-1")
    ctx = Ctx(access, ACCOUNT, "us-east-1", "redshift", "aws")
    group = [{"ParameterGroupName": "tls", "ParameterApplyStatus": "in-sync"}]
    with Stubber(client) as stub:
        stub.add_response("describe_clusters", {"Clusters": [
            {"ClusterIdentifier": name, "ClusterParameterGroups": group} for name in ("a", "b")]},
            {"MaxRecords": 100})  # page sizes: assay.collect.pagination
        stub.add_response("describe_logging_status", {"LoggingEnabled": True}, {"ClusterIdentifier": "a"})
        stub.add_response("describe_cluster_parameters", {"Parameters": [
            {"ParameterName": "require_ssl", "ParameterValue": "true"}]},
            {"ParameterGroupName": "tls", "MaxRecords": 100})
        stub.add_response("describe_logging_status", {"LoggingEnabled": False}, {"ClusterIdentifier": "b"})
        found = list(collect_clusters(ctx))
        stub.assert_no_pending_responses()
    assert [(c.name, c.require_ssl, c.audit_logging) for c in found] == \
        [("a", {"tls": "true"}, True), ("b", {"tls": "true"}, False)]
    assert redshift.cluster_requires_ssl(found[0]) == ("pass", "require_ssl is true in parameter group tls")
