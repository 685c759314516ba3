"""SageMaker resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class SageMakerNotebook(Resource):
    type: ClassVar[str] = "AWS::SageMaker::NotebookInstance"
    status: str = ""
    instance_type: str = ""
    kms_key_id: str | None = None  # "" when the storage volume uses the AWS managed key; None: not read
    direct_internet_access: str | None = None  # Enabled or Disabled; None: not read
    subnet_id: str = ""


class SageMakerEndpointConfig(Resource):
    type: ClassVar[str] = "AWS::SageMaker::EndpointConfig"
    kms_key_id: str | None = None  # "" when none is set; None: not read
    instance_types: tuple[str, ...] = ()  # of instance-backed production variants
    serverless_variants: int = 0
