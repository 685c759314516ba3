"""T4: pagination. Every list operation the collectors use, forced into pages of 1, 2, 7 and 1000 items
by a paginating fake in front of the demo estate (moto itself ignores page sizes for several APIs and
truncates ListBuckets without a token), gives the same inventory as the unpaged scan; every list call
sends a page size where the API takes one; a token handed back twice is an error, never a loop; an
account with 10,001 buckets, which AWS refuses to list unpaginated, is listed in full.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from assay.collect.calls import Ctx
from assay.collect.pagination import PagingSpec, page_size, paging_spec
from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.demo.accounts import demo_accesses as accesses_for
from assay.demo.accounts import demo_services
from assay.demo.estate import REGIONS
from assay.engine import evaluate
from assay.faults_paging import ForcedPages
from assay.models.inventory import ErrorKind, Inventory

# Collection timestamps, not data read from AWS: they differ between any two scans.
CLOCK_FIELDS = {"restore_jobs_since"}
# List operations that take a page size but are sent without one, and why.
NO_PAGE_SIZE = {
    ("cloudfront", "ListDistributions"): "CloudFront publishes no maximum for MaxItems; its default is 100",
}


def normalised(inv: Inventory) -> list[str]:
    return sorted(json.dumps({"type": r.type, **r.model_dump(mode="json", exclude=CLOCK_FIELDS)}, sort_keys=True)
                  for r in inv.resources())


def scan(endpoint: str, page: int | None) -> tuple[Inventory, dict[str, str], list[ForcedPages]]:
    accesses = accesses_for(endpoint, REGIONS)  # both accounts; one region is enough to meet every listing
    fakes = []
    if page is not None:
        for access in accesses:
            fake = ForcedPages(access, page)
            access.hooks.extend(fake.hooks())
            fakes.append(fake)
    inv = collect(accesses, regions=REGIONS[:1], services=demo_services(), max_workers=4)
    return inv, {f.id: f.status.value for f in evaluate(inv).findings}, fakes


@pytest.fixture(scope="module")
def baseline(demo_endpoint: str) -> Iterator[tuple[Inventory, dict[str, str]]]:
    inv, findings, _ = scan(demo_endpoint, None)
    assert inv.complete
    yield inv, findings


@pytest.mark.parametrize("page", [1, 2, 7, 1000])
def test_forced_page_sizes_give_the_same_inventory(demo_endpoint: str, baseline: tuple[Inventory, dict[str, str]],
                                                   page: int) -> None:
    clean, clean_findings = baseline
    inv, findings, fakes = scan(demo_endpoint, page)
    paged = set().union(*(f.pages for f in fakes))
    assert len(paged) >= 80, f"only {len(paged)} paging operations were met"
    assert not [e.describe() for e in inv.errors]
    assert inv.complete
    assert normalised(inv) == normalised(clean)
    assert findings == clean_findings
    assert not set().union(*(f.abandoned() for f in fakes)), "a listing was read only in part"
    if page == 1:  # every operation with more than one item really went through several pages
        assert len(set().union(*(f.multi_page() for f in fakes))) >= 65
    unsized = {(s, o) for f in fakes for s, o, sent in f.first_requests if sent is None and takes_a_size(s, o)}
    assert unsized == set(NO_PAGE_SIZE), f"list calls sent without a page size: {unsized - set(NO_PAGE_SIZE)}"


_SESSION = boto3.Session(region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")


def service_model(service: str) -> Any:
    return _SESSION.client(service, endpoint_url="http://127.0.0.1:9").meta.service_model


def takes_a_size(service: str, operation: str) -> bool:
    spec = paging_spec(service_model(service), operation)
    return spec is not None and spec.limit_key is not None


# -- a listing that never ends -------------------------------------------------------------------

@pytest.mark.parametrize("page", [2, 10])  # a cycle through an earlier token; the same token twice running
def test_a_repeated_token_is_an_error_not_a_loop(access: AwsAccess, seed: Any, page: int) -> None:
    kms = seed("kms")
    for _ in range(3):
        kms.create_key()
    fake = ForcedPages(access, page, loop={("kms", "ListKeys")})
    access.hooks.extend(fake.hooks())
    started = time.monotonic()
    inv = collect(access, regions=["us-east-1"], services=["kms"])
    assert time.monotonic() - started < 30
    assert fake.pages[("kms", "ListKeys")] <= 4  # stopped at the first repetition
    (loop,) = [e for e in inv.errors if e.kind is ErrorKind.PAGINATION]
    assert loop.operation == "kms:ListKeys" and loop.resource_arn is None
    assert not inv.complete
    keys = [r.arn for r in inv.resources() if r.type == "AWS::KMS::Key"]
    assert len(keys) == len(set(keys)), "the repeated page added duplicates"
    findings = [f for f in evaluate(inv).findings if f.control_id.startswith("kms.")]
    assert findings and {f.status.value for f in findings} == {"error"}
    assert len({f.id for f in findings}) == len(findings)


def test_an_operation_without_a_paginator_model_is_followed(access: AwsAccess, seed: Any) -> None:
    """Athena's ListWorkGroups pages by NextToken but botocore has no paginator for it."""
    athena = seed("athena")
    for n in range(5):
        athena.create_work_group(Name=f"wg-{n}", Configuration={"PublishCloudWatchMetricsEnabled": True})
    fake = ForcedPages(access, 2)
    access.hooks.extend(fake.hooks())
    inv = collect(access, regions=["us-east-1"], services=["athena"])
    names = {r.id for r in inv.resources() if r.type.startswith("AWS::Athena")}
    assert {f"wg-{n}" for n in range(5)} <= names
    assert fake.pages[("athena", "ListWorkGroups")] >= 3 and not fake.abandoned()
    assert [s for s, o, sent in fake.first_requests if o == "ListWorkGroups" and sent == 50]


def test_a_looping_operation_without_a_paginator_model_stops(access: AwsAccess, seed: Any) -> None:
    athena = seed("athena")
    for n in range(3):
        athena.create_work_group(Name=f"wg-{n}")
    fake = ForcedPages(access, 1, loop={("athena", "ListWorkGroups")})
    access.hooks.extend(fake.hooks())
    inv = collect(access, regions=["us-east-1"], services=["athena"])
    assert [e.operation for e in inv.errors if e.kind is ErrorKind.PAGINATION] == ["athena:ListWorkGroups"]
    assert fake.pages[("athena", "ListWorkGroups")] <= 6


# -- ListBuckets on a large account --------------------------------------------------------------

def test_ten_thousand_and_one_buckets(access: AwsAccess) -> None:
    """AWS refuses unpaginated ListBuckets on accounts over 10,000 buckets: Assay always pages it."""
    buckets = [{"Name": f"bucket-{n:05d}", "CreationDate": "2024-01-01T00:00:00Z"} for n in range(10_001)]
    refusal = "Unpaginated ListBuckets requests are rejected for accounts with more than 10,000 buckets"
    fake = ForcedPages(access, 1000, listings={("s3", "ListBuckets"): {"Buckets": buckets}},
                       require_page_size={("s3", "ListBuckets"): refusal})
    access.hooks.extend(fake.hooks())
    ctx = Ctx(access, "123456789012", "global", "s3", "aws")
    s3 = ctx.client("s3")
    names = [b["Name"] for b in ctx.paginate(s3, "list_buckets", "Buckets")]
    assert len(names) == len(set(names)) == 10_001 and not ctx.errors
    assert fake.pages[("s3", "ListBuckets")] == 11
    assert ctx.call(s3, "list_buckets") is None  # the fake refuses it, as AWS would
    assert ctx.errors[0].code == "InvalidRequest"


def test_the_s3_collector_pages_list_buckets(access: AwsAccess, seed: Any) -> None:
    s3 = seed("s3")
    for n in range(5):
        s3.create_bucket(Bucket=f"paged-{n}")
    fake = ForcedPages(access, 2, require_page_size={("s3", "ListBuckets"): "send MaxBuckets"})
    access.hooks.extend(fake.hooks())
    inv = collect(access, regions=["us-east-1"], services=["s3"])
    assert {f"paged-{n}" for n in range(5)} <= {r.id for r in inv.resources() if r.type == "AWS::S3::Bucket"}
    assert fake.pages[("s3", "ListBuckets")] == 3 and not inv.errors


# -- the paging table ------------------------------------------------------------------------------

def test_paging_specs_of_modelled_and_inferred_operations() -> None:
    def spec(service: str, operation: str) -> tuple[Any, PagingSpec | None]:
        model = service_model(service)
        return model, paging_spec(model, operation)

    model, kms = spec("kms", "ListKeys")
    assert kms is not None and kms.modeled and kms.limit_key == "Limit" and page_size(model, "ListKeys", kms) == 1000
    assert kms.next_token({"Keys": [], "Truncated": False, "NextMarker": "x"}) is None  # more_results wins
    assert kms.next_token({"Keys": [], "Truncated": True, "NextMarker": "x"}) == ("x",)
    model, athena = spec("athena", "ListWorkGroups")
    assert athena is not None and not athena.modeled and athena.result_keys == ("WorkGroups",)
    assert page_size(model, "ListWorkGroups", athena) == 50
    model, s3 = spec("s3", "ListBuckets")
    assert s3 is not None and page_size(model, "ListBuckets", s3) == 10000
    _, none = spec("kms", "DescribeKey")
    assert none is None

