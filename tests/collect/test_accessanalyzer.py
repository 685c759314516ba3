"""IAM Access Analyzer collector on botocore's Stubber (moto 5.2.1 does not emulate accessanalyzer).

The recorded responses follow the AWS API reference shapes. `stubbed_scan` runs one service's shard per
region through the real runner code with stubbed clients and builds an Inventory the engine evaluates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber

from assay.collect.registry import collectors_by_service, load_collectors
from assay.collect.runner import Shard, run_shard
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.engine import Evaluation, evaluate
from assay.models.base import GLOBAL
from assay.models.inventory import AccountInfo, Inventory, RegionInfo, RegionStatus, ScanMeta
from assay.models.resources.accessanalyzer import AccessAnalyzerRegion
from tests.helpers import ACCOUNT, by_name, findings_of

NOW = datetime(2025, 6, 1, tzinfo=UTC)
Script = Callable[[Stubber, str], None]  # (stubber, region) -> add the responses that region's shard gets


def stubbed_scan(service: str, regions: list[str], script: Script, client_service: str | None = None,
                 now: datetime = NOW) -> Inventory:
    """Run `service`'s collectors once per region (or once, globally) on Stubber-answered clients."""
    access = AwsAccess(endpoint_url="http://127.0.0.1:9", home_region=regions[0], access_key="x", secret_key="y")
    specs = collectors_by_service()[service]
    shard_regions = [GLOBAL] if specs[0].scope == "global" else regions
    results = []
    for region in shard_regions:
        client = access.client(client_service or service, regions[0] if region == GLOBAL else region)
        with Stubber(client) as stub:
            script(stub, region)
            results.append(run_shard(access, Shard(ACCOUNT, region, service), specs, "aws"))
            stub.assert_no_pending_responses()
    meta = ScanMeta(scan_id="stub", tool_version="0", started_at=now, finished_at=now, requested_regions=regions)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)],
                     [RegionInfo(account_id=ACCOUNT, region=r, status=RegionStatus.SCANNED) for r in regions],
                     [r.coverage for r in results], [x for r in results for x in r.resources],
                     [e for r in results for e in r.errors])


def statuses(ev: Evaluation, control_id: str) -> dict[tuple[str, str], str]:
    return {(f.region, f.resource_name): f.status.value for f in findings_of(ev, control_id)}


# -- recorded responses ------------------------------------------------------------------------------

def analyzer(region: str, name: str, kind: str = "ACCOUNT", status: str = "ACTIVE") -> dict[str, Any]:
    return {"arn": f"arn:aws:access-analyzer:{region}:{ACCOUNT}:analyzer/{name}", "name": name, "type": kind,
            "createdAt": NOW, "status": status, "tags": {"team": "security"}}


def finding(n: int, resource: str, public: bool, rtype: str = "AWS::S3::Bucket") -> dict[str, Any]:
    return {"id": f"f-{n}", "resource": resource, "resourceType": rtype, "isPublic": public,
            "principal": {"AWS": "*" if public else "444455556666"}, "action": ["s3:GetObject"],
            "condition": {}, "createdAt": NOW, "analyzedAt": NOW, "updatedAt": NOW, "status": "ACTIVE",
            "resourceOwnerAccount": ACCOUNT}


ACTIVE = {"status": {"eq": ["ACTIVE"]}}


def list_findings(stub: Stubber, arn: str, pages: list[list[dict[str, Any]]]) -> None:
    for n, page in enumerate(pages):
        params: dict[str, Any] = {"analyzerArn": arn, "filter": ACTIVE, "maxResults": 100}
        if n:
            params["nextToken"] = f"t{n}"
        body: dict[str, Any] = {"findings": page}
        if n + 1 < len(pages):
            body["nextToken"] = f"t{n + 1}"
        stub.add_response("list_findings", body, params)


def estate(stub: Stubber, region: str) -> None:
    """us-east-1: clean analyzer; eu-west-1: two pages of findings; us-west-2: only an unused-access analyzer."""
    if region == "us-east-1":
        a = analyzer(region, "clean")
        stub.add_response("list_analyzers", {"analyzers": [a]}, {"maxResults": 100})
        list_findings(stub, a["arn"], [[]])
    elif region == "eu-west-1":
        a = analyzer(region, "exposed", "ORGANIZATION")
        stub.add_response("list_analyzers", {"analyzers": [analyzer(region, "old", status="FAILED"), a]},
                          {"maxResults": 100})
        list_findings(stub, a["arn"], [[finding(1, "arn:aws:s3:::public-site", True)],
                                       [finding(2, "arn:aws:iam::123456789012:role/partner", False, "AWS::IAM::Role")]])
    else:
        stub.add_response("list_analyzers", {"analyzers": [analyzer(region, "unused", "ACCOUNT_UNUSED_ACCESS")]},
                          {"maxResults": 100})


REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]
ENABLED = "accessanalyzer.enabled_in_region"
FINDINGS = "accessanalyzer.no_active_external_findings"


def test_reads_analyzers_and_findings_and_judges_each_region() -> None:
    inv = stubbed_scan("accessanalyzer", REGIONS, estate)
    assert inv.complete and not inv.errors
    records = {r.region: r for r in inv.of(AccessAnalyzerRegion)}
    exposed = records["eu-west-1"]
    assert (exposed.analyzer_name, exposed.analyzer_type, exposed.active_findings, exposed.public_findings) == (
        "exposed", "ORGANIZATION", 2, 1)
    assert exposed.others == ("old (ACCOUNT, FAILED)",) and exposed.tags == {"team": "security"}
    assert records["us-west-2"].analyzer_name is None and records["us-west-2"].name == "us-west-2"
    ev = evaluate(inv)
    assert by_name(ev, ENABLED) == {"clean": "pass", "exposed": "pass", "us-west-2": "fail"}
    assert by_name(ev, FINDINGS) == {"clean": "pass", "exposed": "fail", "us-west-2": "skip"}
    [fail] = [f for f in findings_of(ev, FINDINGS) if f.status.value == "fail"]
    assert fail.message == ("2 active finding(s), 1 public: arn:aws:s3:::public-site (public); "
                            "arn:aws:iam::123456789012:role/partner (cross-account)")
    [missing] = [f for f in findings_of(ev, ENABLED) if f.status.value == "fail"]
    assert "unused (ACCOUNT_UNUSED_ACCESS, ACTIVE)" in missing.message


def test_account_analyzer_preferred_over_organization() -> None:
    def script(stub: Stubber, region: str) -> None:
        org, own = analyzer(region, "a-org", "ORGANIZATION"), analyzer(region, "z-own")
        stub.add_response("list_analyzers", {"analyzers": [org, own]}, {"maxResults": 100})
        list_findings(stub, own["arn"], [[]])

    [record] = stubbed_scan("accessanalyzer", ["us-east-1"], script).of(AccessAnalyzerRegion)
    assert record.analyzer_name == "z-own"


def _denied(code: str = "AccessDeniedException") -> dict[str, Any]:
    return {"service_error_code": code, "service_message": "User is not authorized", "http_status_code": 403}


def test_denied_list_analyzers_is_error_everywhere() -> None:
    inv = stubbed_scan("accessanalyzer", REGIONS, lambda stub, _: stub.add_client_error("list_analyzers", **_denied()))
    assert not list(inv.resources())
    ev = evaluate(inv)
    for cid in (ENABLED, FINDINGS):
        found = findings_of(ev, cid)
        assert len(found) == 3 and {f.status.value for f in found} == {"error"}
        assert all("access-analyzer:ListAnalyzers" in f.message for f in found)


def test_denied_list_findings_is_error_where_an_analyzer_exists() -> None:
    def script(stub: Stubber, region: str) -> None:
        if region == "us-west-2":
            stub.add_response("list_analyzers", {"analyzers": []}, {"maxResults": 100})
            return
        stub.add_response("list_analyzers", {"analyzers": [analyzer(region, f"a-{region}")]}, {"maxResults": 100})
        stub.add_client_error("list_findings", **_denied())

    ev = evaluate(stubbed_scan("accessanalyzer", REGIONS, script))
    assert statuses(ev, FINDINGS) == {("us-east-1", "a-us-east-1"): "error", ("eu-west-1", "a-eu-west-1"): "error",
                                      ("us-west-2", "us-west-2"): "skip"}
    assert all("access-analyzer:ListFindings" in f.message for f in findings_of(ev, FINDINGS)
               if f.status.value == "error")
    # the analyzer's existence was read: that verdict stands
    assert set(by_name(ev, ENABLED).values()) == {"pass", "fail"}


def test_findings_denied_on_a_later_page_is_error_not_a_partial_count() -> None:
    def script(stub: Stubber, region: str) -> None:
        a = analyzer(region, "paged")
        stub.add_response("list_analyzers", {"analyzers": [a]}, {"maxResults": 100})
        stub.add_response("list_findings", {"findings": [], "nextToken": "t1"},
                          {"analyzerArn": a["arn"], "filter": ACTIVE, "maxResults": 100})
        stub.add_client_error("list_findings", **_denied("ThrottlingException"))

    inv = stubbed_scan("accessanalyzer", ["us-east-1"], script)
    [record] = inv.of(AccessAnalyzerRegion)
    assert record.active_findings is None
    assert by_name(evaluate(inv), FINDINGS) == {"paged": "error"}


@pytest.mark.parametrize("action", load_collectors()["accessanalyzer.collect_analyzers"].permissions)
def test_every_denied_read_errors_and_never_judges(action: str) -> None:
    """Every declared read, denied: each control that needs it is ERROR (and names it), never PASS or FAIL."""
    def script(stub: Stubber, region: str) -> None:
        if action == "access-analyzer:ListAnalyzers":
            stub.add_client_error("list_analyzers", **_denied())
            return
        stub.add_response("list_analyzers", {"analyzers": [analyzer(region, "a")]}, {"maxResults": 100})
        stub.add_client_error("list_findings", **_denied())

    ev = evaluate(stubbed_scan("accessanalyzer", ["us-east-1"], script))
    needing = [c.id for c in load_controls().values() if action in c.needs]
    assert needing
    for cid in needing:
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, cid
        assert all(action in f.message for f in found)
