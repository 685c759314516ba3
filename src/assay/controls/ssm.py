"""Systems Manager controls: running instances are managed, and their patches are current."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.ec2 import Instance
from assay.models.resources.ssm import SsmRegion


def _region(instance: Instance, inv: Inventory) -> SsmRegion | None:
    return next(iter(inv.in_account(SsmRegion, instance.account_id, instance.region)), None)


@control(
    id="ssm.instances_managed",
    title="Running EC2 instances are managed by Systems Manager and reachable",
    severity="medium",
    needs=["ec2:DescribeInstances", "ssm:DescribeInstanceInformation"],
    rationale="An instance registered with Systems Manager can be inventoried, patched, configured and "
    "accessed without open SSH ports, and shows up in Patch Manager's compliance data; an unmanaged one is "
    "outside all of that and drifts unseen. SOC 2 expects the entity to detect configuration changes and "
    "vulnerabilities in its components (CC7.1) and to control the software installed on them (CC6.8). A "
    "registered node whose agent stopped reporting (ConnectionLost, Inactive) is no better than an "
    "unregistered one. Stopped instances are not applicable.",
    remediation=Remediation(
        console="Systems Manager console > Fleet Manager / Quick Setup > Host management: attach an instance "
        "profile with AmazonSSMManagedInstanceCore (or enable Default Host Management Configuration), make "
        "sure the SSM Agent runs (preinstalled on Amazon Linux, Windows and Ubuntu AMIs) and that the instance "
        "reaches the SSM endpoints (internet, NAT or VPC endpoints).",
        cli="aws ec2 associate-iam-instance-profile --instance-id <id> --iam-instance-profile Name=<ssm-profile>\n"
        "aws ssm describe-instance-information --filters Key=InstanceIds,Values=<id>",
        terraform='resource "aws_iam_role_policy_attachment" "ssm" {\n'
        "  role       = aws_iam_role.instance.name\n"
        '  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"\n}\n'
        'resource "aws_iam_instance_profile" "instance" {\n  role = aws_iam_role.instance.name\n}',
    ),
)
def instances_managed(instance: Instance, inv: Inventory) -> Outcome:
    if instance.state != "running":
        return Skip(f"the instance is {instance.state}")
    ssm = _region(instance, inv)
    if ssm is None or ssm.managed is None:
        return Error(f"Systems Manager's managed nodes in {instance.region} were not read")
    ping = ssm.managed.get(instance.id)
    if ping is None:
        return Fail(f"{instance.id} is not registered with Systems Manager")
    if ping != "Online":
        return Fail(f"{instance.id} is registered, but its SSM Agent is {ping}")
    return Pass(f"{instance.id} is managed and online")


@control(
    id="ssm.patch_compliant",
    title="Running EC2 instances are compliant with their Patch Manager baseline",
    severity="high",
    needs=["ec2:DescribeInstances", "ssm:ListResourceComplianceSummaries"],
    rationale="Patch Manager compares each managed node with its patch baseline and reports it NON_COMPLIANT "
    "when approved patches (security updates above all) are missing. Unpatched known vulnerabilities are the "
    "most common way into servers; SOC 2 expects vulnerabilities to be identified and remediated in a timely "
    "way (CC7.1). An instance with no patch compliance at all was never scanned, which is no evidence of "
    "being patched, so it fails too. Stopped instances are not applicable.",
    remediation=Remediation(
        console="Systems Manager console > Patch Manager > Patch now (Scan and install) for the instance, or "
        "Configure patching with a maintenance window for its patch group; review the missing patches under "
        "Compliance reporting.",
        cli="aws ssm send-command --document-name AWS-RunPatchBaseline --targets Key=InstanceIds,Values=<id> "
        "--parameters Operation=Install\n"
        "aws ssm list-compliance-items --resource-ids <id> --resource-types ManagedInstance "
        "--filters Key=ComplianceType,Values=Patch",
        terraform='resource "aws_ssm_association" "patch" {\n  name = "AWS-RunPatchBaseline"\n'
        '  schedule_expression = "rate(1 day)"\n  parameters = { Operation = "Install" }\n'
        '  targets {\n    key    = "InstanceIds"\n    values = [aws_instance.app.id]\n  }\n}',
    ),
)
def patch_compliant(instance: Instance, inv: Inventory) -> Outcome:
    if instance.state != "running":
        return Skip(f"the instance is {instance.state}")
    ssm = _region(instance, inv)
    if ssm is None or ssm.patch is None:
        return Error(f"patch compliance in {instance.region} was not read")
    summary = ssm.patch.get(instance.id)
    if summary is None:
        return Fail(f"{instance.id} has no patch compliance data: Patch Manager never scanned it")
    if summary.status != "COMPLIANT":
        detail = f"{summary.non_compliant_count} missing or failed patch(es)"
        if summary.overall_severity and summary.overall_severity != "UNSPECIFIED":
            detail += f", highest severity {summary.overall_severity}"
        return Fail(f"{instance.id} is {summary.status} with its patch baseline ({detail})")
    return Pass(f"{instance.id} is compliant with its patch baseline"
                + (f" (scanned {summary.execution_time})" if summary.execution_time else ""))
