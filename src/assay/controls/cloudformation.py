"""CloudFormation controls: stacks match their templates, as last checked by drift detection."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.cloudformation import CloudFormationStack

# Stacks with no resources to drift: a change set never executed, a creation that rolled back, a deletion.
NO_RESOURCES = ("REVIEW_IN_PROGRESS", "ROLLBACK_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_COMPLETE")


@control(
    id="cloudformation.stacks_without_drift",
    title="CloudFormation stacks have been checked for drift and match their templates",
    severity="medium",
    needs=["cloudformation:DescribeStacks"],
    rationale="Infrastructure as code is change control only while the live resources match the reviewed "
    "template; a change made by hand in the console bypasses review and approval and is overwritten or "
    "breaks the next deployment. SOC 2 expects changes to infrastructure to be authorised, tested and "
    "approved (CC8.1); drift is the evidence of changes that were not. A stack whose drift was never "
    "detected (NOT_CHECKED) fails as well: the read succeeded and says nobody has looked, and an unchecked "
    "stack is no evidence that it has not drifted. Assay does not start drift detection itself, as that is "
    "a write; schedule it (or an AWS Config rule) so that this control has fresh results to read.",
    remediation=Remediation(
        console="CloudFormation console > Stacks > the stack > Stack actions > Detect drift; then View drift "
        "results, and bring drifted resources back through the template (update the stack, or import the "
        "manual change into the template and redeploy).",
        cli="aws cloudformation detect-stack-drift --stack-name <stack>\n"
        "aws cloudformation describe-stack-resource-drifts --stack-name <stack> "
        "--stack-resource-drift-status-filters MODIFIED DELETED",
        terraform="# Terraform-managed estates: run `terraform plan -detailed-exitcode` on a schedule; for "
        "CloudFormation stacks, the AWS Config managed rule:\n"
        'resource "aws_config_config_rule" "cfn_drift" {\n  name = "cloudformation-stack-drift-detection-check"\n'
        '  source {\n    owner             = "AWS"\n'
        '    source_identifier = "CLOUDFORMATION_STACK_DRIFT_DETECTION_CHECK"\n  }\n'
        '  input_parameters = jsonencode({ cloudformationRoleArn = aws_iam_role.drift.arn })\n}',
    ),
)
def stacks_without_drift(stack: CloudFormationStack) -> Outcome:
    if stack.status in NO_RESOURCES:
        return Skip(f"the stack is {stack.status} and has no resources to drift")
    if stack.drift_status is None:
        return Error("AWS returned no drift information for the stack")
    if stack.drift_status == "DRIFTED":
        return Fail("the stack has drifted from its template"
                    + (f" (detected {stack.drift_checked_at})" if stack.drift_checked_at else ""))
    if stack.drift_status == "IN_SYNC":
        return Pass("the stack matches its template"
                    + (f" (checked {stack.drift_checked_at})" if stack.drift_checked_at else ""))
    if stack.drift_status == "NOT_CHECKED":
        return Fail("drift detection has never run on the stack, so nothing shows it matches its template")
    return Fail(f"the last drift detection did not finish (status {stack.drift_status})")
