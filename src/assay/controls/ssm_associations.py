"""Systems Manager control on State Manager associations: instances stay in the configuration their
associations define."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.controls.ssm import _region
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.ec2 import Instance


@control(
    id="ssm.association_compliant",
    title="Running EC2 instances are compliant with their State Manager associations",
    severity="medium",
    needs=["ec2:DescribeInstances", "ssm:ListResourceComplianceSummaries"],
    rationale="A State Manager association applies a document (agent installation, hardening, antivirus, log "
    "shipping) on a schedule and reports NON_COMPLIANT when the instance no longer matches it or the run "
    "failed. Non-compliance is detected drift from the approved configuration, which SOC 2 expects to be "
    "noticed and corrected (CC7.1). Instances that no association targets, and stopped ones, are not "
    "applicable: baseline coverage itself is judged by ssm.instances_managed.",
    remediation=Remediation(
        console="Systems Manager console > State Manager > the association > Execution history: open the failed "
        "run for the instance, fix the cause (agent, permissions, the document's prerequisites), then Apply "
        "association now.",
        cli="aws ssm list-compliance-items --resource-ids <instance-id> --resource-types ManagedInstance "
        "--filters Key=ComplianceType,Values=Association\n"
        "aws ssm start-associations-once --association-ids <association-id>",
        terraform='resource "aws_ssm_association" "baseline" {\n  name                = "AWS-ApplyAnsiblePlaybooks"\n'
        '  schedule_expression = "rate(30 minutes)"\n  targets {\n    key    = "tag:role"\n'
        '    values = ["app"]\n  }\n}',
    ),
)
def association_compliant(instance: Instance, inv: Inventory) -> Outcome:
    if instance.state != "running":
        return Skip(f"the instance is {instance.state}")
    ssm = _region(instance, inv)
    if ssm is None or ssm.associations is None:
        return Error(f"association compliance in {instance.region} was not read")
    summary = ssm.associations.get(instance.id)
    if summary is None:
        return Skip(f"no State Manager association targets {instance.id}")
    if summary.status != "COMPLIANT":
        return Fail(f"{instance.id} is {summary.status} with its associations "
                    f"({summary.non_compliant_count} non-compliant)")
    return Pass(f"{instance.id} is compliant with its associations")
