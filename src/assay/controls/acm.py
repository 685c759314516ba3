"""ACM controls: certificates in use are renewed well before they expire."""

from __future__ import annotations

from datetime import datetime

from assay.controls.registry import Remediation, control
from assay.controls.timestamps import parse_time
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.acm import AcmCertificate


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


@control(
    id="acm.certificate_not_expiring",
    title="ACM certificates in use are valid for at least the configured number of days",
    severity="high",
    needs=["acm:ListCertificates"],
    rationale="When a certificate in use expires, clients refuse the connection or users learn to click through "
    "warnings, so the service becomes unavailable or encryption in transit stops being trustworthy. ACM renews "
    "the certificates it issued (starting 60 days ahead) only while validation still works; imported "
    "certificates are never renewed. Warning ahead of expiry keeps TLS in place (CC6.7) and the service up "
    "(A1.2). The threshold is a parameter: public mappings use 7, 14 or 30 days.",
    remediation=Remediation(
        console="Certificate Manager console > the certificate: for an AWS-issued certificate fix domain validation "
        "(the CNAME record must still exist) so managed renewal succeeds; for an imported certificate obtain a new "
        "one from the issuer and choose Reimport certificate. Or request a new ACM certificate and switch the "
        "resources listed under 'Associated resources' to it.",
        cli="aws acm describe-certificate --certificate-arn <arn>   # RenewalSummary shows why renewal is stuck\n"
        "aws acm import-certificate --certificate-arn <arn> --certificate fileb://cert.pem "
        "--private-key fileb://key.pem --certificate-chain fileb://chain.pem",
        terraform='resource "aws_acm_certificate" "site" {\n  domain_name       = "example.com"\n'
        '  validation_method = "DNS"\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n'
        "# keep the aws_route53_record validation records in place so renewal can validate",
    ),
)
def certificate_not_expiring(cert: AcmCertificate, now: datetime, *, min_days_left: int = 30,
                             include_unused: bool = False) -> Outcome:
    if cert.status not in ("ISSUED", "EXPIRED"):
        return Skip(f"certificate is {cert.status or 'in an unknown state'}: it is not serving traffic")
    if cert.in_use is None and not include_unused:
        return Error("whether the certificate is in use was not reported (InUse)")
    if not cert.in_use and not include_unused:
        return Skip("certificate is not associated with any AWS resource")
    if cert.not_after is None:
        return Error("the certificate's expiry date was not reported (NotAfter)")
    expires = parse_time(cert.not_after)
    days = (expires - now).days
    day = expires.date().isoformat()
    if days < 0:
        return Fail(f"expired on {day}")
    if days < min_days_left:
        return Fail(f"expires on {day}, in {_days(days)} (threshold {min_days_left})")
    return Pass(f"valid until {day} ({_days(days)} left)")
