"""DAX collector against moto's server (seeded with the demo's clusters), and ERROR, never PASS or FAIL,
when the listing is denied."""

from __future__ import annotations

from typing import Any

from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import dax as dax_estate
from assay.faults import deny
from assay.models.resources.dax import DaxCluster
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1"]
CONTROLS = sorted(cid for cid in load_controls() if cid.startswith("dax."))
EXPECTED = {"pass-order-lookup": "pass", "fail-recs-prototype": "fail"}


def test_reads_clusters(access: AwsAccess, seed: Any) -> None:
    dax_estate.seed(seed, REGIONS)
    inv = scan(access, ["dax"], regions=REGIONS)
    assert inv.complete
    clusters = {c.name: c for c in inv.of(DaxCluster)}
    good = clusters["pass-order-lookup"]
    assert good.arn == "arn:aws:dax:us-east-1:123456789012:cache/pass-order-lookup"
    assert (good.sse_status, good.endpoint_encryption, good.nodes) == ("ENABLED", "TLS", 3)
    assert (clusters["fail-recs-prototype"].sse_status, clusters["fail-recs-prototype"].endpoint_encryption) == \
        ("DISABLED", "NONE")
    ev = evaluate(inv)
    assert {cid: by_name(ev, cid) for cid in CONTROLS} == {cid: EXPECTED for cid in CONTROLS}


def test_denied_listing_is_error(access: AwsAccess, seed: Any) -> None:
    dax_estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({"dax:DescribeClusters"}, code="AccessDeniedException")))
    ev = evaluate(scan(access, ["dax"], regions=REGIONS))
    for cid in CONTROLS:
        found = findings_of(ev, cid)
        assert found and {f.status.value for f in found} == {"error"}, cid
        assert all("dax:DescribeClusters" in f.message for f in found)
