"""CloudWatch Logs control over resource policies: no policy opens log groups to everyone."""

from __future__ import annotations

from assay.controls.policy import grants_everyone_unconditionally
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.logs_policies import LogsResourcePolicies


@control(
    id="logs.resource_policies_not_public",
    title="CloudWatch Logs resource policies do not grant access to everyone",
    severity="high",
    needs=["logs:DescribeResourcePolicies"],
    rationale="CloudWatch Logs resource policies let AWS services (Route 53, EventBridge, OpenSearch) or other "
    "accounts write to or read the region's log groups. A statement for principal '*' with no condition lets "
    "any AWS account do so: logs full of request data, identifiers and tokens could be read, or forged events "
    "written into the evidence. Service principals narrowed by aws:SourceArn or aws:SourceAccount keep access "
    "to what was intended (CC6.1, C1.1).",
    remediation=Remediation(
        console="The CloudWatch console does not show resource policies: list them with the CLI, then rewrite "
        "the offending one with the service principal it was meant for and an aws:SourceArn or "
        "aws:SourceAccount condition.",
        cli="aws logs describe-resource-policies\n"
        "aws logs put-resource-policy --policy-name <name> --policy-document file://scoped-policy.json\n"
        "aws logs delete-resource-policy --policy-name <name>",
        terraform='resource "aws_cloudwatch_log_resource_policy" "route53" {\n'
        '  policy_name     = "route53-query-logs"\n'
        "  policy_document = data.aws_iam_policy_document.route53_logs.json  # Service route53.amazonaws.com,\n"
        "                                                                    # condition aws:SourceAccount\n}",
    ),
)
def resource_policies_not_public(record: LogsResourcePolicies) -> Outcome:
    if record.policies is None:
        return Error("the region's resource policies could not be listed")
    if not record.policies:
        return Skip(f"no CloudWatch Logs resource policy in {record.region}")
    unreadable = [name for name, doc in record.policies.items() if doc is None]
    public = [f"{name} ({', '.join(sids)})" for name, doc in sorted(record.policies.items())
              if doc is not None and (sids := grants_everyone_unconditionally(doc))]
    if public:
        return Fail("resource policies allow everyone with no condition: " + "; ".join(public))
    if unreadable:
        return Error("resource policies are not valid JSON: " + ", ".join(unreadable))
    return Pass(f"none of {len(record.policies)} resource policies grants access to everyone")
