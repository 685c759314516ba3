"""T7: credentials that expire during a scan.

Refreshable (an assumed role, botocore's refreshable credentials): on a simulated clock the scan lives
through several credential lifetimes; botocore renews them before they expire, so no request is
refused and the result is the one a short scan gives. Not refreshable (static session credentials):
once they expire every remaining read is ERROR of kind credentials_expired, the scan is partial, and
no finding stands on data that was not read. The warning given before such a scan starts, when the
credentials will likely expire first, is tested in tests/test_preflight.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.demo.server import seed_client
from assay.engine import evaluate
from assay.errors import CredentialError
from assay.faults import deny, expire_after
from assay.faults_credentials import CredentialClock
from assay.models.inventory import ErrorKind, Inventory

ROLE = "arn:aws:iam::111111111111:role/AssayScan"
SERVICES = ["iam", "kms", "logs", "s3"]


def statuses(inv: Inventory) -> dict[str, str]:
    return {f.id: f.status.value for f in evaluate(inv).findings}


@pytest.fixture()
def role_account(endpoint: str, seed: Any) -> str:
    """Keys, a log group and a bucket in the role's account, so the scan has reads to make after each renewal."""
    creds = seed("sts").assume_role(RoleArn=ROLE, RoleSessionName="setup")["Credentials"]
    keys = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"]}
    kms = seed_client(endpoint, "kms", "us-east-1", keys)
    for n in range(4):
        key = kms.create_key(Description=f"key {n}")["KeyMetadata"]["KeyId"]
        if n % 2:
            kms.enable_key_rotation(KeyId=key)
    seed_client(endpoint, "logs", "us-east-1", keys).create_log_group(logGroupName="app")
    seed_client(endpoint, "s3", "us-east-1", keys).create_bucket(Bucket="role-account-data")
    return endpoint


def role_access(endpoint: str) -> AwsAccess:
    return AwsAccess(endpoint_url=endpoint, home_region="us-east-1", role_arn=ROLE, max_rate=None)


def test_refreshable_credentials_are_renewed_and_the_scan_goes_on(role_account: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    clean = collect(role_access(role_account), regions=["us-east-1"], services=SERVICES, max_workers=2)
    assert clean.complete
    access = role_access(role_account)
    clock = CredentialClock(step=timedelta(minutes=4), lifetime=timedelta(hours=1))
    clock.install(access.credentials(), patch=monkeypatch.setattr)
    access.hooks.extend(clock.hooks())
    inv = collect(access, regions=["us-east-1"], services=SERVICES, max_workers=2)
    simulated = clock.requests * clock.step
    print(f"refreshable: {clock.requests} requests over {simulated} simulated, {clock.refreshes} renewals, "
          f"{clock.expired} refused")
    assert simulated >= timedelta(hours=2), f"the scan only lived {simulated} on the simulated clock"
    assert clock.refreshes >= 2, f"{clock.refreshes} renewals in {simulated}"
    assert clock.expired == 0
    assert not [e for e in inv.errors if e.kind is ErrorKind.CREDENTIALS_EXPIRED]
    assert inv.complete
    assert statuses(inv) == statuses(clean)


def test_without_renewal_the_clock_really_expires_them(role_account: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness can fail: with renewal disabled, requests past the lifetime are refused."""
    access = role_access(role_account)
    creds = access.credentials()
    clock = CredentialClock(step=timedelta(minutes=4), lifetime=timedelta(hours=1))
    clock.install(creds, patch=monkeypatch.setattr)
    monkeypatch.setattr(creds, "refresh_needed", lambda refresh_in=None: False)
    access.hooks.extend(clock.hooks())
    inv = collect(access, regions=["us-east-1"], services=SERVICES, max_workers=1)
    assert clock.expired > 0 and clock.refreshes == 0
    expired = [e for e in inv.errors if e.kind is ErrorKind.CREDENTIALS_EXPIRED]
    assert expired and all(e.code == "ExpiredToken" for e in expired)
    assert not inv.complete


def test_the_session_is_refreshable_when_scanning_through_a_role(role_account: str) -> None:
    from botocore.credentials import RefreshableCredentials

    assert isinstance(role_access(role_account).credentials(), RefreshableCredentials)


# -- static session credentials ------------------------------------------------------------------

def test_expired_static_credentials_leave_everything_unread_as_error(access: AwsAccess, seed: Any) -> None:
    seed("kms").create_key()
    seed("logs").create_log_group(logGroupName="app")
    calls: list[str] = []
    access.hooks.append(("before-call", lambda model, **_: calls.append(model.name)))
    access.hooks.append(("before-call", expire_after(2)))  # who we are, which regions: then expired
    inv = collect(access, regions=["us-east-1"], services=SERVICES, max_workers=2)
    assert calls[:2] == ["GetCallerIdentity", "DescribeRegions"]
    assert inv.errors and {e.kind for e in inv.errors} == {ErrorKind.CREDENTIALS_EXPIRED}
    assert not inv.complete
    assert all(c.status.value != "complete" for c in inv.coverage)
    findings = evaluate(inv).findings
    assert findings and {f.status.value for f in findings} == {"error"}
    assert all("credentials_expired" in f.message or "not collected" in f.message for f in findings)
    assert any("the credentials expired" in f.message for f in findings)


@pytest.mark.parametrize("valid_calls", [12, 30])
def test_credentials_expiring_mid_scan_never_leave_a_verdict_on_unread_data(
        access: AwsAccess, seed: Any, valid_calls: int) -> None:
    kms = seed("kms")
    for n in range(3):
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        if n:
            kms.enable_key_rotation(KeyId=key)
    seed("logs").create_log_group(logGroupName="app")
    seed("s3").create_bucket(Bucket="data")
    clean = statuses(collect(AwsAccess(endpoint_url=access.endpoint_url, home_region="us-east-1"),
                             regions=["us-east-1"], services=SERVICES, max_workers=1))
    access.hooks.append(("before-call", expire_after(valid_calls)))
    inv = collect(access, regions=["us-east-1"], services=SERVICES, max_workers=1)
    assert [e for e in inv.errors if e.kind is ErrorKind.CREDENTIALS_EXPIRED]
    assert not inv.complete
    found = statuses(inv)
    changed = {fid: (clean.get(fid), status) for fid, status in found.items() if status != clean.get(fid)}
    assert changed and {status for _, status in changed.values()} == {"error"}, changed
    assert set(found) - set(clean) <= {fid for fid, s in found.items() if s == "error"}


def test_credentials_expired_before_the_scan_is_a_credential_error(access: AwsAccess) -> None:
    access.hooks.append(("before-call", deny({"sts:GetCallerIdentity"}, code="ExpiredToken", status=400,
                                             message="The security token included in the request is expired")))
    with pytest.raises(CredentialError, match="ExpiredToken"):
        collect(access, regions=["us-east-1"], services=["kms"])
