"""The JSON API against the three seeded scans: what each route returns, filters, pages, errors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.seed import PROD, SANDBOX, XSS


def get(client: TestClient, path: str, status: int = 200) -> Any:
    response = client.get(path)
    assert response.status_code == status, (path, response.text[:500])
    return response.json()


def names(page: dict[str, Any]) -> list[str]:
    return sorted(f["resource_name"] for f in page["items"])


def test_scans_lists_the_stored_scans_newest_first(viewer: TestClient) -> None:
    doc = get(viewer, "/api/scans")
    assert doc["total"] == 3 and [s["id"] for s in doc["items"]] == [3, 2, 1]
    assert [s["complete"] for s in doc["items"]] == [True, False, True]
    assert doc["items"][1]["coverage_percent"] < 100
    assert [s["id"] for s in get(viewer, "/api/scans?limit=1&offset=1")["items"]] == [2]
    assert get(viewer, "/api/scans/2")["accounts"] == [PROD, SANDBOX]
    get(viewer, "/api/scans/99", 404)


def test_overview_of_the_newest_scan(viewer: TestClient) -> None:
    doc = get(viewer, "/api/overview")
    assert doc["state"] == "complete" and doc["scan"]["id"] == 3
    assert len(doc["criteria"]) == 61
    tiles = {t["id"]: t for t in doc["criteria"]}
    assert tiles["CC6.1"]["status"] == "fail" and tiles["CC6.1"]["failing"] == 5
    assert tiles["A1.2"]["status"] == "pass_with_exceptions"
    assert tiles["CC1.1"]["status"] == "manual" and tiles["CC1.1"]["attestation"] == "missing"
    assert tiles["CC6.4"]["status"] == "inherited"
    cats = {c["id"]: c for c in doc["categories"]}
    assert set(cats) == {"security", "availability", "processing_integrity", "confidentiality", "privacy"}
    assert (cats["security"]["passing"], cats["security"]["evaluated"], cats["security"]["pass_rate"]) == (1, 2, 50.0)
    assert cats["privacy"]["pass_rate"] is None  # nothing automated was evaluated: unknown, not 0 or 100
    assert doc["coverage"] == {"shards": {"complete": 6}, "errors": 0}
    assert doc["attention"][0]["id"] == "kms.key_policy_not_public"  # critical first


def test_overview_of_the_partial_scan_says_so(viewer: TestClient) -> None:
    doc = get(viewer, "/api/overview?scan=2")
    assert doc["state"] == "partial"
    assert doc["coverage"] == {"shards": {"complete": 5, "denied": 1}, "errors": 1}


def test_criterion_lists_its_failing_resources(viewer: TestClient) -> None:
    doc = get(viewer, "/api/criteria/CC6.1")
    assert doc["status"] == "fail" and doc["category"] == "security" and doc["rationale"]
    page = doc["findings"]
    assert page["total"] == 5 and all(f["status"] == "fail" for f in page["items"])
    assert names(page) == sorted(["prod-public", "prod-new-norotate", "sbx-norotate", "prod-scratch",
                                  "".join(XSS)])
    assert page["items"][0]["severity"] == "critical"  # most severe first
    assert {"kms.key_rotation_enabled", "kms.key_policy_not_public"} <= set(doc["remediation"])
    controls = {c["id"]: c for c in doc["controls"]}
    assert controls["kms.key_rotation_enabled"]["counts"]["fail"] == 3
    assert controls["iam.root_mfa_enabled"]["status"] == "not_applicable"


@pytest.mark.parametrize(("query", "expected"), [
    (f"account={SANDBOX}", ["sbx-norotate"]),
    ("region=eu-west-1", ["prod-public", "sbx-norotate"]),
    ("severity=critical", ["prod-public"]),
    ("q=norotate", ["prod-new-norotate", "sbx-norotate"]),
    ("q=prod%20public", ["prod-public"]),
    ("status=pass&severity=critical", ["prod-good", "prod-new-norotate", "prod-norotate", "sbx-norotate",
                                       "".join(XSS)]),
])
def test_criterion_filters(viewer: TestClient, query: str, expected: list[str]) -> None:
    assert names(get(viewer, f"/api/criteria/CC6.1?{query}")["findings"]) == sorted(expected)


def test_server_side_pagination(viewer: TestClient) -> None:
    seen = []
    for page in (1, 2, 3):
        doc = get(viewer, f"/api/criteria/CC6.1?per_page=2&page={page}")["findings"]
        assert doc["total"] == 5 and doc["limit"] == 2 and doc["offset"] == (page - 1) * 2
        seen += [f["finding_id"] for f in doc["items"]]
    assert len(seen) == len(set(seen)) == 5
    assert get(viewer, "/api/criteria/CC6.1?per_page=2&page=4")["findings"]["items"] == []


def test_control_shows_resources_by_status_and_history(viewer: TestClient) -> None:
    doc = get(viewer, "/api/controls/kms.key_rotation_enabled")
    assert doc["control"]["severity"] == "medium" and doc["control"]["criteria"] == ["CC6.1"]
    assert doc["control"]["remediation"]["cli"].startswith("aws kms")
    assert doc["counts"]["fail"] == 3 and doc["findings"]["total"] == 6
    assert [(p["scan_id"], p["status"], p["complete"]) for p in doc["history"]] == [
        (1, "fail", True), (2, "fail", False), (3, "fail", True)]
    assert get(viewer, "/api/controls/kms.key_rotation_enabled?status=pass")["findings"]["total"] == 3
    params = get(viewer, "/api/controls/kms.key_rotation_enabled")["control"]["params"]
    assert isinstance(params, dict)
    get(viewer, "/api/controls/no.such_control", 404)


def test_resource_search_across_accounts_and_regions(viewer: TestClient) -> None:
    everything = get(viewer, "/api/findings?per_page=500")
    assert everything["total"] == 24
    assert {f["account_id"] for f in everything["items"]} == {PROD, SANDBOX}
    assert {f["region"] for f in everything["items"]} == {"us-east-1", "eu-west-1"}
    assert names(get(viewer, "/api/findings?q=scratch&status=excepted")) == ["prod-scratch"]
    assert names(get(viewer, "/api/findings?status=excepted")) == ["prod-scratch", "sbx-data"]
    assert get(viewer, "/api/findings?resource_type=AWS::S3::Bucket")["total"] == 6
    assert get(viewer, "/api/findings?criterion=C1.1")["total"] == 3
    assert get(viewer, "/api/findings?scan=1&status=fail")["total"] == 7
    stale = get(viewer, "/api/findings?scan=2&q=prod-public")["items"]
    assert [(f["status"], f["stale"]) for f in stale if f["control_id"] == "kms.key_policy_not_public"] == [
        ("fail", True)]


def test_one_finding_with_its_resource(viewer: TestClient) -> None:
    item = get(viewer, "/api/findings?q=xss-key")["items"][0]
    doc = get(viewer, f"/api/findings/{item['finding_id']}")
    assert doc["finding"]["resource_name"] == "".join(XSS)
    assert doc["resource"]["tags"] == {p: p for p in XSS}
    assert doc["resource"]["type"] == "AWS::KMS::Key"
    assert doc["control"]["id"] == item["control_id"]
    assert [h["scan_id"] for h in doc["history"]] == [2, 1]
    assert len(doc["same_resource"]) == 2  # the two other KMS controls on the same key
    get(viewer, "/api/findings/0000", 404)
    get(viewer, f"/api/findings/{item['finding_id']}?scan=77", 404)


def test_diff_between_any_two_scans(viewer: TestClient) -> None:
    doc = get(viewer, "/api/diff")  # default: the last two complete scans
    assert (doc["old"]["id"], doc["new"]["id"]) == (1, 3)
    assert [c["resource_name"] for c in doc["new_findings"]] == ["prod-new-norotate"]
    assert [c["resource_name"] for c in doc["resolved"]] == ["prod-norotate"]
    changed = {c["id"]: (c["old_status"], c["new_status"]) for c in doc["criteria"] if c["changed"]}
    assert changed["A1.2"] == ("fail", "pass_with_exceptions")
    partial = get(viewer, "/api/diff?old=1&new=2")
    assert partial["resolved"] == []  # a partial scan never resolves what it could not read
    get(viewer, "/api/diff?old=2&new=2", 400)
    get(viewer, "/api/diff?old=1&new=9", 404)


def test_exceptions_with_expiry_warnings(viewer: TestClient) -> None:
    doc = get(viewer, "/api/exceptions")
    states = {(e["resource_name"], e["control_id"]): e["state"] for e in doc["exceptions"]}
    assert states == {
        ("prod-scratch", "s3.bucket_default_encryption"): "expired",
        ("prod-scratch", "s3.bucket_versioning_enabled"): "expiring",
        ("sbx-data", "s3.bucket_versioning_enabled"): "active",
    }
    assert doc["exceptions"][0]["state"] == "expired"  # the worst first
    assert doc["counts"]["exceptions_expiring"] == 1 and doc["counts"]["exceptions_expired"] == 1
    expiring = next(e for e in doc["exceptions"] if e["state"] == "expiring")
    assert 0 <= expiring["days_left"] <= 30 and expiring["owner"] == "platform@example.com"
    assert {a["state"] for a in doc["attestations"]} == {"missing"}
    assert get(viewer, "/api/exceptions?scan=1")["exceptions"] == []
    assert get(viewer, "/api/attestations") == []


def test_coverage_matrix(viewer: TestClient) -> None:
    doc = get(viewer, "/api/coverage?scan=2")
    cells = {(c["account_id"], c["region"], c["service"]): c["status"] for c in doc["cells"]}
    assert cells[(PROD, "eu-west-1", "kms")] == "denied"
    assert cells[(SANDBOX, "eu-west-1", "kms")] == "complete"
    assert len(cells) == 6 and doc["accounts"] == [PROD, SANDBOX] and doc["services"] == ["kms", "s3"]
    assert doc["errors"][0]["operation"] == "kms:ListKeys" and doc["errors_total"] == 1
    assert len(get(viewer, f"/api/coverage?scan=2&account={SANDBOX}")["cells"]) == 3


def test_history_gives_rates_per_criterion_and_category(viewer: TestClient) -> None:
    doc = get(viewer, "/api/history")
    assert [s["scan"]["id"] for s in doc] == [3, 2, 1]
    assert doc[0]["categories"]["security"]["pass_rate"] == 50.0
    assert doc[0]["criteria"]["CC6.1"]["status"] == "fail"
    assert len(get(viewer, "/api/history?limit=1")) == 1


@pytest.mark.parametrize("path", ["/api/findings?per_page=0", "/api/findings?per_page=501", "/api/findings?page=0",
                                  "/api/findings?severity=urgent", "/api/findings?status=failing",
                                  "/api/overview?scan=abc", "/api/scans?limit=0", "/api/findings?q=" + "x" * 201])
def test_bad_parameters_are_refused(viewer: TestClient, path: str) -> None:
    assert viewer.get(path).status_code == 422


def test_unknown_things_are_404(viewer: TestClient) -> None:
    for path in ("/api/criteria/XX9.9", "/api/overview?scan=12345", "/api/coverage?scan=12345"):
        get(viewer, path, 404)


def test_openapi_describes_every_api_route(viewer: TestClient) -> None:
    doc = get(viewer, "/api/openapi.json")
    expected = {"/api/me", "/api/scans", "/api/scans/{scan_id}", "/api/overview", "/api/criteria",
                "/api/criteria/{criterion_id}", "/api/controls/{control_id}", "/api/findings",
                "/api/findings/{finding_id}", "/api/history", "/api/diff", "/api/exceptions", "/api/attestations",
                "/api/coverage", "/api/evidence"}
    assert set(doc["paths"]) == expected
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
