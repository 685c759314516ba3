"""WAF Classic controls: pure functions over global and regional Classic web ACLs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assay.controls import waf_classic
from assay.models.base import GLOBAL, Account, Resource
from assay.models.findings import Status
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.waf_classic import WafClassicWebAcl, WafRegionalWebAcl

ACCOUNT = "123456789012"
STREAM = f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/aws-waf-logs-edge"


def edge(**over: Any) -> WafClassicWebAcl:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:waf::{ACCOUNT}:webacl/e1",
        id="e1",
        name="edge",
        account_id=ACCOUNT,
        region=GLOBAL,
        log_destinations=(STREAM,),
    )
    return WafClassicWebAcl(**{**base, **over})


def regional(**over: Any) -> WafRegionalWebAcl:
    base: dict[str, Any] = dict(
        arn=f"arn:aws:waf-regional:eu-west-1:{ACCOUNT}:webacl/r1",
        id="r1",
        name="alb",
        account_id=ACCOUNT,
        region="eu-west-1",
        log_destinations=(),
    )
    return WafRegionalWebAcl(**{**base, **over})


def inventory(*resources: Resource) -> Inventory:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now)
    return Inventory(meta, [AccountInfo(account_id=ACCOUNT)], [], [], list(resources), [])


def test_web_acl_logging_enabled() -> None:
    assert waf_classic.web_acl_logging_enabled(edge()) == (Status.PASS, f"requests are logged to {STREAM}")
    out = waf_classic.web_acl_logging_enabled(edge(log_destinations=()))
    assert out == (Status.FAIL, "the WAF Classic web ACL does not log the requests it inspects")
    assert waf_classic.web_acl_logging_enabled(edge(log_destinations=None)).status is Status.ERROR
    # no Classic web ACL, nothing to judge: the per-ACL control has no subject (see web_acls_migrated)


def test_regional_web_acl_logging_enabled() -> None:
    assert waf_classic.regional_web_acl_logging_enabled(regional()).status is Status.FAIL
    assert waf_classic.regional_web_acl_logging_enabled(regional(log_destinations=(STREAM,))).status is Status.PASS
    assert waf_classic.regional_web_acl_logging_enabled(regional(log_destinations=None)).status is Status.ERROR


def test_web_acls_migrated() -> None:
    account = Account(arn=f"arn:aws:iam::{ACCOUNT}:root", id=ACCOUNT, account_id=ACCOUNT, region=GLOBAL)
    assert waf_classic.web_acls_migrated(account, inventory()) == (Status.PASS, "no AWS WAF Classic web ACL remains")
    out = waf_classic.web_acls_migrated(account, inventory(edge(), regional()))
    assert out == (Status.FAIL, "2 AWS WAF Classic web ACL(s) still to migrate: alb (eu-west-1), edge (CloudFront)")
    other = regional(account_id="111122223333", arn="arn:aws:waf-regional:eu-west-1:111122223333:webacl/r9")
    assert waf_classic.web_acls_migrated(account, inventory(other)).status is Status.PASS
    many = [
        regional(id=f"r{n}", name=f"acl-{n}", arn=f"arn:aws:waf-regional:eu-west-1:{ACCOUNT}:webacl/r{n}")
        for n in range(5)
    ]
    assert waf_classic.web_acls_migrated(account, inventory(*many)).message.endswith("acl-2 (eu-west-1) (+2 more)")
