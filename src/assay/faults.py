"""Fault injection through botocore event hooks: works against moto's server, the Stubber and AWS.

    access.hooks.append(("before-call", deny({"kms:GetKeyRotationStatus"})))

A hook answers a matching call with an AWS-shaped error instead of sending it, so collectors see
exactly what AWS would have returned.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable, Collection, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from botocore.awsrequest import AWSResponse

from assay.collect.calls import action_name
from assay.collect.clock import SYSTEM_CLOCK, Clock

Hook = Callable[..., Any]


def action_of(model: Any) -> str:
    return action_name(model.service_model, model.name)


def error_response(code: str, message: str, status: int = 403) -> tuple[AWSResponse, dict[str, Any]]:
    parsed = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status, "RetryAttempts": 0},
    }
    return AWSResponse("https://fault.invalid/", status, {}, None), parsed


def deny(actions: Collection[str] | None = None, code: str = "AccessDenied", message: str | None = None,
         status: int = 403, regions: Collection[str] | None = None) -> Hook:
    """Answer every call whose IAM action is in `actions` (all calls if None) with `code`; with `regions`,
    only calls sent to those regions (an SCP that denies a region, for one)."""

    def hook(model: Any, context: dict[str, Any] | None = None, **_: Any) -> Any:
        action = action_of(model)
        if actions is not None and action not in actions:
            return None
        if regions is not None and (context or {}).get("client_region") not in regions:
            return None
        text = message or f"User is not authorized to perform: {action}"
        return error_response(code, text, status)

    return hook


def scp_deny(regions: Collection[str], actions: Collection[str] | None = None) -> Hook:
    """What an organization's SCP that blocks `regions` answers: AccessDenied with an explicit deny."""

    def message(action: str) -> str:
        return (f"User: arn:aws:sts::123456789012:assumed-role/AssayScan/AssaySoc2Scan is not authorized to "
                f"perform: {action} with an explicit deny in a service control policy")

    def hook(model: Any, context: dict[str, Any] | None = None, **_: Any) -> Any:
        action = action_of(model)
        if (actions is not None and action not in actions) or (context or {}).get("client_region") not in regions:
            return None
        return error_response("AccessDenied", message(action), 403)

    return hook


def describe_regions(states: Mapping[str, str]) -> Hook:
    """ec2:DescribeRegions answering with these regions and opt-in states ("opt-in-not-required",
    "opted-in", "not-opted-in"): an account's region list, new regions included, without AWS."""
    regions = [{"RegionName": name, "Endpoint": f"ec2.{name}.amazonaws.com", "OptInStatus": state}
               for name, state in states.items()]

    def hook(model: Any, **_: Any) -> Any:
        if action_of(model) != "ec2:DescribeRegions":
            return None
        parsed = {"Regions": regions, "ResponseMetadata": {"HTTPStatusCode": 200, "RetryAttempts": 0}}
        return AWSResponse("https://fault.invalid/", 200, {}, None), parsed

    return hook


def signed_scope(request: Any) -> tuple[str, str] | None:
    """(region, signing service) of a SigV4 request: "Credential=<key>/<date>/<region>/<service>/aws4_request"."""
    auth = request.headers.get("Authorization", b"")
    text = auth.decode() if isinstance(auth, bytes) else str(auth)
    if "Credential=" not in text:
        return None
    scope = text.split("Credential=", 1)[1].split(",", 1)[0].split("/")
    return (scope[2], scope[3]) if len(scope) >= 5 else None


def signed_region(request: Any) -> str | None:
    scope = signed_scope(request)
    return scope[0] if scope else None


def reroute(regions: Collection[str], url: str, services: Collection[str] | None = None) -> Hook:
    """A `before-send` hook sending every request for `regions` (of `services`, by signing name; all if
    None) to `url` instead: a closed local port refuses the connection (a TCP reset), a listener that
    never answers is a blackholed region."""
    target = urlsplit(url)

    def hook(request: Any, **_: Any) -> None:
        scope = signed_scope(request)
        if scope and scope[0] in regions and (services is None or scope[1] in services):
            request.url = urlunsplit(urlsplit(request.url)._replace(scheme=target.scheme, netloc=target.netloc))

    return hook


def expire_after(calls: int, code: str = "ExpiredToken",
                 message: str = "The security token included in the request is expired") -> Hook:
    """Static session credentials that expire: after `calls` calls, every call fails with ExpiredToken."""
    lock = threading.Lock()
    seen = [0]

    def hook(**_: Any) -> Any:
        with lock:
            seen[0] += 1
            expired = seen[0] > calls
        return error_response(code, message, 400) if expired else None

    return hook


# -- throttling through botocore's real retry path ------------------------------------------------

_current = threading.local()


def _cbor_text(text: str) -> bytes:
    data = text.encode()
    if len(data) < 24:
        return bytes([0x60 + len(data)]) + data
    return bytes([0x78, len(data)]) + data  # strings here are short


def throttling_response(protocol: str, code: str = "Throttling", message: str = "Rate exceeded") -> AWSResponse:
    """An HTTP answer in the service's own protocol, so botocore parses and retries it as AWS's."""
    headers: dict[str, str] = {"x-amzn-RequestId": "fault-injected"}
    if protocol in ("json", "rest-json"):
        headers.update({"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code})
        body = json.dumps({"__type": code, "message": message}).encode()
    elif protocol == "smithy-rpc-v2-cbor":
        headers.update({"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"})
        body = b"\xa2" + _cbor_text("__type") + _cbor_text(code) + _cbor_text("message") + _cbor_text(message)
    elif protocol == "ec2":
        body = (f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
                "<RequestID>fault-injected</RequestID></Response>").encode()
    elif protocol == "rest-xml":
        body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()
    else:  # query
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
                "</Error><RequestId>fault-injected</RequestId></ErrorResponse>").encode()
    return _RawResponse(400, headers, body)


def raw_response(status: int, headers: dict[str, str], body: bytes) -> AWSResponse:
    """An HTTP answer for a `before-send` hook to return: botocore parses it as the service's own."""
    return _RawResponse(status, headers, body)


class _RawResponse(AWSResponse):  # type: ignore[misc]
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        super().__init__("https://fault.invalid/", status, headers, _Body(body))


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, *_: Any) -> bytes:
        data, self._data = self._data, b""
        return data

    def stream(self, **_: Any) -> Any:
        yield self.read()


class Throttle:
    """Throttle a fraction of requests (or all of one service for a time), through the retry path.

        throttle = Throttle(rate=0.3, seed=1)
        access.hooks.extend(throttle.hooks())

    Requests are answered before they are sent, with the service's throttling error in its own
    protocol; botocore retries them exactly as it would AWS's. `injected` counts the answers and
    `last_injected` is when the last one was given, on `clock` (the one the burst is measured on).
    """

    def __init__(self, rate: float = 0.0, seed: int = 0, services: Collection[str] | None = None,
                 burst_seconds: float = 0.0, code: str = "Throttling", clock: Clock = SYSTEM_CLOCK) -> None:
        self.rate = rate
        self.clock = clock
        self.services = set(services) if services is not None else None
        self.code = code
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._burst_until = clock.monotonic() + burst_seconds if burst_seconds else 0.0
        self.injected = 0
        self.requests = 0
        self.last_injected: float | None = None

    def hooks(self) -> list[tuple[str, Hook]]:
        return [("before-call", self._note_operation), ("before-send", self._maybe_throttle)]

    def _note_operation(self, model: Any, **_: Any) -> None:
        service_model = model.service_model  # the protocol the client really speaks
        _current.protocol = getattr(service_model, "resolved_protocol", None) or service_model.protocol
        _current.service = model.service_model.service_name

    def _maybe_throttle(self, request: Any, **_: Any) -> Any:
        service = getattr(_current, "service", "")
        if self.services is not None and service not in self.services:
            return None
        with self._lock:
            self.requests += 1
            burst = self.clock.monotonic() < self._burst_until
            hit = burst or self._rng.random() < self.rate
            if hit:
                self.injected += 1
                self.last_injected = self.clock.monotonic()
        return throttling_response(getattr(_current, "protocol", "query"), self.code) if hit else None
