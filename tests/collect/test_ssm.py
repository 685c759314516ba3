"""Systems Manager collector on botocore's Stubber (moto 5.2.1 answers neither DescribeInstanceInformation
nor ListResourceComplianceSummaries). The recorded responses follow the AWS API reference shapes; the EC2
instances the controls judge are added to the stubbed inventory as the ec2 collector would produce them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.registry import load_collectors
from assay.models.inventory import Coverage, CoverageStatus, Inventory
from assay.models.resources.ec2 import Instance
from assay.models.resources.ssm import PatchSummary, SsmRegion
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of

MANAGED, PATCHED = "ssm.instances_managed", "ssm.patch_compliant"
PERMISSIONS = load_collectors()["ssm.collect_managed_nodes"].permissions
PAGE = {"MaxResults": 50}  # the page size Assay sends on both listings (the APIs' maximum)
PATCH_FILTER = {"Filters": [{"Key": "ComplianceType", "Values": ["Patch"], "Type": "EQUAL"}], **PAGE}
ASSOCIATION_FILTER = {"Filters": [{"Key": "ComplianceType", "Values": ["Association"], "Type": "EQUAL"}], **PAGE}
ASSOCIATED = "ssm.association_compliant"
SCANNED = datetime(2025, 5, 31, 2, 0, tzinfo=UTC)


def node(iid: str, ping: str) -> dict[str, Any]:
    return {"InstanceId": iid, "PingStatus": ping, "ResourceType": "EC2Instance", "PlatformType": "Linux",
            "AgentVersion": "3.3.40.0"}


def summary(iid: str, status: str, severity: str = "UNSPECIFIED", missing: int = 0) -> dict[str, Any]:
    return {"ComplianceType": "Patch", "ResourceType": "ManagedInstance", "ResourceId": iid, "Status": status,
            "OverallSeverity": severity, "ExecutionSummary": {"ExecutionTime": SCANNED, "ExecutionType": "Command"},
            "CompliantSummary": {"CompliantCount": 40},
            "NonCompliantSummary": {"NonCompliantCount": missing, "SeveritySummary": {"CriticalCount": missing}}}


def script(denied: str | None = None) -> Any:
    def run(stub: Stubber, region: str) -> None:
        if denied == "ssm:DescribeInstanceInformation":
            stub.add_client_error("describe_instance_information", service_error_code="AccessDeniedException",
                                  http_status_code=400)
        else:  # two pages
            stub.add_response("describe_instance_information",
                              {"InstanceInformationList": [node("i-0aaa", "Online")], "NextToken": "t1"}, PAGE)
            stub.add_response("describe_instance_information", {"InstanceInformationList": [
                node("i-0bbb", "ConnectionLost"), node("i-0ccc", "Online"), node("mi-0123", "Online")]},
                {"NextToken": "t1", **PAGE})
        if denied == "ssm:ListResourceComplianceSummaries":
            for _ in ("Patch", "Association"):
                stub.add_client_error("list_resource_compliance_summaries",
                                      service_error_code="AccessDeniedException", http_status_code=400)
        else:
            stub.add_response("list_resource_compliance_summaries", {"ResourceComplianceSummaryItems": [
                summary("i-0aaa", "COMPLIANT"), summary("i-0ccc", "NON_COMPLIANT", "CRITICAL", 2)]}, PATCH_FILTER)
            stub.add_response("list_resource_compliance_summaries", {"ResourceComplianceSummaryItems": [
                {**summary("i-0aaa", "NON_COMPLIANT", "HIGH", 1), "ComplianceType": "Association"},
                {**summary("i-0ccc", "COMPLIANT"), "ComplianceType": "Association"}]}, ASSOCIATION_FILTER)
    return run


def with_instances(inv: Inventory, *states: tuple[str, str]) -> Inventory:
    """The stubbed SSM inventory plus EC2 instances, as if the ec2 collector had run in the same scan."""
    instances = [Instance(arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{iid}", id=iid, name=iid,
                          account_id=ACCOUNT, region="us-east-1", state=state) for iid, state in states]
    ec2 = Coverage(account_id=ACCOUNT, region="us-east-1", service="ec2", status=CoverageStatus.COMPLETE)
    return Inventory(inv.meta, inv.accounts, inv.regions, [*inv.coverage, ec2], [*inv.resources(), *instances],
                     inv.errors)


INSTANCES = (("i-0aaa", "running"), ("i-0bbb", "running"), ("i-0ccc", "running"), ("i-0ddd", "running"),
             ("i-0eee", "stopped"))


def test_reads_nodes_and_patch_compliance_and_judges_instances() -> None:
    inv = stubbed_scan("ssm", ["us-east-1"], script())
    assert inv.complete and not inv.errors
    [record] = inv.of(SsmRegion)
    assert record.managed == {"i-0aaa": "Online", "i-0bbb": "ConnectionLost", "i-0ccc": "Online", "mi-0123": "Online"}
    assert record.patch is not None and record.patch["i-0ccc"] == PatchSummary(
        status="NON_COMPLIANT", overall_severity="CRITICAL", non_compliant_count=2,
        execution_time="2025-05-31T02:00:00+00:00")
    ev = evaluate(with_instances(inv, *INSTANCES))
    assert by_name(ev, MANAGED) == {"i-0aaa": "pass", "i-0bbb": "fail", "i-0ccc": "pass", "i-0ddd": "fail",
                                    "i-0eee": "skip"}
    assert by_name(ev, PATCHED) == {"i-0aaa": "pass", "i-0bbb": "fail", "i-0ccc": "fail", "i-0ddd": "fail",
                                    "i-0eee": "skip"}
    assert by_name(ev, ASSOCIATED) == {"i-0aaa": "fail", "i-0bbb": "skip", "i-0ccc": "pass", "i-0ddd": "skip",
                                       "i-0eee": "skip"}
    messages = {f.resource_name: f.message for f in findings_of(ev, PATCHED)}
    assert messages["i-0ccc"] == ("i-0ccc is NON_COMPLIANT with its patch baseline (2 missing or failed patch(es), "
                                  "highest severity CRITICAL)")


@pytest.mark.parametrize("action", PERMISSIONS)
def test_every_denied_read_errors_and_never_judges(action: str) -> None:
    inv = with_instances(stubbed_scan("ssm", ["us-east-1"], script(denied=action)), *INSTANCES)
    ev = evaluate(inv)
    needing = {MANAGED: "ssm:DescribeInstanceInformation", PATCHED: "ssm:ListResourceComplianceSummaries",
               ASSOCIATED: "ssm:ListResourceComplianceSummaries"}
    for cid, need in needing.items():
        found = findings_of(ev, cid)
        if need == action:
            assert found and {f.status.value for f in found} == {"error"}, cid
            assert all(action in f.message for f in found)
        else:  # the other read succeeded: its verdicts stand
            assert {"pass", "fail"} <= {f.status.value for f in found}, cid
