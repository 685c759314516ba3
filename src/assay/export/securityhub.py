"""Import a scan's findings into AWS Security Hub: the one write Assay ever performs.

Scanning never writes: every scanning client carries the read-only guard (assay.collect.guard).
Importing findings is a write, so it goes through its own client, made only here and only for
`assay export securityhub`: `import_client()` builds it on a fresh botocore session that shares
nothing with the scanning sessions, and instead of the read-only guard it carries a narrower one
that lets through BatchImportFindings and nothing else that writes. The scanning role therefore
needs no Security Hub write permission; the identity that exports needs
`securityhub:BatchImportFindings` (see `import_policy_document()`), ideally a separate role.

Security Hub takes at most 100 findings per call, for one account and one region (the ProductArn
names both), and only from the account a finding belongs to: each account's findings are sent with
that account's credentials. A call answers with FailedCount and FailedFindings (id, code, message);
failed items are sent again, alone, a bounded number of times with growing pauses, and what still
fails is reported with its reasons. A call that fails as a whole with a permanent error (access
denied, Security Hub not enabled) is not repeated for the rest of that account and region.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from assay.collect.guard import is_read_operation
from assay.collect.session import AwsAccess, botocore_session, client_config
from assay.errors import WriteAttempted
from assay.reporters.asff import BATCH_SIZE, batches

IMPORT_OPERATION = "BatchImportFindings"
IMPORT_ACTION = f"securityhub:{IMPORT_OPERATION}"
RETRIES = 2  # resends of the items a call reports as failed
BACKOFF = 1.0  # seconds before the first resend; doubles each time
# Whole-call errors that another attempt cannot fix.
PERMANENT = frozenset({
    "AccessDenied", "AccessDeniedException", "InvalidAccessException", "InvalidInputException",
    "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredTokenException", "ValidationException",
})


def import_only_guard(model: Any, **_: Any) -> None:
    """The export client's guard: reads, and BatchImportFindings; any other write is refused."""
    if model.name != IMPORT_OPERATION and not is_read_operation(model.name):
        raise WriteAttempted(f"refusing to call securityhub:{model.name}: the export client only imports findings")


def import_client(access: AwsAccess, region: str) -> Any:
    """A Security Hub client that may import findings: deliberately without the scanning guard.

    Built on its own botocore session (never a scanning session, so the scan's guard stays on every
    scanning client), with the account's credentials, endpoint, timeouts and retries.
    """
    bs = botocore_session()
    bs._credentials = access.credentials()
    for event, handler in access.hooks:  # the fault-injection seam scanning clients have too
        bs.register(event, handler)
    session = boto3.Session(botocore_session=bs)
    client = session.client(
        "securityhub", region_name=region, endpoint_url=access.endpoint_url,
        config=client_config("securityhub", access.endpoint_url, access.max_attempts, access.read_timeout),
    )
    client.meta.events.register("before-call", import_only_guard)
    return client


def import_policy_document() -> dict[str, Any]:
    """The permission the exporting identity needs (not the scanning role)."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AssayImportFindings",
            "Effect": "Allow",
            "Action": [IMPORT_ACTION],
            "Resource": "arn:aws:securityhub:*:*:product/*/default",
        }],
    }


@dataclass(frozen=True)
class FailedImport:
    id: str
    account_id: str
    region: str
    code: str
    message: str


@dataclass
class ImportResult:
    imported: int = 0
    calls: int = 0
    resent: int = 0  # items sent again after a failed attempt
    failed: list[FailedImport] = field(default_factory=list)
    destinations: Counter[tuple[str, str]] = field(default_factory=Counter)  # (account, region) -> findings

    @property
    def failed_count(self) -> int:
        return len(self.failed)

    def reasons(self) -> list[tuple[str, str, int, str]]:
        """(code, message, count, an example finding id), most frequent first."""
        counts: Counter[tuple[str, str]] = Counter((f.code, f.message) for f in self.failed)
        example = {(f.code, f.message): f.id for f in reversed(self.failed)}
        return [(code, msg, n, example[(code, msg)]) for (code, msg), n in counts.most_common()]


def destination(finding: dict[str, Any]) -> tuple[str, str]:
    """(account, region) from the ProductArn: arn:<partition>:securityhub:<region>:<account>:product/..."""
    parts = str(finding["ProductArn"]).split(":")
    return parts[4], parts[3]


def import_findings(
    findings: Iterable[dict[str, Any]],
    client_for: Callable[[str, str], Any],
    *,
    retries: int = RETRIES,
    backoff: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Send ASFF findings in calls of at most `batch_size`; `client_for(account, region)` gives the client."""
    backoff = BACKOFF if backoff is None else backoff
    result = ImportResult()
    clients: dict[tuple[str, str], Any] = {}
    blocked: dict[tuple[str, str], tuple[str, str]] = {}  # destinations that failed permanently
    for batch in batches(findings, batch_size):
        dest = destination(batch[0])
        result.destinations[dest] += len(batch)
        if dest in blocked:
            code, message = blocked[dest]
            result.failed += [FailedImport(f["Id"], *dest, code, message) for f in batch]
            continue
        if dest not in clients:
            clients[dest] = client_for(*dest)
        pending = batch
        reasons: dict[str, tuple[str, str]] = {}
        for attempt in range(retries + 1):
            if attempt:
                result.resent += len(pending)
                sleep(backoff * 2 ** (attempt - 1))
            result.calls += 1
            try:
                answer = clients[dest].batch_import_findings(Findings=pending)
            except ClientError as exc:
                error = exc.response.get("Error", {})
                code, message = str(error.get("Code") or "Error"), str(error.get("Message") or exc)
                reasons = {f["Id"]: (code, message) for f in pending}
                if code in PERMANENT:
                    blocked[dest] = (code, message)
                    break
                continue
            except BotoCoreError as exc:  # the endpoint could not be reached, after botocore's own retries
                reasons = {f["Id"]: (type(exc).__name__, str(exc)) for f in pending}
                continue
            reasons = {str(f.get("Id", "")): (str(f.get("ErrorCode") or "Failed"), str(f.get("ErrorMessage") or ""))
                       for f in answer.get("FailedFindings", [])}
            still = [f for f in pending if f["Id"] in reasons]
            result.imported += len(pending) - len(still)
            pending = still
            if not pending:
                break
        result.failed += [FailedImport(f["Id"], *dest, *reasons.get(f["Id"], ("Failed", "no reason given")))
                          for f in pending]
    return result


def export(findings: list[dict[str, Any]], accesses: dict[str, AwsAccess], **options: Any) -> ImportResult:
    """Import findings with each account's own access (account id -> AwsAccess)."""
    return import_findings(findings, lambda account, region: import_client(accesses[account], region), **options)
