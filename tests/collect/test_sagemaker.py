"""SageMaker collectors against moto's server, and ERROR when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.sagemaker import SageMakerEndpointConfig, SageMakerNotebook
from tests.helpers import by_name, evaluate, findings_of, scan

ROLE = "arn:aws:iam::123456789012:role/sm"
KEY = "arn:aws:kms:us-east-1:123456789012:key/k1"
NB = ["sagemaker:ListNotebookInstances", "sagemaker:DescribeNotebookInstance"]
EC = ["sagemaker:ListEndpointConfigs", "sagemaker:DescribeEndpointConfig"]
CONTROLS = {"sagemaker.notebook_encrypted_with_cmk": NB, "sagemaker.notebook_no_direct_internet": NB,
            "sagemaker.endpoint_config_encrypted_with_cmk": EC}


def _estate(seed: Any) -> None:
    sm = seed("sagemaker")
    sm.create_notebook_instance(NotebookInstanceName="good", InstanceType="ml.t3.medium", RoleArn=ROLE,
                                KmsKeyId=KEY, SubnetId="subnet-1", SecurityGroupIds=["sg-1"],
                                DirectInternetAccess="Disabled")
    sm.create_notebook_instance(NotebookInstanceName="bad", InstanceType="ml.t3.medium", RoleArn=ROLE)
    sm.create_model(ModelName="m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img:1"})
    variant = {"VariantName": "v", "ModelName": "m", "InitialInstanceCount": 1}
    sm.create_endpoint_config(EndpointConfigName="good-cfg", KmsKeyId=KEY,
                              ProductionVariants=[{**variant, "InstanceType": "ml.m5.large"}])
    sm.create_endpoint_config(EndpointConfigName="bad-cfg",
                              ProductionVariants=[{**variant, "InstanceType": "ml.m5.large"}])
    sm.create_endpoint_config(EndpointConfigName="nvme-cfg",
                              ProductionVariants=[{**variant, "InstanceType": "ml.g4dn.xlarge"}])


def test_collects_notebooks_and_endpoint_configs(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["sagemaker"])
    assert inv.complete
    nbs = {n.name: n for n in inv.of(SageMakerNotebook)}
    assert (nbs["good"].kms_key_id, nbs["good"].direct_internet_access, nbs["good"].subnet_id) == (
        KEY, "Disabled", "subnet-1")
    assert (nbs["bad"].kms_key_id, nbs["bad"].direct_internet_access) == ("", "Enabled")
    cfgs = {c.name: c for c in inv.of(SageMakerEndpointConfig)}
    assert (cfgs["good-cfg"].kms_key_id, cfgs["good-cfg"].instance_types) == (KEY, ("ml.m5.large",))
    assert cfgs["bad-cfg"].kms_key_id == ""


def test_controls_reach_verdicts(access: Any, seed: Any) -> None:
    _estate(seed)
    ev = evaluate(scan(access, ["sagemaker"]))
    assert by_name(ev, "sagemaker.notebook_encrypted_with_cmk") == {"good": "pass", "bad": "fail"}
    assert by_name(ev, "sagemaker.notebook_no_direct_internet") == {"good": "pass", "bad": "fail"}
    assert by_name(ev, "sagemaker.endpoint_config_encrypted_with_cmk") == {
        "good-cfg": "pass", "bad-cfg": "fail", "nvme-cfg": "skip"}


@pytest.mark.parametrize("action", NB + EC)
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["sagemaker"]))
    for cid, needs in CONTROLS.items():
        found = findings_of(ev, cid)
        if action in needs:
            assert found and {f.status.value for f in found} == {"error"}, cid
            assert all(action in f.message for f in found)
        else:
            assert "error" not in {f.status.value for f in found}, cid
