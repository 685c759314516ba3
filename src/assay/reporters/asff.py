"""ASFF: findings in the AWS Security Finding Format, as Security Hub's BatchImportFindings takes them.

The document is a JSON array of AwsSecurityFinding objects (the `Findings` parameter); an exporter
sends them in calls of at most BATCH_SIZE, each to the region and account its ProductArn names
(`batches()` groups them so). `asff_findings()` gives the same list to code.

Mapping (Compliance.Status wording is from the API reference):

    pass  -> PASSED         Severity INFORMATIONAL ("no issue was found"), Workflow RESOLVED
    fail  -> FAILED         Severity from the control, Workflow NEW
    error -> WARNING        "some information is missing": never PASSED; severity from the control
    skip  -> NOT_AVAILABLE  Severity INFORMATIONAL, RecordState ARCHIVED (Security Hub archives its own
                            not-applicable control findings the same way)

A failing finding covered by an active exception keeps Compliance.Status FAILED and has Workflow
SUPPRESSED ("reviewed ... no action is needed") and a Note with the justification (type, reason,
owner, expiry; UpdatedBy is the approver). One whose exception expired has Workflow NEW and a Note
"exception expired on DATE". ProductFields carry Assay/Excepted and the exception's id and expiry.
Security Hub takes Workflow and Note from BatchImportFindings only when it creates a finding; for a
finding it already holds, an exporter sends them with BatchUpdateFindings (ProductFields are updated
on every import, so the exception state is visible either way).

A passing finding is sent too, so that a finding that failed in an earlier scan is updated in place
(same Id: Assay's stable finding id) and leaves the FAILED state; Security Hub itself resets the
workflow to NEW if it fails again. Findings for resources that no longer exist are not in a scan:
archiving those is the exporter's job.

Security Hub is regional: a finding goes to the region of its resource; account-wide resources
(Assay's region "global") go to the account's home region, the first region the scan requested and
read. Pass `region=` to send everything to one region (for a cross-region aggregator).

Every string is one line, non-blank and cut to the API's documented length limits (counted in
UTF-16 code units, as the service counts them), so that untrusted names cannot make an import fail.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from datetime import UTC
from itertools import islice
from typing import Any, TextIO

from assay.controls.registry import Control
from assay.engine import Evaluation
from assay.exceptions import describe
from assay.models.base import GLOBAL
from assay.models.findings import Finding, Severity, Status
from assay.reporters import reporter
from assay.reporters.coverage import scan_fields
from assay.reporters.json import dump

SCHEMA_VERSION = "2018-10-08"
BATCH_SIZE = 100  # BatchImportFindings accepts at most 100 findings per call
STANDARD = "SOC 2"
TYPES = [f"Software and Configuration Checks/Industry and Regulatory Standards/{STANDARD}"]
PRODUCT_NAME = COMPANY_NAME = "Assay"

COMPLIANCE_STATUS: dict[Status, str] = {
    Status.PASS: "PASSED",
    Status.FAIL: "FAILED",
    Status.ERROR: "WARNING",
    Status.SKIP: "NOT_AVAILABLE",
}
SEVERITY_LABEL: dict[Severity, str] = {
    Severity.CRITICAL: "CRITICAL",
    Severity.HIGH: "HIGH",
    Severity.MEDIUM: "MEDIUM",
    Severity.LOW: "LOW",
    Severity.INFO: "INFORMATIONAL",
}
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")  # the values Resource.Partition accepts
DEFAULT_REGION = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}

# Length limits from the Security Hub API reference (AwsSecurityFinding and the types it uses).
MAX_ID = 512
MAX_TITLE = 256
MAX_DESCRIPTION = 1024
MAX_RECOMMENDATION = 512
MAX_SEVERITY_ORIGINAL = 64
MAX_REGION = 16
MAX_RELATED_REQUIREMENTS = 32
MAX_PRODUCT_FIELD_VALUE = 2048
MAX_NOTE = 512  # Note.Text; UpdatedBy is held to the same

# ASFF resource types with details in the API (ResourceDetails members); "Other" covers the rest.
ASFF_RESOURCE_TYPES = (
    "AwsAmazonMqBroker", "AwsApiGatewayRestApi", "AwsApiGatewayStage", "AwsApiGatewayV2Api", "AwsApiGatewayV2Stage",
    "AwsAppSyncGraphQlApi", "AwsAthenaWorkGroup", "AwsAutoScalingAutoScalingGroup",
    "AwsAutoScalingLaunchConfiguration", "AwsBackupBackupPlan", "AwsBackupBackupVault", "AwsBackupRecoveryPoint",
    "AwsCertificateManagerCertificate", "AwsCloudFormationStack", "AwsCloudFrontDistribution", "AwsCloudTrailTrail",
    "AwsCloudWatchAlarm", "AwsCodeBuildProject", "AwsDmsEndpoint", "AwsDmsReplicationInstance",
    "AwsDmsReplicationTask", "AwsDynamoDbTable", "AwsEc2ClientVpnEndpoint", "AwsEc2Eip", "AwsEc2Instance",
    "AwsEc2LaunchTemplate", "AwsEc2NetworkAcl", "AwsEc2NetworkInterface", "AwsEc2RouteTable", "AwsEc2SecurityGroup",
    "AwsEc2Subnet", "AwsEc2TransitGateway", "AwsEc2Volume", "AwsEc2Vpc", "AwsEc2VpcEndpointService",
    "AwsEc2VpcPeeringConnection", "AwsEc2VpnConnection", "AwsEcrContainerImage", "AwsEcrRepository", "AwsEcsCluster",
    "AwsEcsContainer", "AwsEcsService", "AwsEcsTask", "AwsEcsTaskDefinition", "AwsEfsAccessPoint", "AwsEksCluster",
    "AwsElasticBeanstalkEnvironment", "AwsElasticsearchDomain", "AwsElbLoadBalancer", "AwsElbv2LoadBalancer",
    "AwsEventSchemasRegistry", "AwsEventsEndpoint", "AwsEventsEventbus", "AwsGuardDutyDetector", "AwsIamAccessKey",
    "AwsIamGroup", "AwsIamPolicy", "AwsIamRole", "AwsIamUser", "AwsKinesisStream", "AwsKmsKey", "AwsLambdaFunction",
    "AwsLambdaLayerVersion", "AwsMskCluster", "AwsNetworkFirewallFirewall", "AwsNetworkFirewallFirewallPolicy",
    "AwsNetworkFirewallRuleGroup", "AwsOpenSearchServiceDomain", "AwsRdsDbCluster", "AwsRdsDbClusterSnapshot",
    "AwsRdsDbInstance", "AwsRdsDbSecurityGroup", "AwsRdsDbSnapshot", "AwsRdsEventSubscription", "AwsRedshiftCluster",
    "AwsRoute53HostedZone", "AwsS3AccessPoint", "AwsS3AccountPublicAccessBlock", "AwsS3Bucket", "AwsS3Object",
    "AwsSageMakerNotebookInstance", "AwsSecretsManagerSecret", "AwsSnsTopic", "AwsSqsQueue", "AwsSsmPatchCompliance",
    "AwsStepFunctionStateMachine", "AwsWafRateBasedRule", "AwsWafRegionalRateBasedRule", "AwsWafRegionalRule",
    "AwsWafRegionalRuleGroup", "AwsWafRegionalWebAcl", "AwsWafRule", "AwsWafRuleGroup", "AwsWafWebAcl",
    "AwsWafv2RuleGroup", "AwsWafv2WebAcl", "AwsXrayEncryptionConfig",
)
# CloudFormation types whose ASFF name is not the CloudFormation name run together. Account-wide
# settings are "AwsAccount", the type Security Hub's own account-level control findings use.
RESOURCE_TYPE_OVERRIDES: dict[str, str] = {
    "AWS::::Account": "AwsAccount",
    "AWS::IAM::RootUser": "AwsAccount",
    "AWS::IAM::AccountPasswordPolicy": "AwsAccount",
    "AWS::EC2::EBSRegionSettings": "AwsAccount",
    "AWS::Config::ConfigurationRecorder": "AwsAccount",
    "AWS::IAM::ManagedPolicy": "AwsIamPolicy",
    "AWS::ElasticLoadBalancing::LoadBalancer": "AwsElbLoadBalancer",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "AwsElbv2LoadBalancer",
    "AWS::StepFunctions::StateMachine": "AwsStepFunctionStateMachine",
    "AWS::Neptune::DBCluster": "AwsRdsDbCluster",  # Neptune clusters are RDS DB clusters
    "AWS::Neptune::DBClusterSnapshot": "AwsRdsDbClusterSnapshot",
}
_BY_FOLDED_NAME = {name.lower(): name for name in ASFF_RESOURCE_TYPES}


def resource_type(cloudformation_type: str) -> str:
    """The ASFF resource type: "AWS::KMS::Key" -> "AwsKmsKey"; "Other" where ASFF has none."""
    if cloudformation_type in RESOURCE_TYPE_OVERRIDES:
        return RESOURCE_TYPE_OVERRIDES[cloudformation_type]
    folded = ("aws" + "".join(cloudformation_type.split("::")[1:])).lower()
    return _BY_FOLDED_NAME.get(folded, "Other")


_WHITESPACE = re.compile(r"\s+")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@functools.lru_cache(maxsize=8192)  # titles, rationales and remediations recur in every finding of a control
def clip(text: str, limit: int, *, fallback: str = "-") -> str:
    """One line, not blank, at most `limit` UTF-16 code units (an ellipsis marks a cut)."""
    line = _WHITESPACE.sub(" ", text).strip() or fallback
    if len(line) * 2 <= limit or _utf16_len(line) <= limit:  # a character is at most 2 code units
        return line
    out = []
    used = 1  # the ellipsis
    for ch in line:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


def timestamp(ev: Evaluation) -> str:
    """RFC 3339 in UTC with milliseconds, the form Security Hub itself writes."""
    when = ev.inventory.meta.finished_at
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)  # naive means UTC
    return when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _partition(arn: str, fallback: str) -> str:
    parts = arn.split(":")
    return parts[1] if len(parts) > 2 and parts[0] == "arn" and parts[1] else fallback


def home_region(ev: Evaluation, account_id: str, partition: str = "aws") -> str:
    """Where an account's account-wide findings go: the first requested region the scan read."""
    scanned = ev.inventory.scanned_regions(account_id)
    for region in ev.inventory.meta.requested_regions:
        if region in scanned:
            return region
    return scanned[0] if scanned else DEFAULT_REGION.get(partition, "us-east-1")


def _recommendation(control: Control | None) -> str:
    if control is None:
        return "See the Assay report for this control."
    r = control.remediation
    text = _WHITESPACE.sub(" ", r.console).strip()
    cli = r.cli.strip()
    if cli and "\n" not in cli and _utf16_len(f"{text} CLI: {cli}") <= MAX_RECOMMENDATION:
        text = f"{text} CLI: {cli}"
    return clip(text, MAX_RECOMMENDATION)


def _description(f: Finding) -> str:
    where = "" if f.region == GLOBAL else f" in {f.region}"
    resource = f"{f.resource_name} ({f.resource_type}){where}, account {f.account_id}"
    return f"{f.message or f.status.value}. Resource: {resource}."


def _partitions(ev: Evaluation) -> dict[str, str]:
    return {a.account_id: a.partition for a in ev.inventory.accounts}


def finding(ev: Evaluation, f: Finding, *, region: str | None = None, homes: dict[str, str] | None = None,
            partitions: dict[str, str] | None = None, scan: dict[str, object] | None = None) -> dict[str, Any]:
    """The ASFF finding for one Assay finding."""
    account_partition = (partitions if partitions is not None else _partitions(ev)).get(f.account_id, "aws")
    partition = _partition(f.resource_arn, account_partition)
    if region is None:
        if f.region != GLOBAL:
            region = f.region
        elif homes is not None and f.account_id in homes:
            region = homes[f.account_id]
        else:
            region = home_region(ev, f.account_id, account_partition)
    control = ev.controls.get(f.control_id)
    informational = f.status in (Status.PASS, Status.SKIP)
    severity = {
        "Label": "INFORMATIONAL" if informational else SEVERITY_LABEL[f.severity],
        "Original": clip(f.severity.value, MAX_SEVERITY_ORIGINAL),
    }

    resource: dict[str, Any] = {
        "Type": resource_type(f.resource_type),
        "Id": clip(f.resource_arn, MAX_PRODUCT_FIELD_VALUE),
    }
    if partition in PARTITIONS:
        resource["Partition"] = partition
    if f.region != GLOBAL and _utf16_len(f.region) <= MAX_REGION and f.region.strip():
        resource["Region"] = f.region

    compliance: dict[str, Any] = {"Status": COMPLIANCE_STATUS[f.status]}
    requirements = [clip(f"{STANDARD} {c}", MAX_PRODUCT_FIELD_VALUE) for c in f.criteria]
    if requirements:
        compliance["RelatedRequirements"] = requirements[:MAX_RELATED_REQUIREMENTS]

    fields = {
        "Assay/ControlId": f.control_id,
        "Assay/Status": f.status.value,
        "Assay/ScanId": ev.inventory.meta.scan_id,
        "Assay/ResourceName": f.resource_name,
        "Assay/ResourceType": f.resource_type,
        "Assay/ToolVersion": ev.inventory.meta.tool_version,
    }
    # Whether the scan behind this finding was partial; what it could not read are its WARNING findings.
    scan = scan if scan is not None else scan_fields(ev)
    fields.update({"Assay/ScanState": str(scan["state"]), "Assay/ScanCoveragePercent": str(scan["coverage_percent"])})
    workflow = "RESOLVED" if f.status is Status.PASS else "NEW"
    note: dict[str, str] | None = None
    if f.exception is not None:
        x = f.exception
        fields.update({"Assay/Excepted": "true" if f.excepted else "false", "Assay/ExceptionId": x.id,
                       "Assay/ExceptionExpires": x.expires.isoformat()})
        workflow = "NEW" if x.expired else "SUPPRESSED"
        note = {"Text": clip(describe(x), MAX_NOTE), "UpdatedBy": clip(x.approver, MAX_NOTE),
                "UpdatedAt": timestamp(ev)}
    out: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": clip(f.id, MAX_ID),
        "ProductArn": f"arn:{account_partition}:securityhub:{region}:{f.account_id}:product/{f.account_id}/default",
        "ProductName": PRODUCT_NAME,
        "CompanyName": COMPANY_NAME,
        "GeneratorId": clip(f.control_id, MAX_ID),
        "AwsAccountId": f.account_id,
        "Types": list(TYPES),
        "CreatedAt": timestamp(ev),
        "UpdatedAt": timestamp(ev),
        "Severity": severity,
        "Title": clip(f.title, MAX_TITLE),
        "Description": clip(_description(f), MAX_DESCRIPTION),
        "Remediation": {"Recommendation": {"Text": _recommendation(control)}},
        "ProductFields": {k: clip(v, MAX_PRODUCT_FIELD_VALUE) for k, v in fields.items()},
        "Resources": [resource],
        "Compliance": compliance,
        "FindingProviderFields": {"Severity": dict(severity), "Types": list(TYPES)},
        "RecordState": "ARCHIVED" if f.status is Status.SKIP else "ACTIVE",
        "Workflow": {"Status": workflow},
    }
    if note is not None:
        out["Note"] = note
    return out


def asff_findings(ev: Evaluation, *, region: str | None = None) -> list[dict[str, Any]]:
    """Every finding of the scan in ASFF, in Assay's order. Send them with `batches()`."""
    partitions = _partitions(ev)
    homes = {a: home_region(ev, a, partitions.get(a, "aws")) for a in sorted({f.account_id for f in ev.findings})}
    scan = scan_fields(ev)
    return [finding(ev, f, region=region, homes=homes, partitions=partitions, scan=scan) for f in ev.findings]


def batches(findings: Iterable[dict[str, Any]], size: int = BATCH_SIZE) -> Iterator[list[dict[str, Any]]]:
    """Lists of at most `size` findings that share a ProductArn: one BatchImportFindings call each.

    One call goes to one region as one account; the ProductArn names both.
    """
    if not 1 <= size <= BATCH_SIZE:
        raise ValueError(f"batch size must be between 1 and {BATCH_SIZE}")
    by_product: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        by_product.setdefault(f["ProductArn"], []).append(f)
    for group in by_product.values():
        it = iter(group)
        while chunk := list(islice(it, size)):
            yield chunk


@reporter("asff", extension="asff.json")
def write_asff(ev: Evaluation, out: TextIO) -> None:
    dump(asff_findings(ev), out)  # what json.dump(indent=2) writes, a finding at a time
    out.write("\n")
