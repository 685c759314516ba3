"""ACM: every certificate of the region from one paginated ListCertificates, which states expiry and use."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.acm import AcmCertificate

# ListCertificates returns only RSA 1024/2048 certificates unless asked for the other key types.
KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]


@collector(service="acm", produces=[AcmCertificate], permissions=["acm:ListCertificates"])
def collect_certificates(ctx: Ctx) -> Iterator[AcmCertificate]:
    acm = ctx.client("acm")
    for c in ctx.paginate(acm, "list_certificates", "CertificateSummaryList", Includes={"keyTypes": KEY_TYPES}):
        arn = str(c["CertificateArn"])
        not_after = c.get("NotAfter")
        in_use = c.get("InUse")
        yield AcmCertificate(
            arn=arn, id=arn.rsplit("/", 1)[-1], name=str(c.get("DomainName", "")), account_id=ctx.account_id,
            region=ctx.region, domain_name=str(c.get("DomainName", "")), status=str(c.get("Status", "")),
            certificate_type=str(c.get("Type", "")), key_algorithm=str(c.get("KeyAlgorithm", "")),
            in_use=None if in_use is None else bool(in_use),
            renewal_eligibility=str(c.get("RenewalEligibility", "")),
            not_after=not_after.isoformat() if isinstance(not_after, datetime) else None,
        )
