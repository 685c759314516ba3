"""IAM server certificates, from the one ListServerCertificates listing (it carries every expiry date)."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.iam_certificates import IamServerCertificate

PAGE = 1000  # the AWS maximum for MaxItems on IAM list calls


@collector(service="iam", scope="global", produces=[IamServerCertificate], permissions=["iam:ListServerCertificates"])
def collect_server_certificates(ctx: Ctx) -> Iterator[IamServerCertificate]:
    iam = ctx.client("iam")
    for cert in ctx.paginate(iam, "list_server_certificates", "ServerCertificateMetadataList", MaxItems=PAGE):
        name = str(cert["ServerCertificateName"])
        yield IamServerCertificate(
            arn=str(cert.get("Arn") or ctx.arn("iam", f"server-certificate/{name}")),
            id=str(cert.get("ServerCertificateId") or name), account_id=ctx.account_id, region=ctx.region,
            name=name, path=str(cert.get("Path") or "/"), uploaded=cert.get("UploadDate"),
            expiration=cert.get("Expiration"),
        )
