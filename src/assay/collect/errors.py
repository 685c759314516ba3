"""How AWS errors are read: which codes mean "not configured" (a value) and which are failures.

Every entry in ABSENT is an answer, not an error: e.g. s3:GetBucketPolicy answering
NoSuchBucketPolicy means "the bucket has no policy". Every other code is a failure, classified
into an ErrorKind so reports can say why a control could not be evaluated.
"""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PaginationError,
    ReadTimeoutError,
)

from assay.models.inventory import ErrorKind

# IAM action -> error codes that mean "nothing configured". Collectors add their entries through
# @collector(absent=...), next to the calls they describe.
ABSENT: dict[str, frozenset[str]] = {}

DENIED = frozenset({
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess",
    "AuthorizationError", "AuthorizationErrorException", "Forbidden", "ForbiddenException",
    "UnauthorizedException", "NotAuthorized", "AccessDeniedForDependencyException",
})
THROTTLED = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
    "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown",
    "ProvisionedThroughputExceededException", "BandwidthLimitExceeded", "EC2ThrottledException",
    "PriorRequestNotComplete",
})
REGION_DISABLED = frozenset({
    "UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure", "RegionDisabledException",
    "OptInRequired", "InvalidSignatureException",
})
EXPIRED = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"})

SCP_MARKER = "explicit deny in a service control policy"
# Failures that mean no endpoint of the region answered at all (assay.collect.reachability).
UNREACHABLE = frozenset({"EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError", "ConnectionClosedError"})


class RegionUnreachable(BotoCoreError):  # type: ignore[misc]
    """Not sent: the region never answered, and an earlier attempt there could not connect or timed out.

    Reported with the code of that earlier failure (`cause`), as if this read had met it too.
    """

    fmt = "not sent: nothing in {region} has answered since an earlier attempt there failed ({cause}: {reason})"


def is_absent(action: str, code: str, message: str = "") -> bool:
    """True when AWS's answer means "not configured". An entry is a code, or "Code: message fragment"
    for services that answer "not enabled" with a generic code (Macie: AccessDeniedException,
    "Macie is not enabled"), so that a real denial with the same code stays an error."""
    for entry in ABSENT.get(action, ()):
        expected, _, fragment = entry.partition(": ")
        if code == expected and (not fragment or fragment.lower() in message.lower()):
            return True
    return False


def classify_code(code: str, message: str = "") -> ErrorKind:
    if SCP_MARKER in message.lower():
        return ErrorKind.SCP_DENY
    if code in DENIED:
        return ErrorKind.DENIED
    if code in THROTTLED:
        return ErrorKind.THROTTLED
    if code in EXPIRED:
        return ErrorKind.CREDENTIALS_EXPIRED
    if code in REGION_DISABLED:
        return ErrorKind.REGION_DISABLED
    return ErrorKind.ERROR


def describe_exception(exc: Exception) -> tuple[str, ErrorKind, str]:
    """(code, kind, message) for any exception a botocore call can raise."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = str(err.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "Error"))
        message = str(err.get("Message") or "")
        return code, classify_code(code, message), message
    if isinstance(exc, RegionUnreachable):
        return str(exc.kwargs["cause"]), ErrorKind.TIMEOUT, str(exc)
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError | EndpointConnectionError | ConnectionClosedError):
        return type(exc).__name__, ErrorKind.TIMEOUT, str(exc)
    if isinstance(exc, PaginationError):
        return "PaginationLoop", ErrorKind.PAGINATION, str(exc)
    if isinstance(exc, NoCredentialsError):
        return "NoCredentials", ErrorKind.CREDENTIALS_EXPIRED, str(exc)
    if isinstance(exc, BotoCoreError):
        return type(exc).__name__, ErrorKind.ERROR, str(exc)
    return type(exc).__name__, ErrorKind.PARSE, str(exc)
