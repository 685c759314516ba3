"""ElastiCache collector against moto's server (seeded with the demo's caches), and ERROR, never PASS or
FAIL, when the listing is denied."""

from __future__ import annotations

from typing import Any

from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import elasticache as elasticache_estate
from assay.faults import deny
from assay.models.resources.elasticache import ElastiCacheReplicationGroup
from assay.models.resources.elasticache_clusters import ElastiCacheCluster
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1", "eu-west-1"]
CONTROLS = sorted(cid for cid in load_controls() if cid.startswith("elasticache.replication_group"))
CLUSTER_CONTROLS = sorted(cid for cid in load_controls() if cid.startswith("elasticache.cluster_"))
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


def test_reads_clusters_outside_replication_groups(access: Any, seed: Any) -> None:
    elasticache_estate.seed(seed, REGIONS)
    inv = scan(access, ["elasticache"], regions=REGIONS)
    clusters = {c.name: c for c in inv.of(ElastiCacheCluster)}
    assert set(clusters) == {"pass-catalog-memcached", "pass-rate-limiter", "fail-feature-flags"}
    memcached = clusters["pass-catalog-memcached"]
    assert memcached.arn == "arn:aws:elasticache:us-east-1:123456789012:cluster:pass-catalog-memcached"
    assert (memcached.engine, memcached.nodes, memcached.transit_encryption, memcached.auto_minor_version_upgrade) \
        == ("memcached", 2, True, True)
    flags = clusters["fail-feature-flags"]
    assert (flags.transit_encryption, flags.snapshot_retention_days, flags.auto_minor_version_upgrade) == \
        (False, 0, False)
    ev = evaluate(inv)
    assert {cid: by_name(ev, cid) for cid in CLUSTER_CONTROLS} == {
        "elasticache.cluster_auto_minor_version_upgrade": {
            "pass-catalog-memcached": "pass", "pass-rate-limiter": "pass", "fail-feature-flags": "fail"},
        "elasticache.cluster_backups": {
            "pass-catalog-memcached": "skip", "pass-rate-limiter": "pass", "fail-feature-flags": "fail"},
        "elasticache.cluster_encrypted_in_transit": {
            "pass-catalog-memcached": "pass", "pass-rate-limiter": "pass", "fail-feature-flags": "fail"},
    }


def test_denied_cluster_listing_is_error(access: Any, seed: Any) -> None:
    elasticache_estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({"elasticache:DescribeCacheClusters"})))
    ev = evaluate(scan(access, ["elasticache"], regions=REGIONS))
    for cid in CLUSTER_CONTROLS:
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, cid
    assert {f.status.value for cid in CONTROLS for f in findings_of(ev, cid)} == {"pass", "fail"}
