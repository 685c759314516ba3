"""AWS Lambda resources: functions, read without their code or environment variable values."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource


class Concurrency(BaseModel):
    """A function's concurrency reservation as read; reserved is None when none is set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reserved: int | None = None


class LambdaFunction(Resource):
    """The $LATEST configuration of a function (from ListFunctions) and its per-function reads.

    Environment variable values are never read into the inventory: they often hold secrets.
    """

    type: ClassVar[str] = "AWS::Lambda::Function"
    runtime: str = ""  # "" for container-image functions (PackageType Image), which have no managed runtime
    package_type: str = "Zip"
    role: str = ""
    vpc_id: str = ""  # "" when the function is not attached to a VPC
    subnet_ids: tuple[str, ...] = ()
    dead_letter_target: str = ""  # SQS queue or SNS topic ARN; "" when none
    tracing_mode: str = ""  # "Active" or "PassThrough"
    last_modified: str = ""
    # None: the read failed (unknown). {} when the function has no resource-based policy.
    policy: dict[str, Any] | None = None
    concurrency: Concurrency | None = None
    # Function URL auth type: "AWS_IAM" or "NONE"; "" when the function has no URL; None: not read.
    url_auth_type: str | None = None
