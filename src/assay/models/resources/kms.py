"""KMS resources."""

from __future__ import annotations

from typing import Any, ClassVar

from assay.models.base import Resource


class KmsKey(Resource):
    type: ClassVar[str] = "AWS::KMS::Key"
    manager: str  # "AWS" or "CUSTOMER"
    state: str  # Enabled, Disabled, PendingDeletion, ...
    spec: str  # SYMMETRIC_DEFAULT, RSA_2048, ...
    origin: str = "AWS_KMS"
    deletion_date: str | None = None
    rotation_enabled: bool | None = None  # None: not collected or not applicable
    policy: dict[str, Any] | None = None  # the "default" key policy document; None: not read
