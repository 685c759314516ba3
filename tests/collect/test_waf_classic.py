"""WAF Classic collectors on botocore's Stubber (moto 5.2 emulates neither the global nor the regional
Classic API): recorded-shape answers, paging, the cost on an account without Classic web ACLs, and
denied reads as ERROR, never PASS or FAIL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber

from assay.engine import evaluate
from assay.models.base import GLOBAL
from assay.models.inventory import AccountInfo, Inventory, RegionInfo, RegionStatus, ScanMeta
from assay.models.resources.waf_classic import WafClassicWebAcl, WafRegionalWebAcl
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import ACCOUNT, by_name, findings_of

REGION = "eu-west-1"
EDGE_ID, ALB_ID, API_ID = (
    "a1b2c3d4-0000-4000-8000-000000000001",
    "a1b2c3d4-0000-4000-8000-000000000002",
    "a1b2c3d4-0000-4000-8000-000000000003",
)
STREAM = f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/aws-waf-logs-alb"
EDGE_STREAM = f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/aws-waf-logs-edge"
PAGE = {"Limit": 100}
Answer = dict[str, Any] | str  # a response body, or the error code AWS answers with


def _add(stub: Stubber, method: str, answer: Answer, params: dict[str, Any]) -> None:
    if isinstance(answer, str):
        stub.add_client_error(
            method, answer, "User is not authorized to perform this action", 400, expected_params=params
        )
    else:
        stub.add_response(method, answer, params)


def _script(acls: list[Answer], logging: Answer | None) -> Any:
    """ListWebACLs pages (each answer one page, linked by NextMarker), then ListLoggingConfigurations."""

    def script(stub: Stubber, region: str) -> None:
        for n, page in enumerate(acls):
            params = {**PAGE, **({"NextMarker": f"m{n}"} if n else {})}
            if isinstance(page, dict) and n + 1 < len(acls):
                page = {**page, "NextMarker": f"m{n + 1}"}
            _add(stub, "list_web_acls", page, params)
        if logging is not None:
            _add(stub, "list_logging_configurations", logging, PAGE)

    return script


def _acls(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"WebACLs": [{"WebACLId": acl_id, "Name": name} for acl_id, name in pairs]}


def _logging(service: str, region: str, acl_id: str, stream: str) -> dict[str, Any]:
    return {
        "LoggingConfigurations": [
            {"ResourceArn": f"arn:aws:{service}:{region}:{ACCOUNT}:webacl/{acl_id}", "LogDestinationConfigs": [stream]}
        ]
    }


def _both(global_script: Any, regional_script: Any) -> Inventory:
    """The global and the regional Classic API scanned for one account, as one inventory."""
    parts = [stubbed_scan("waf", [REGION], global_script), stubbed_scan("waf-regional", [REGION], regional_script)]
    now = datetime(2025, 6, 1, tzinfo=UTC)
    meta = ScanMeta(scan_id="stub", tool_version="0", started_at=now, finished_at=now, requested_regions=[REGION])
    return Inventory(
        meta,
        [AccountInfo(account_id=ACCOUNT)],
        [RegionInfo(account_id=ACCOUNT, region=REGION, status=RegionStatus.SCANNED)],
        [c for p in parts for c in p.coverage],
        [r for p in parts for r in p.resources()],
        [e for p in parts for e in p.errors],
    )


def test_web_acls_and_their_logging() -> None:
    inv = _both(
        _script([_acls((EDGE_ID, "edge"))], _logging("waf", "", EDGE_ID, EDGE_STREAM)),
        _script([_acls((ALB_ID, "alb")), _acls((API_ID, "api"))], _logging("waf-regional", REGION, ALB_ID, STREAM)),
    )
    assert inv.complete
    [edge] = inv.of(WafClassicWebAcl)
    assert (edge.arn, edge.region, edge.log_destinations) == (
        f"arn:aws:waf::{ACCOUNT}:webacl/{EDGE_ID}",
        GLOBAL,
        (EDGE_STREAM,),
    )
    regional = {a.name: a for a in inv.of(WafRegionalWebAcl)}
    assert regional["alb"].arn == f"arn:aws:waf-regional:{REGION}:{ACCOUNT}:webacl/{ALB_ID}"
    assert (regional["alb"].log_destinations, regional["api"].log_destinations) == ((STREAM,), ())
    ev = evaluate(inv)
    assert by_name(ev, "waf_classic.web_acl_logging_enabled") == {"edge": "pass"}
    assert by_name(ev, "waf_classic.regional_web_acl_logging_enabled") == {"alb": "pass", "api": "fail"}
    [migrated] = findings_of(ev, "waf_classic.web_acls_migrated")
    assert (migrated.status.value, migrated.message) == (
        "fail",
        "3 AWS WAF Classic web ACL(s) still to migrate: alb (eu-west-1), api (eu-west-1), edge (CloudFront)",
    )


def test_no_classic_web_acl_costs_one_listing_per_api() -> None:
    """The Stubber fails the scan on any call it was not given: only ListWebACLs is sent."""
    inv = _both(_script([_acls()], None), _script([_acls()], None))
    assert inv.complete and not list(inv.resources())
    ev = evaluate(inv)
    assert by_name(ev, "waf_classic.web_acls_migrated") == {ACCOUNT: "pass"}
    assert not findings_of(ev, "waf_classic.web_acl_logging_enabled")


@pytest.mark.parametrize("code", ["AccessDeniedException", "WAFInternalErrorException"])
def test_unread_logging_is_error(code: str) -> None:
    inv = _both(_script([_acls((EDGE_ID, "edge"))], code), _script([_acls((ALB_ID, "alb"))], code))
    assert all(a.log_destinations is None for a in [*inv.of(WafClassicWebAcl), *inv.of(WafRegionalWebAcl)])
    ev = evaluate(inv)
    for control, action in (
        ("waf_classic.web_acl_logging_enabled", "waf:ListLoggingConfigurations"),
        ("waf_classic.regional_web_acl_logging_enabled", "waf-regional:ListLoggingConfigurations"),
    ):
        found = findings_of(ev, control)
        assert found and {f.status.value for f in found} == {"error"}
        assert all(action in f.message for f in found)
    # the listing was read: the ACLs are known, and still to migrate
    assert by_name(ev, "waf_classic.web_acls_migrated") == {ACCOUNT: "fail"}


@pytest.mark.parametrize("denied", ["waf", "waf-regional"])
def test_denied_listing_is_error_never_a_verdict(denied: str) -> None:
    answers = {
        api: _script([_acls((acl_id, name))], _logging(api, region, acl_id, STREAM))
        for api, region, acl_id, name in (("waf", "", EDGE_ID, "edge"), ("waf-regional", REGION, ALB_ID, "alb"))
    }
    answers[denied] = _script(["AccessDeniedException"], None)
    ev = evaluate(_both(answers["waf"], answers["waf-regional"]))
    action = f"{denied}:ListWebACLs"
    control = (
        "waf_classic.web_acl_logging_enabled" if denied == "waf" else "waf_classic.regional_web_acl_logging_enabled"
    )
    for cid in (control, "waf_classic.web_acls_migrated"):
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, cid
        assert all(action in f.message for f in found), cid


def test_a_page_that_fails_leaves_the_listing_incomplete() -> None:
    inv = _both(
        _script([_acls()], None),
        _script(
            [_acls((ALB_ID, "alb")), "WAFInternalErrorException"], _logging("waf-regional", REGION, ALB_ID, STREAM)
        ),
    )
    assert [e.operation for e in inv.errors] == ["waf-regional:ListWebACLs"]
    [alb] = inv.of(WafRegionalWebAcl)
    assert alb.log_destinations == (STREAM,)  # read, but the listing it came from is incomplete
    ev = evaluate(inv)
    assert {f.status.value for f in findings_of(ev, "waf_classic.regional_web_acl_logging_enabled")} == {"error"}
    assert by_name(ev, "waf_classic.web_acls_migrated") == {ACCOUNT: "error"}
