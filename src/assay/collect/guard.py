"""The runtime write guard: every AWS call Assay makes is checked against a read-only allowlist.

Registered as a botocore `before-call` hook on every session, in production and in every test, so
that a collector that would mutate an account fails loudly even when the role would allow it.
"""

from __future__ import annotations

import re
from typing import Any

from assay.errors import WriteAttempted

# Read verbs, plus the few non-mutating calls scanning needs: STS identity and role assumption,
# and IAM's credential report, which AWS builds on request.
READ_OPERATION = re.compile(
    r"^(Get|List|Describe|BatchGet|Search|Lookup|Head|Query|Scan)[A-Z]\w*$"
    r"|^(GenerateCredentialReport|GetCallerIdentity|AssumeRole|GenerateServiceLastAccessedDetails)$"
)

_DATA_READS = {"Query", "Scan", "GetItem", "BatchGetItem", "GetObject", "GetSecretValue", "GetParameter"}


def is_read_operation(operation: str) -> bool:
    """True for operations that only read metadata; data-plane reads are refused too."""
    if operation in _DATA_READS or operation.startswith(("Query", "Scan")):
        return False
    return bool(READ_OPERATION.match(operation))


def is_read_action(action: str) -> bool:
    """The same test for an IAM action ("kms:ListKeys"); API Gateway names its reads "apigateway:GET"."""
    name = action.split(":", 1)[1]
    return name == "GET" or is_read_operation(name)


def guard_before_call(model: Any, **_: Any) -> None:
    name = model.name
    if not is_read_operation(name):
        service = model.service_model.service_name
        raise WriteAttempted(f"refusing to call {service}:{name}: Assay only performs read operations")
