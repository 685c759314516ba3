"""ElastiCache collector against moto's server (seeded with the demo's caches), and ERROR, never PASS or
FAIL, when the listing is denied."""

from __future__ import annotations

from typing import Any

from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import elasticache as elasticache_estate
from assay.faults import deny
from assay.models.resources.elasticache import ElastiCacheReplicationGroup
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1", "eu-west-1"]
CONTROLS = sorted(cid for cid in load_controls() if cid.startswith("elasticache."))
EXPECTED = {"pass-sessions-us-east-1": "pass", "pass-sessions-eu-west-1": "pass", "fail-recommendations": "fail"}


def test_reads_replication_groups(access: AwsAccess, seed: Any) -> None:
    elasticache_estate.seed(seed, REGIONS)
    inv = scan(access, ["elasticache"], regions=REGIONS)
    assert inv.complete
    groups = {g.name: g for g in inv.of(ElastiCacheReplicationGroup)}
    good = groups["pass-sessions-us-east-1"]
    assert good.arn == "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:pass-sessions-us-east-1"
    assert (good.transit_encryption_mode, good.auth_token_enabled, good.snapshot_retention_days, good.multi_az) == \
        ("required", True, 7, True)
    bad = groups["fail-recommendations"]
    assert (bad.transit_encryption, bad.transit_encryption_mode, bad.at_rest_encryption) == (False, "", False)
    ev = evaluate(inv)
    assert {cid: by_name(ev, cid) for cid in CONTROLS} == {cid: EXPECTED for cid in CONTROLS}


def test_denied_listing_is_error(access: AwsAccess, seed: Any) -> None:
    elasticache_estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({"elasticache:DescribeReplicationGroups"})))
    ev = evaluate(scan(access, ["elasticache"], regions=REGIONS))
    for cid in CONTROLS:
        found = findings_of(ev, cid)
        assert sorted(f.region for f in found) == sorted(REGIONS) and {f.status.value for f in found} == {"error"}, cid
        assert all("elasticache:DescribeReplicationGroups" in f.message for f in found)
