"""Findings come out sorted by (control, account, region, resource ARN, id), errored reads included.

The engine never sorts all findings: resources are judged in inventory order and only the few rows
about a lost resource or a failed listing are placed among them. This checks that placement on the
demo estate with failed reads of every kind injected.
"""

from __future__ import annotations

import pytest

from assay.collect.runner import collect
from assay.demo.accounts import demo_accesses
from assay.engine import evaluate
from assay.faults import deny

REGIONS = ["us-east-1", "eu-west-1"]
SERVICES = ["ec2", "iam", "kms", "logs", "s3"]
# A per-resource read, a regional listing and a global one.
DENIED = {"kms:GetKeyRotationStatus", "ec2:DescribeVolumes", "s3:GetBucketVersioning", "iam:ListUsers"}


@pytest.mark.parametrize("denied", [set(), DENIED])
def test_findings_are_sorted_with_lost_resources_and_failed_listings(demo_endpoint: str, denied: set[str]) -> None:
    accesses = demo_accesses(demo_endpoint, REGIONS)
    for access in accesses:
        access.hooks.append(("before-call", deny(denied)))
    inv = collect(accesses, regions=REGIONS, services=SERVICES, max_workers=4)
    findings = evaluate(inv).findings
    if denied:
        assert any(f.resource_arn.endswith(":*") for f in findings)  # a failed listing is reported as such
    keys = [(f.control_id, f.account_id, f.region, f.resource_arn, f.id) for f in findings]
    assert keys == sorted(keys)
    assert len({f.id for f in findings}) == len(findings)
