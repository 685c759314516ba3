"""Security-event alarms on Northwind's CloudTrail log group: every CIS-style alarm, complete; and a
workload alarm in each other region, so that every region running workloads has one.

The filters go on the log group Northwind's multi-region trail (cloudtrail estate) delivers to in
us-east-1, or on "northwind-cloudtrail" when this module is seeded without a trail. The sandbox
account (demo/sandbox) runs a function and has no alarm at all.
"""

from __future__ import annotations

from typing import Any

from assay.demo.estate import ClientFactory

HOME = "us-east-1"
GROUP = "northwind-cloudtrail"  # used only when no multi-region trail streams to CloudWatch Logs
NAMESPACE = "Northwind/SecurityEvents"


def _any_event(*names: str) -> str:
    return "{ " + " || ".join(f'($.eventName = "{n}")' for n in names) + " }"


# (filter and metric name, pattern, alarm: None for no alarm, else extra put_metric_alarm arguments).
# Production's alarms are complete; the sandbox account (demo/sandbox) shows the failures.
FILTERS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("pass-root-account-usage",
     '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
     {}),
    ("pass-unauthorized-api-calls",
     '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
     {}),
    ("pass-console-signin-without-mfa",
     '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") '
     '&& ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
     {}),
    ("pass-iam-policy-changes",
     _any_event("CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "PutUserPolicy",
                "PutGroupPolicy", "PutRolePolicy", "DeleteUserPolicy", "DeleteGroupPolicy", "DeleteRolePolicy",
                "AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy", "DetachUserPolicy",
                "DetachGroupPolicy", "DetachRolePolicy"),
     {}),
    ("pass-cloudtrail-config-changes",
     _any_event("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"),
     {}),
    ("pass-security-group-changes",
     _any_event("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
                "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup"),
     {}),
    ("pass-nacl-changes",
     _any_event("CreateNetworkAcl", "DeleteNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAclEntry",
                "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"),
     {}),
    ("pass-console-auth-failures",
     '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
     {}),
    ("pass-kms-key-disabled-or-deleted",
     '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }',
     {}),
    ("pass-config-changes",
     '{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || '
     '($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || '
     '($.eventName = PutConfigurationRecorder)) }',
     {}),
    ("pass-s3-bucket-policy-changes",
     _any_event("PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
                "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication"),
     {}),
    ("pass-network-gateway-changes",
     _any_event("CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
                "DeleteInternetGateway", "DetachInternetGateway"),
     {}),
    ("pass-route-table-changes",
     _any_event("CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable",
                "DeleteRoute", "DisassociateRouteTable"),
     {}),
    ("pass-vpc-changes",
     _any_event("CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
                "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection"),
     {}),
    ("pass-organizations-changes",
     '{ ($.eventSource = organizations.amazonaws.com) && ' + _any_event(
         "AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
         "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy",
         "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
         "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit")[1:-1] + ' }',
     {}),
    # Half-built ones beside the complete set: they change no security-event verdict, but show what does not
    # count, and fail the per-alarm controls.
    ("fail-iam-policy-changes-no-alarm", _any_event("AttachUserPolicy"), None),
    ("fail-nacl-changes-actions-disabled", _any_event("DeleteNetworkAcl"), {"ActionsEnabled": False}),
    ("fail-key-deletion-no-action", _any_event("ScheduleKeyDeletion"), {"AlarmActions": []}),
]


def _trail_log_group(client: ClientFactory) -> str:
    """The log group the multi-region trail streams to: the alarms must watch what CloudTrail writes."""
    for t in client("cloudtrail", HOME).describe_trails()["trailList"]:
        if t.get("IsMultiRegionTrail") and t.get("CloudWatchLogsLogGroupArn"):
            return str(t["CloudWatchLogsLogGroupArn"]).split(":")[6]
    return GROUP


def _regional_alarms(client: ClientFactory, regions: list[str], account: str) -> None:
    """Read throttling on the EU customers table (dynamodb estate) pages the on-call team of that region."""
    for region in regions:
        if region == HOME:
            continue
        client("cloudwatch", region).put_metric_alarm(
            AlarmName="pass-eu-customers-throttled", Namespace="AWS/DynamoDB", MetricName="ReadThrottleEvents",
            Dimensions=[{"Name": "TableName", "Value": "fail-eu-customers"}], Statistic="Sum", Period=300,
            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold",
            TreatMissingData="notBreaching", ActionsEnabled=True,
            AlarmActions=[f"arn:aws:sns:{region}:{account}:northwind-oncall"])


def seed(client: ClientFactory, regions: list[str]) -> None:
    if HOME not in regions:
        return
    logs, cw = client("logs", HOME), client("cloudwatch", HOME)
    account = client("sts", HOME).get_caller_identity()["Account"]
    _regional_alarms(client, regions, account)
    group = _trail_log_group(client)
    # The cloudtrail estate creates the trail's log group; create it only when seeded on its own.
    if not any(g["logGroupName"] == group for g in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]):
        logs.create_log_group(logGroupName=group)
    # An SNS topic the security team subscribes to (the topic itself is not part of this estate).
    topic = f"arn:aws:sns:{HOME}:{account}:northwind-security-alerts"
    for name, pattern, alarm in FILTERS:
        logs.put_metric_filter(
            logGroupName=group, filterName=name, filterPattern=pattern,
            metricTransformations=[{"metricName": name, "metricNamespace": NAMESPACE, "metricValue": "1"}])
        if alarm is None:
            continue
        cw.put_metric_alarm(**{
            "AlarmName": name, "MetricName": name, "Namespace": NAMESPACE, "Statistic": "Sum", "Period": 300,
            "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching", "AlarmActions": [topic], "ActionsEnabled": True, **alarm})
