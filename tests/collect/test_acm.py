"""ACM collector against moto's server: one listing per region that states expiry and use, every key
type listed, and ERROR (never PASS or FAIL) when the listing is denied."""

from __future__ import annotations

from typing import Any

from assay.collect.session import AwsAccess
from assay.demo.estate import acm as estate
from assay.faults import deny
from assay.models.resources.acm import AcmCertificate
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1", "eu-west-1"]
EXPECTED = {"pass-api.northwind.example": "pass", "fail-legacy.northwind.example": "fail",
            "skip-staging.northwind.example": "skip"}


def test_collects_certificates_and_evaluates(access: AwsAccess, seed: Any) -> None:
    estate.seed(seed, REGIONS)
    inv = scan(access, ["acm"], regions=REGIONS)
    assert inv.complete and not inv.errors
    certs = {c.name: c for c in inv.of(AcmCertificate)}
    assert set(certs) == set(EXPECTED)  # EC certificates too: ListCertificates is asked for every key type
    legacy = certs["fail-legacy.northwind.example"]
    assert (legacy.status, legacy.certificate_type, legacy.key_algorithm, legacy.in_use) == \
        ("ISSUED", "IMPORTED", "EC_prime256v1", True)
    assert certs["skip-staging.northwind.example"].in_use is False
    assert inv.meta.api_calls["acm:ListCertificates"] == 2  # one per region, no per-certificate call
    ev = evaluate(inv)
    assert by_name(ev, "acm.certificate_not_expiring") == EXPECTED
    message = next(f.message for f in findings_of(ev, "acm.certificate_not_expiring")
                   if f.resource_name == "fail-legacy.northwind.example")
    assert message.startswith("expires on ") and message.endswith("(threshold 30)")
    widened = evaluate(inv, params={"acm.certificate_not_expiring": {"include_unused": True, "min_days_left": 7}})
    assert by_name(widened, "acm.certificate_not_expiring") == {
        "pass-api.northwind.example": "pass", "fail-legacy.northwind.example": "pass",
        "skip-staging.northwind.example": "fail"}


def test_denied_listing_is_error_for_the_region(access: AwsAccess, seed: Any) -> None:
    estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({"acm:ListCertificates"}, code="AccessDeniedException")))
    inv = scan(access, ["acm"], regions=REGIONS)
    assert not inv.of(AcmCertificate)
    found = findings_of(evaluate(inv), "acm.certificate_not_expiring")
    assert sorted(f.region for f in found) == sorted(REGIONS)
    assert {f.status.value for f in found} == {"error"}
    assert all("acm:ListCertificates" in f.message for f in found)
