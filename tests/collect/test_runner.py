"""The runner and the session layer: regions, roles, the write guard, error classification."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.calls import Ctx
from assay.collect.errors import classify_code
from assay.collect.guard import is_read_operation
from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.engine import evaluate
from assay.errors import CredentialError, UsageError, WriteAttempted
from assay.faults import deny
from assay.models.inventory import CoverageStatus, ErrorKind, RegionStatus


def test_regions_not_opted_in_are_recorded_and_never_called(access: AwsAccess) -> None:
    scopes: list[str] = []  # SigV4 credential scopes name the region every request was signed for

    def record(request: Any, **_: Any) -> None:
        scopes.append(str(request.headers.get("Authorization", b"")))

    access.hooks.append(("before-send", record))
    inv = collect(access, regions=["us-east-1", "ap-east-1"], services=["kms"])
    assert any("/us-east-1/kms/" in s for s in scopes)
    assert not any("ap-east-1" in s for s in scopes)
    status = {r.region: r.status for r in inv.regions}
    assert status == {"us-east-1": RegionStatus.SCANNED, "ap-east-1": RegionStatus.NOT_ENABLED}
    cov = {c.region: c.status for c in inv.coverage}
    assert cov["ap-east-1"] is CoverageStatus.NOT_ENABLED
    assert inv.complete  # not enabled is a final state with evidence, not a gap


def test_default_regions_are_the_enabled_ones(access: AwsAccess) -> None:
    inv = collect(access, services=["kms"], max_workers=8)
    scanned = {r.region for r in inv.regions if r.status is RegionStatus.SCANNED}
    skipped = {r.region for r in inv.regions if r.status is RegionStatus.NOT_ENABLED}
    assert "us-east-1" in scanned and "eu-west-1" in scanned
    assert "ap-east-1" in skipped and not scanned & skipped


def test_unknown_region_refused_before_any_call(access: AwsAccess) -> None:
    with pytest.raises(UsageError, match="unknown region"):
        collect(access, regions=["us-east-1", "moon-1"], services=["kms"])


def test_unknown_service_refused(access: AwsAccess) -> None:
    with pytest.raises(UsageError, match="unknown service"):
        collect(access, regions=["us-east-1"], services=["nosuch"])


def test_assumed_role_scans_the_role_account(endpoint: str) -> None:
    access = AwsAccess(endpoint_url=endpoint, home_region="us-east-1",
                       role_arn="arn:aws:iam::111111111111:role/AssayScan", external_id="ext-123")
    inv = collect(access, regions=["us-east-1"], services=["kms"])
    assert inv.account_ids() == ["111111111111"]
    assert "assumed-role/AssayScan" in inv.accounts[0].caller_arn


def test_rejected_credentials_are_a_credential_error(access: AwsAccess) -> None:
    access.hooks.append(("before-call", deny({"sts:GetCallerIdentity"}, code="InvalidClientTokenId")))
    with pytest.raises(CredentialError, match="InvalidClientTokenId"):
        collect(access, regions=["us-east-1"], services=["kms"])


def test_write_guard_refuses_mutations(access: AwsAccess) -> None:
    kms = access.client("kms", "us-east-1")
    with pytest.raises(WriteAttempted):
        kms.create_key()
    assert is_read_operation("DescribeSecurityGroups") and is_read_operation("GetCredentialReport")
    for op in ("PutBucketPolicy", "DeleteTrail", "CreateKey", "UpdateTrail", "GetObject", "Scan", "Query",
               "GetSecretValue", "BatchWriteItem", "StopLogging"):
        assert not is_read_operation(op), op


def test_describe_regions_denied_without_regions_is_a_clear_error(access: AwsAccess) -> None:
    from assay.errors import AssayError

    access.hooks.append(("before-call", deny({"ec2:DescribeRegions"}, code="UnauthorizedOperation")))
    with pytest.raises(AssayError, match="ec2:DescribeRegions"):
        collect(access, services=["kms"])
    inv = collect(access, regions=["us-east-1"], services=["kms"])  # named regions still work
    assert [r.region for r in inv.regions] == ["us-east-1"]


@pytest.mark.parametrize(("code", "message", "kind"), [
    ("AccessDenied", "", ErrorKind.DENIED),
    ("AccessDeniedException", "", ErrorKind.DENIED),
    ("UnauthorizedOperation", "", ErrorKind.DENIED),
    ("AccessDenied", "with an explicit deny in a service control policy", ErrorKind.SCP_DENY),
    ("Throttling", "Rate exceeded", ErrorKind.THROTTLED),
    ("RequestLimitExceeded", "", ErrorKind.THROTTLED),
    ("ExpiredToken", "", ErrorKind.CREDENTIALS_EXPIRED),
    ("UnrecognizedClientException", "", ErrorKind.REGION_DISABLED),
    ("InternalFailure", "", ErrorKind.ERROR),
])
def test_error_classification(code: str, message: str, kind: ErrorKind) -> None:
    assert classify_code(code, message) is kind


def test_a_crashing_collector_costs_only_its_scope(access: AwsAccess, seed: Any, monkeypatch: Any) -> None:
    from assay.collect import registry

    kms_spec = registry.load_collectors()["kms.collect_keys"]

    def boom(ctx: Ctx) -> Any:
        raise KeyError("KeyMetadata")
        yield

    monkeypatch.setitem(registry._COLLECTORS, "kms.collect_keys",
                        registry.CollectorSpec(**{**kms_spec.__dict__, "func": boom}))
    seed("kms").create_key()
    inv = collect(access, regions=["us-east-1"], services=["kms"])
    assert {e.kind for e in inv.errors} == {ErrorKind.PARSE}
    ev = evaluate(inv)
    kms_findings = [f for f in ev.findings if f.control_id.startswith("kms.")]
    assert kms_findings and {f.status.value for f in kms_findings} == {"error"}


def test_client_error_shape_is_recorded(access: AwsAccess) -> None:
    ctx = Ctx(access, "123456789012", "us-east-1", "kms", "aws")
    access.hooks.append(("before-call", deny({"kms:ListKeys"}, code="AccessDeniedException")))
    kms = ctx.client("kms")
    assert list(ctx.paginate(kms, "list_keys", "Keys")) == []
    (err,) = ctx.errors
    assert (err.operation, err.code, err.kind, err.resource_arn) == (
        "kms:ListKeys", "AccessDeniedException", ErrorKind.DENIED, None)
    assert "grant kms:ListKeys" in err.describe()


def test_a_regional_shard_keeps_only_its_own_region() -> None:
    from assay.collect.runner import Shard, _belongs
    from assay.models.resources.kms import KmsKey

    def key(arn: str) -> KmsKey:
        return KmsKey(arn=arn, id="k", account_id="123456789012", region="eu-west-1", manager="CUSTOMER",
                      state="Enabled", spec="SYMMETRIC_DEFAULT")

    shard = Shard("123456789012", "eu-west-1", "kms")
    assert _belongs(key("arn:aws:kms:eu-west-1:123456789012:key/k"), shard)
    assert not _belongs(key("arn:aws:kms:us-east-1:123456789012:key/k"), shard)
    assert _belongs(key("arn:aws:s3:::bucket"), shard)  # ARNs without a region are not judged
    assert _belongs(key("arn:aws:kms:us-east-1:123456789012:key/k"), Shard("123456789012", "global", "s3"))
