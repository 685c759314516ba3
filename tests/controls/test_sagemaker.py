"""SageMaker controls: pure functions over notebook instances and endpoint configurations."""

from __future__ import annotations

from typing import Any

from assay.controls import sagemaker
from assay.models.findings import Status
from assay.models.resources.sagemaker import SageMakerEndpointConfig, SageMakerNotebook

KEY = "arn:aws:kms:us-east-1:123456789012:key/k1"


def nb(**over: Any) -> SageMakerNotebook:
    base: dict[str, Any] = dict(arn="arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/n", id="n",
                                account_id="123456789012", region="us-east-1", status="InService",
                                kms_key_id=KEY, direct_internet_access="Disabled", subnet_id="subnet-1")
    return SageMakerNotebook(**{**base, **over})


def cfg(**over: Any) -> SageMakerEndpointConfig:
    base: dict[str, Any] = dict(arn="arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/c", id="c",
                                account_id="123456789012", region="us-east-1", kms_key_id=KEY,
                                instance_types=("ml.m5.large",))
    return SageMakerEndpointConfig(**{**base, **over})


def test_notebook_encrypted_with_cmk() -> None:
    assert sagemaker.notebook_encrypted_with_cmk(nb()).status is Status.PASS
    assert sagemaker.notebook_encrypted_with_cmk(nb(kms_key_id="")).status is Status.FAIL
    assert sagemaker.notebook_encrypted_with_cmk(nb(kms_key_id=None)).status is Status.ERROR
    # every notebook instance has a storage volume: no not-applicable case


def test_notebook_no_direct_internet() -> None:
    assert sagemaker.notebook_no_direct_internet(nb()).status is Status.PASS
    out = sagemaker.notebook_no_direct_internet(nb(direct_internet_access="Enabled"))
    assert out.status is Status.FAIL and out.message == "direct internet access is enabled"
    assert sagemaker.notebook_no_direct_internet(nb(direct_internet_access=None)).status is Status.ERROR


def test_endpoint_config_encrypted_with_cmk() -> None:
    assert sagemaker.endpoint_config_encrypted_with_cmk(cfg()).status is Status.PASS
    assert sagemaker.endpoint_config_encrypted_with_cmk(cfg(kms_key_id="")).status is Status.FAIL
    mixed = cfg(kms_key_id="", instance_types=("ml.g4dn.xlarge", "ml.m5.large"))
    assert sagemaker.endpoint_config_encrypted_with_cmk(mixed).status is Status.FAIL
    for local in ("ml.g4dn.xlarge", "ml.m5d.large", "ml.p4d.24xlarge", "ml.p4de.24xlarge"):
        out = sagemaker.endpoint_config_encrypted_with_cmk(cfg(kms_key_id="", instance_types=(local,)))
        assert out.status is Status.SKIP, local
    serverless = cfg(kms_key_id="", instance_types=(), serverless_variants=1)
    assert sagemaker.endpoint_config_encrypted_with_cmk(serverless).status is Status.SKIP
    assert sagemaker.endpoint_config_encrypted_with_cmk(cfg(kms_key_id=None)).status is Status.ERROR
