"""AWS Glue: jobs, their logging arguments and the encryption of the security configuration they use.

Only the three DefaultArguments the controls read are kept: job arguments can hold connection strings
and other secrets, which never enter the inventory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.glue import GlueJob


def _modes(config: dict[str, Any]) -> tuple[str, str]:
    enc = config.get("EncryptionConfiguration") or {}
    s3 = [s.get("S3EncryptionMode", "DISABLED") for s in enc.get("S3Encryption") or []]
    s3_mode = next((m for m in s3 if m != "DISABLED"), "DISABLED")
    cw_mode = (enc.get("CloudWatchEncryption") or {}).get("CloudWatchEncryptionMode", "DISABLED")
    return s3_mode, cw_mode


@collector(service="glue", produces=[GlueJob], permissions=["glue:GetJobs", "glue:GetSecurityConfigurations"])
def collect_jobs(ctx: Ctx) -> Iterator[GlueJob]:
    glue = ctx.client("glue")
    jobs = list(ctx.paginate(glue, "get_jobs", "Jobs"))
    if not jobs:
        return
    listed = ctx.paginate(glue, "get_security_configurations", "SecurityConfigurations")
    configs = {c["Name"]: _modes(c) for c in listed}
    configs_read = not ctx.failed("glue:GetSecurityConfigurations")
    for job in jobs:
        name = job["Name"]
        args = job.get("DefaultArguments") or {}
        sec = job.get("SecurityConfiguration") or ""
        s3_mode: str | None = "DISABLED"
        cw_mode: str | None = "DISABLED"
        if sec:
            # a name that is not (or no longer) among the configurations cannot be judged
            s3_mode, cw_mode = configs.get(sec, (None, None)) if configs_read else (None, None)
        yield GlueJob(
            arn=ctx.arn("glue", f"job/{name}"), id=name, account_id=ctx.account_id, region=ctx.region, name=name,
            command=(job.get("Command") or {}).get("Name", ""),
            continuous_logging=str(args.get("--enable-continuous-cloudwatch-log", "")).lower() == "true",
            encryption_type_argument=str(args.get("--encryption-type", "")),
            security_configuration=sec, s3_encryption_mode=s3_mode, cloudwatch_encryption_mode=cw_mode,
        )
