"""Amazon Inspector controls: vulnerability scanning is on for the workloads it can scan."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.inspector2 import InspectorAccountStatus

SCAN_TYPES = {"ec2": "EC2", "ecr": "ECR", "lambda": "LAMBDA", "lambdaCode": "LAMBDA_CODE"}


@control(
    id="inspector2.enabled_for_ec2_ecr_lambda",
    title="Amazon Inspector scans EC2 instances, ECR images and Lambda functions in every scanned region",
    severity="high",
    needs=["inspector2:BatchGetAccountStatus"],
    rationale="Inspector continuously looks for known software vulnerabilities (CVEs) and unintended network "
    "exposure in instances, container images and functions, and rescans when a new CVE is published. SOC 2 "
    "expects the entity to use detection procedures to identify vulnerabilities in its components (CC7.1); "
    "a region or resource type without scanning is a part of the estate where a published, exploitable flaw "
    "goes unnoticed until someone uses it. The scan types required are a parameter (resource_types), since "
    "an estate with no containers may leave ECR scanning off deliberately.",
    remediation=Remediation(
        console="Amazon Inspector console > switch to the region > Get started > Activate Inspector; on an "
        "activated account: Account management > select the account > Activate > EC2 scanning, ECR scanning "
        "and Lambda standard scanning.",
        cli="aws inspector2 enable --region <region> --resource-types EC2 ECR LAMBDA",
        terraform='resource "aws_inspector2_enabler" "main" {\n'
        "  account_ids    = [data.aws_caller_identity.current.account_id]\n"
        '  resource_types = ["EC2", "ECR", "LAMBDA"]\n}',
    ),
)
def enabled_for_ec2_ecr_lambda(
    status: InspectorAccountStatus, *, resource_types: list[str] = ["ec2", "ecr", "lambda"]  # noqa: B006
) -> Outcome:
    if status.resource_states is None:
        return Error(f"Inspector's status in {status.region} is unknown: {status.failure or 'not read'}")
    off = [f"{SCAN_TYPES.get(t, t)} ({status.resource_states.get(t, 'not reported').lower()})"
           for t in resource_types if status.resource_states.get(t) != "ENABLED"]
    if off:
        return Fail(f"Inspector in {status.region} does not scan {', '.join(off)}")
    return Pass(f"Inspector in {status.region} scans {', '.join(SCAN_TYPES.get(t, t) for t in resource_types)}")
