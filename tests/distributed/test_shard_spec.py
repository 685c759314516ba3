"""The shard as a message and its result as data: no secret travels, nothing changes on the way."""

from __future__ import annotations

import json
import random
from typing import Any

from assay.collect.registry import collectors_by_service
from assay.collect.runner import collect, plan_scan
from assay.collect.session import AwsAccess
from assay.collect.shard import AccessSpec, Shard, ShardResult, ShardSpec, access_for, execute_shard, unfinished_shard
from assay.engine import evaluate
from assay.models.inventory import CoverageStatus


def test_a_shard_spec_carries_no_secret() -> None:
    source = AwsAccess(access_key="AKIASOURCEKEY0000001", secret_key="source-secret-value", endpoint_url=None)
    member = AwsAccess(role_arn="arn:aws:iam::111122223333:role/AssayScan", external_id="ext-123",
                       access_key="AKIAMEMBERKEY0000002", secret_key="member-secret-value", home_region="eu-west-1")
    member.source = source
    text = ShardSpec(access=AccessSpec.of(member), account_id="111122223333", region="eu-west-1",
                     service="kms").model_dump_json()
    for secret in ("source-secret-value", "member-secret-value", "AKIASOURCEKEY0000001", "AKIAMEMBERKEY0000002"):
        assert secret not in text
    doc = json.loads(text)
    assert doc["access"]["role_arn"] == member.role_arn and doc["access"]["external_id"] == "ext-123"
    assert doc["access"]["source"] is not None  # role chaining survives, keys do not
    rebuilt = access_for(AccessSpec.model_validate(doc["access"]))
    assert rebuilt.secret_key is None and rebuilt.source is not None and rebuilt.source.secret_key is None
    assert access_for(AccessSpec.model_validate(doc["access"])) is rebuilt  # one access per spec in a process


def test_a_shard_result_survives_the_wire(seed: Any, access: AwsAccess) -> None:
    s3 = seed("s3")
    s3.create_bucket(Bucket="wire-a")
    s3.put_bucket_versioning(Bucket="wire-a", VersioningConfiguration={"Status": "Enabled"})
    seed("kms", "us-east-1").create_key(Description="wire")
    plan = plan_scan(access, ["us-east-1"], ["s3", "kms"])
    for shard in plan.shards:
        result = execute_shard(plan.spec(shard), access)
        assert result.resources, shard
        back = ShardResult.from_wire(json.loads(json.dumps(result.to_wire())))
        assert back.shard == result.shard and back.calls == result.calls and back.retries == result.retries
        assert [r.model_dump() for r in back.resources] == [r.model_dump() for r in result.resources]
        assert [type(r) for r in back.resources] == [type(r) for r in result.resources]
        assert back.errors == result.errors and back.coverage == result.coverage


def test_the_inventory_does_not_depend_on_the_order_shards_finish(seed: Any, access: AwsAccess) -> None:
    seed("s3").create_bucket(Bucket="order-a")
    seed("kms", "us-east-1").create_key(Description="order")
    plan = plan_scan(access, ["us-east-1", "eu-west-1"], ["s3", "kms", "logs"])
    results = [execute_shard(plan.spec(s), access) for s in plan.shards]
    shuffled = list(results)
    random.Random(7).shuffle(shuffled)
    assert shuffled != results
    a, b = plan.inventory(results), plan.inventory(shuffled)
    assert [r.model_dump() for r in a.resources()] == [r.model_dump() for r in b.resources()]
    assert a.coverage == b.coverage and a.errors == b.errors
    local = collect(access, ["us-east-1", "eu-west-1"], ["s3", "kms", "logs"])
    assert [r.model_dump() for r in local.resources()] == [r.model_dump() for r in a.resources()]


def test_a_shard_without_result_makes_its_controls_error(seed: Any, access: AwsAccess) -> None:
    seed("s3").create_bucket(Bucket="lost-a")
    plan = plan_scan(access, ["us-east-1"], ["s3"])
    [shard] = plan.shards
    lost = unfinished_shard(shard, CoverageStatus.TIMEOUT, "ShardTimeout", "no result from the workers: gone")
    declared = {p for spec in collectors_by_service()["s3"] for p in spec.permissions}
    assert {e.operation for e in lost.errors} == declared
    inv = plan.inventory([lost])
    assert not inv.complete and inv.coverage[0].reason.endswith("gone")
    findings = evaluate(inv).findings
    assert findings and all(f.status.value == "error" for f in findings)
    assert any("ShardTimeout" in f.message for f in findings)
    # The same shard, collected, gives verdicts.
    done = plan.inventory([execute_shard(plan.spec(shard), access)])
    assert {f.status.value for f in evaluate(done).findings} >= {"pass", "fail"}


def test_a_spec_names_its_shard() -> None:
    spec = ShardSpec(access=AccessSpec(), account_id="111122223333", region="global", service="iam")
    assert spec.shard == Shard("111122223333", "global", "iam") and spec.shard.key == "111122223333/global/iam"
