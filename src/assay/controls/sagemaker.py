"""SageMaker controls: customer-managed encryption of notebook and endpoint storage, notebook network access."""

from __future__ import annotations

import re

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.sagemaker import SageMakerEndpointConfig, SageMakerNotebook

NOTEBOOK_NEEDS = ["sagemaker:ListNotebookInstances", "sagemaker:DescribeNotebookInstance"]
# Instance types with local NVMe storage (m5d, r5d, g4dn, p4d...): hardware-encrypted, and SageMaker refuses a
# KmsKeyId for them. The name pattern is a heuristic over SageMaker's naming, not a list from AWS.
LOCAL_STORAGE = re.compile(r"^ml\.[a-z]+\d+[a-z]*d[a-z]?\.")


@control(
    id="sagemaker.notebook_encrypted_with_cmk",
    title="SageMaker notebook instances encrypt their storage with a customer-managed KMS key",
    severity="medium",
    needs=NOTEBOOK_NEEDS,
    rationale="Notebook volumes hold datasets, credentials cached by data scientists and model artefacts. "
    "A customer-managed key puts access to that data under a key policy the organisation controls, audits "
    "and can revoke, rather than an AWS managed key any permitted user of the account's SageMaker can use "
    "(CC6.1, C1.1).",
    remediation=Remediation(
        console="The key of an existing notebook cannot be changed: SageMaker console > Notebook instances > "
        "Create notebook instance > Permissions and encryption > Encryption key: choose your KMS key; copy the "
        "work over, then stop and delete the old instance.",
        cli="aws sagemaker create-notebook-instance --notebook-instance-name <name> --instance-type ml.t3.medium "
        "--role-arn <role-arn> --kms-key-id <kms-key-arn>",
        terraform='resource "aws_sagemaker_notebook_instance" "research" {\n  kms_key_id = aws_kms_key.ml.arn\n}',
    ),
)
def notebook_encrypted_with_cmk(nb: SageMakerNotebook) -> Outcome:
    if nb.kms_key_id is None:
        return Error("notebook instance was not described")
    if nb.kms_key_id:
        return Pass(f"storage is encrypted with {nb.kms_key_id}")
    return Fail("storage is encrypted only with the AWS managed key (no KmsKeyId)")


@control(
    id="sagemaker.notebook_no_direct_internet",
    title="SageMaker notebook instances have no direct internet access",
    severity="high",
    needs=NOTEBOOK_NEEDS,
    rationale="With direct internet access a notebook reaches the internet outside the organisation's VPC "
    "controls, so data can be copied out and untrusted code pulled in without passing egress filtering or "
    "flow logs. Notebooks in a VPC subnet with direct access disabled stay behind the network boundary "
    "(CC6.1, CC6.6).",
    remediation=Remediation(
        console="Direct internet access cannot be changed on an existing instance: create a new notebook "
        "instance with a VPC subnet and security groups, set 'Direct internet access' to Disable, and provide "
        "egress through a NAT gateway or VPC endpoints; move the work over and delete the old instance.",
        cli="aws sagemaker create-notebook-instance --notebook-instance-name <name> --instance-type ml.t3.medium "
        "--role-arn <role-arn> --subnet-id <subnet> --security-group-ids <sg> --direct-internet-access Disabled",
        terraform='resource "aws_sagemaker_notebook_instance" "research" {\n  subnet_id              = '
        'aws_subnet.private.id\n  security_groups        = [aws_security_group.notebook.id]\n'
        '  direct_internet_access = "Disabled"\n}',
    ),
)
def notebook_no_direct_internet(nb: SageMakerNotebook) -> Outcome:
    if nb.direct_internet_access is None:
        return Error("notebook instance was not described")
    if nb.direct_internet_access == "Disabled":
        return Pass(f"direct internet access is disabled (subnet {nb.subnet_id or 'unknown'})")
    return Fail("direct internet access is enabled")


@control(
    id="sagemaker.endpoint_config_encrypted_with_cmk",
    title="SageMaker endpoint configurations encrypt attached storage with a customer-managed KMS key",
    severity="medium",
    needs=["sagemaker:ListEndpointConfigs", "sagemaker:DescribeEndpointConfig"],
    rationale="Endpoint instances keep the model and inference data on an attached ML storage volume. A "
    "customer-managed KMS key keeps control of that data with the organisation's key policy, rotation and "
    "audit trail (CC6.1, C1.1).",
    remediation=Remediation(
        console="Endpoint configurations are immutable: SageMaker console > Inference > Endpoint configurations > "
        "Create endpoint configuration > Encryption key: choose your KMS key > Create; then Endpoints > the "
        "endpoint > Change > use the new configuration.",
        cli="aws sagemaker create-endpoint-config --endpoint-config-name <new-name> --kms-key-id <kms-key-arn> "
        "--production-variants file://variants.json\n"
        "aws sagemaker update-endpoint --endpoint-name <endpoint> --endpoint-config-name <new-name>",
        terraform='resource "aws_sagemaker_endpoint_configuration" "scoring" {\n  kms_key_arn = aws_kms_key.ml.arn\n}',
    ),
)
def endpoint_config_encrypted_with_cmk(config: SageMakerEndpointConfig) -> Outcome:
    if config.kms_key_id is None:
        return Error("endpoint configuration was not described")
    if config.kms_key_id:
        return Pass(f"attached storage is encrypted with {config.kms_key_id}")
    if not config.instance_types:
        return Skip("serverless variants only: no ML storage volume to encrypt with a key of yours")
    if all(LOCAL_STORAGE.match(t) for t in config.instance_types):
        return Skip(f"instance types with hardware-encrypted local storage ({', '.join(config.instance_types)}) "
                    "take no KMS key")
    return Fail("no KmsKeyId: attached storage uses the AWS managed key")
