"""EMR collector against moto's server, and ERROR when a read is denied.

moto's EMR launches EC2 instances (in its EC2 backend) only for Instances.InstanceGroups, and ignores
Ec2SubnetId for them: they land in the default subnet, which maps public IPs. So the cluster with a public
primary node is built from instance groups, the other from InstanceCount alone (moto creates no node).
"""

from __future__ import annotations

from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.emr import EmrCluster
from tests.helpers import by_name, evaluate, findings_of, scan

LIST, DESCRIBE, INSTANCES = ("elasticmapreduce:ListClusters", "elasticmapreduce:DescribeCluster",
                             "elasticmapreduce:ListInstances")
CONTROLS = {"emr.cluster_kerberos_enabled": [LIST, DESCRIBE],
            "emr.master_node_no_public_ip": [LIST, DESCRIBE, INSTANCES]}


def _estate(seed: Any) -> None:
    emr = seed("emr")
    common = {"ReleaseLabel": "emr-6.15.0", "JobFlowRole": "EMR_EC2_DefaultRole", "ServiceRole": "EMR_DefaultRole",
              "VisibleToAllUsers": True}
    emr.create_security_configuration(Name="kerb", SecurityConfiguration='{"AuthenticationConfiguration": {}}')
    emr.run_job_flow(Name="good", SecurityConfiguration="kerb", KerberosAttributes={
        "Realm": "EC2.INTERNAL", "KdcAdminPassword": "x"}, Instances={
        "MasterInstanceType": "m5.xlarge", "InstanceCount": 1, "KeepJobFlowAliveWhenNoSteps": True}, **common)
    emr.run_job_flow(Name="bad", Instances={"KeepJobFlowAliveWhenNoSteps": True, "InstanceGroups": [
        {"Name": "primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
        {"Name": "core", "InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 1}]}, **common)


def test_collects_clusters_and_evaluates(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["emr"])
    assert inv.complete
    clusters = {c.name: c for c in inv.of(EmrCluster)}
    assert (clusters["good"].kerberos_realm, clusters["good"].master_public_ips) == ("EC2.INTERNAL", ())
    assert clusters["bad"].kerberos_realm == "" and len(clusters["bad"].master_public_ips or ()) == 1
    assert "x" not in {clusters["good"].kerberos_realm}  # the KDC password is never kept
    ev = evaluate(inv)
    assert by_name(ev, "emr.cluster_kerberos_enabled") == {"good": "pass", "bad": "fail"}
    assert by_name(ev, "emr.master_node_no_public_ip") == {"good": "pass", "bad": "fail"}


@pytest.mark.parametrize("action", [LIST, DESCRIBE, INSTANCES])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["emr"]))
    for cid, needs in CONTROLS.items():
        found = findings_of(ev, cid)
        if action in needs:
            assert found and {f.status.value for f in found} == {"error"}, cid
            assert all(action in f.message for f in found)
        else:
            assert "error" not in {f.status.value for f in found}, cid
