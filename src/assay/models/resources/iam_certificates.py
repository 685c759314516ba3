"""IAM server certificates: TLS certificates uploaded to IAM for load balancers and CloudFront where ACM
is not used."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from assay.models.base import Resource


class IamServerCertificate(Resource):
    type: ClassVar[str] = "AWS::IAM::ServerCertificate"
    path: str = "/"
    uploaded: datetime | None = None
    expiration: datetime | None = None  # None: AWS did not report it
