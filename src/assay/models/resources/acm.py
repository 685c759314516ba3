"""ACM certificates, as ListCertificates summarises them."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class AcmCertificate(Resource):
    type: ClassVar[str] = "AWS::CertificateManager::Certificate"
    domain_name: str = ""
    status: str = ""  # ISSUED, PENDING_VALIDATION, EXPIRED, INACTIVE, REVOKED, FAILED, VALIDATION_TIMED_OUT
    certificate_type: str = ""  # AMAZON_ISSUED, IMPORTED, PRIVATE
    key_algorithm: str = ""
    in_use: bool | None = None  # associated with a load balancer, distribution, API...; None: not stated
    renewal_eligibility: str = ""  # ELIGIBLE, INELIGIBLE
    not_after: str | None = None  # ISO 8601 end of validity; None for certificates never issued
