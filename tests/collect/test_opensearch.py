"""OpenSearch collector against moto's server (seeded with the demo's domains), and ERROR, never PASS or
FAIL, when a read is denied: for the region when the listing is, for the one domain when its description is."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import opensearch as opensearch_estate
from assay.faults import deny
from assay.models.resources.opensearch import OpenSearchDomain
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1"]
CONTROLS = sorted(cid for cid in load_controls() if cid.startswith("opensearch."))
EXPECTED = {"pass-product-search": "pass", "fail-legacy-logs": "fail"}


def test_reads_domains(access: AwsAccess, seed: Any) -> None:
    opensearch_estate.seed(seed, REGIONS)
    inv = scan(access, ["opensearch"], regions=REGIONS)
    assert inv.complete
    domains = {d.name: d for d in inv.of(OpenSearchDomain)}
    good, bad = domains["pass-product-search"], domains["fail-legacy-logs"]
    assert good.arn == "arn:aws:es:us-east-1:123456789012:domain/pass-product-search"
    assert good.in_vpc and good.published_logs == ("AUDIT_LOGS", "ES_APPLICATION_LOGS", "INDEX_SLOW_LOGS",
                                                   "SEARCH_SLOW_LOGS")
    assert (bad.in_vpc, bad.engine_version, bad.tls_policy) == (False, "Elasticsearch_7.10",
                                                                "Policy-Min-TLS-1-0-2019-07")
    assert good.access_policy == {} and bad.access_policy is not None
    assert bad.access_policy["Statement"][0]["Principal"] == {"AWS": "*"}
    ev = evaluate(inv)
    assert {cid: by_name(ev, cid) for cid in CONTROLS} == {cid: EXPECTED for cid in CONTROLS}


@pytest.mark.parametrize("action", ["es:ListDomainNames", "es:DescribeDomain"])
def test_denied_read_is_error_never_pass_or_fail(access: AwsAccess, seed: Any, action: str) -> None:
    opensearch_estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({action})))
    ev = evaluate(scan(access, ["opensearch"], regions=REGIONS))
    for cid in CONTROLS:
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, (cid, by_name(ev, cid))
        assert all(action in f.message for f in found)
    if action == "es:DescribeDomain":  # reported per domain, by name, although neither could be described
        assert sorted(by_name(ev, CONTROLS[0])) == ["fail-legacy-logs", "pass-product-search"]
