"""DMS collector against moto's server (seeded with the demo's migration estate), settings parsing, and
ERROR, never PASS or FAIL, when a listing is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.aws.dms import _logging
from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import dms as dms_estate
from assay.faults import deny
from assay.models.resources.dms import DmsEndpoint, DmsReplicationTask
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1"]
ACTIONS = sorted(next(s for s in load_collectors().values() if s.service == "dms").permissions)
CONTROLS = {cid: c for cid, c in load_controls().items() if cid.startswith("dms.")}
BASELINE = {
    "dms.replication_instance_not_public": {"pass-migration-private": "pass", "fail-migration-public": "fail"},
    "dms.endpoint_ssl_enabled": {"pass-orders-source": "pass", "fail-cache-target": "fail",
                                 "skip-archive-s3": "skip"},
    "dms.replication_task_logging": {"pass-orders-to-cache": "pass", "fail-nightly-copy": "fail"},
}


def test_reads_instances_endpoints_and_tasks(access: AwsAccess, seed: Any) -> None:
    dms_estate.seed(seed, REGIONS)
    inv = scan(access, ["dms"], regions=REGIONS)
    assert inv.complete
    endpoints = {e.name: e for e in inv.of(DmsEndpoint)}
    assert (endpoints["fail-cache-target"].engine, endpoints["fail-cache-target"].redis_ssl_protocol) == \
        ("redis", "plaintext")
    assert endpoints["pass-orders-source"].ssl_mode == "verify-full"
    tasks = {t.name: t for t in inv.of(DmsReplicationTask)}
    assert tasks["pass-orders-to-cache"].log_severities == {"SOURCE_CAPTURE": "LOGGER_SEVERITY_DEFAULT",
                                                            "TARGET_APPLY": "LOGGER_SEVERITY_DEFAULT"}
    ev = evaluate(inv)
    assert {cid: by_name(ev, cid) for cid in CONTROLS} == BASELINE
    [public] = [f for f in findings_of(ev, "dms.replication_instance_not_public") if f.status.value == "fail"]
    assert public.message.startswith("replication instance is publicly accessible")


def test_settings_document_parsing() -> None:
    assert _logging('{"Logging": {"EnableLogging": true}}') == (True, {})
    assert _logging("{}") == (False, {})
    assert _logging("not json") == (None, {})
    assert _logging(None) == (None, {})
    assert _logging('{"Logging": "on"}') == (None, {})


@pytest.mark.parametrize("action", ACTIONS)
def test_denied_listing_is_error_never_pass_or_fail(access: AwsAccess, seed: Any, action: str) -> None:
    dms_estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({action})))
    ev = evaluate(scan(access, ["dms"], regions=REGIONS))
    for cid, c in CONTROLS.items():
        found = findings_of(ev, cid)
        if action in c.needs:
            assert found and {f.status.value for f in found} == {"error"} and action in found[0].message, cid
        else:
            assert by_name(ev, cid) == BASELINE[cid], cid
