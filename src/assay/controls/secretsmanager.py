"""Secrets Manager controls: secrets rotate automatically, were actually rotated, and are still used."""

from __future__ import annotations

import re
from datetime import datetime

from assay.controls.registry import Remediation, control
from assay.controls.timestamps import parse_time
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.secretsmanager import Secret

NEEDS = ["secretsmanager:ListSecrets"]
_RATE_DAYS = re.compile(r"^rate\((\d+) days?\)$")


def _replica(secret: Secret) -> str:
    """The primary's region when the secret is a replica ("" otherwise): replicas follow their primary."""
    return secret.primary_region if secret.primary_region and secret.primary_region != secret.region else ""


def _schedule(secret: Secret) -> str:
    if secret.rotation_schedule:
        return secret.rotation_schedule
    return f"every {secret.rotation_days} days" if secret.rotation_days else "no schedule stated"


def _age_days(timestamp: str, now: datetime) -> int:
    return (now - parse_time(timestamp)).days


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


@control(
    id="secretsmanager.secret_rotation_enabled",
    title="Secrets Manager secrets rotate automatically",
    severity="medium",
    needs=NEEDS,
    rationale="A credential that never changes stays valid for whoever copied it, from a former employee to a "
    "leaked log or backup. Automatic rotation bounds how long a disclosed secret is useful and removes the "
    "manual step that is usually skipped, supporting credential management under CC6.1 and CC6.2.",
    remediation=Remediation(
        console="Secrets Manager console > the secret > Rotation > Edit rotation: turn on automatic rotation, set "
        "the schedule (e.g. every 30 days), choose or create the rotation function, and save.",
        cli="aws secretsmanager rotate-secret --secret-id <secret> --rotation-lambda-arn <function-arn> "
        "--rotation-rules AutomaticallyAfterDays=30",
        terraform='resource "aws_secretsmanager_secret_rotation" "this" {\n  secret_id           = '
        "aws_secretsmanager_secret.this.id\n  rotation_lambda_arn = aws_lambda_function.rotate.arn\n"
        "  rotation_rules {\n    automatically_after_days = 30\n  }\n}",
    ),
)
def secret_rotation_enabled(secret: Secret) -> Outcome:
    primary = _replica(secret)
    if primary:
        return Skip(f"replica of a secret in {primary}: rotation is configured on the primary")
    if secret.rotation_enabled:
        return Pass(f"automatic rotation is enabled ({_schedule(secret)})")
    return Fail("automatic rotation is disabled")


@control(
    id="secretsmanager.secret_rotated_recently",
    title="Secrets were rotated within their rotation period, or within the maximum age when they do not rotate",
    severity="medium",
    needs=NEEDS,
    rationale="Enabling rotation is not evidence that rotation works: a failing rotation function leaves the old "
    "value in place while the configuration looks compliant. Checking the date of the last rotation against the "
    "schedule (or against a maximum age for secrets without one) shows whether credentials really change "
    "(CC6.1, CC6.2).",
    remediation=Remediation(
        console="Secrets Manager console > the secret > Rotation: choose 'Rotate secret immediately'. If it fails, "
        "read the rotation function's CloudWatch Logs (permissions, network access to the database, the "
        "AWSPENDING version left behind) and fix the cause.",
        cli="aws secretsmanager rotate-secret --secret-id <secret>\n"
        "aws secretsmanager describe-secret --secret-id <secret> --query '[LastRotatedDate,NextRotationDate]'",
        terraform="# Rotation runs outside Terraform; keep aws_secretsmanager_secret_rotation configured and alert\n"
        "# on the rotation function's errors (aws_cloudwatch_metric_alarm on its Errors metric).",
    ),
)
def secret_rotated_recently(secret: Secret, now: datetime, *, max_age_days: int = 90) -> Outcome:
    """The limit is the rotation period when the secret rotates every N days, else `max_age_days`; a day of
    slack covers the rotation window at the end of the period."""
    primary = _replica(secret)
    if primary:
        return Skip(f"replica of a secret in {primary}: its value follows the primary")
    since = secret.last_rotated or secret.created
    if since is None:
        return Error("neither the last rotation nor the creation date was reported")
    rate = _RATE_DAYS.match(secret.rotation_schedule)
    period = secret.rotation_days or (int(rate.group(1)) if rate else None)
    limit, basis = (period, "its rotation period") if secret.rotation_enabled and period else \
        (max_age_days, "the maximum age")
    age = _age_days(since, now)
    what = "last rotated" if secret.last_rotated else "never rotated; created"
    if age > limit + 1:
        return Fail(f"{what} {_days(age)} ago, beyond {basis} of {limit} days")
    return Pass(f"{what} {_days(age)} ago, within {basis} of {limit} days")


@control(
    id="secretsmanager.secret_in_use",
    title="Secrets Manager secrets have been retrieved recently",
    severity="low",
    needs=NEEDS,
    rationale="A secret nobody retrieves is a credential that probably still works but that no system needs, so it "
    "only adds exposure. Finding and removing unused secrets keeps access limited to what is needed and "
    "supports removing access that is no longer required (CC6.2, CC6.3).",
    remediation=Remediation(
        console="Secrets Manager console > the secret: confirm with its owner that nothing uses it (check "
        "'Last retrieved' and CloudTrail GetSecretValue events), revoke the credential at its source, then "
        "Actions > Delete secret with a recovery window.",
        cli="aws secretsmanager describe-secret --secret-id <secret> --query LastAccessedDate\n"
        "aws secretsmanager delete-secret --secret-id <secret> --recovery-window-in-days 30",
        terraform="# Remove the aws_secretsmanager_secret resource once no consumer references it;\n"
        "# recovery_window_in_days = 30 keeps it restorable for a month.",
    ),
)
def secret_in_use(secret: Secret, now: datetime, *, max_unused_days: int = 90) -> Outcome:
    primary = _replica(secret)
    if primary:
        return Skip(f"replica of a secret in {primary}: replicas may stay unread until a failover")
    if secret.last_accessed is not None:
        age = _age_days(secret.last_accessed, now)
        if age > max_unused_days:
            return Fail(f"last retrieved {_days(age)} ago (threshold {max_unused_days})")
        return Pass(f"last retrieved {_days(age)} ago")
    if secret.created is None:
        return Error("the secret's creation date was not reported")
    age = _age_days(secret.created, now)
    if age <= max_unused_days:
        return Skip(f"created {_days(age)} ago and not retrieved yet: too new to judge")
    return Fail(f"never retrieved since its creation {_days(age)} ago")
