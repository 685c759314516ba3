"""Endpoints that never answer cost one timeout, not one per attempt of every read (R-7, T6).

A region's endpoints may refuse connections (a closed port, a firewall's reset), accept them and never
answer (a blackhole), or not resolve. botocore retries every call up to max_attempts times and waits up
to connect_timeout or read_timeout each time, so a blackholed region would cost each read of each of
its shards ten read timeouts, and hold the scan's workers all that while.

Until a region has answered once (any HTTP answer, an AWS error included), the first attempt to one of
its endpoints that cannot connect or times out marks that endpoint unreachable, and a second endpoint
of the region failing so marks the whole region: every later attempt there, botocore's retries
included, fails at once with RegionUnreachable, which is not retried. A blackholed region then costs
about one timeout, its reads are ERROR(timeout) with that first failure's code, and the runner reports
the region as unreachable. One endpoint blocked on the way (a proxy that lets only some hosts through)
costs only its own service. A region that has answered is reachable: a later timeout there is an
ordinary failed read, retried as usual.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import ConnectionClosedError, ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

from assay.collect.errors import RegionUnreachable

_NO_ANSWER = (ConnectTimeoutError, ReadTimeoutError, EndpointConnectionError, ConnectionClosedError)
_REGION_DOWN_AFTER = 2  # endpoints of one region found unreachable before the region itself is

Why = tuple[str, str]  # the failure's exception class and message


class Reachability:
    """Which regions of one account have answered, and which endpoints and regions were found unreachable."""

    def __init__(self) -> None:
        self._answered: set[str] = set()
        self._hosts_down: dict[tuple[str, str], Why] = {}
        self._down: dict[str, Why] = {}
        self._lock = threading.Lock()

    def down(self, region: str, host: str | None = None) -> Why | None:
        """Why the region (or, with `host`, that endpoint of it) is unreachable, or None."""
        with self._lock:
            return self._down.get(region) or (self._hosts_down.get((region, host)) if host else None)

    def _failed(self, region: str, host: str, why: Why) -> None:
        with self._lock:
            if region in self._answered:
                return
            self._hosts_down.setdefault((region, host), why)
            if sum(1 for r, _ in self._hosts_down if r == region) >= _REGION_DOWN_AFTER:
                self._down.setdefault(region, why)

    def watch(self, client: Any, region: str) -> None:
        """Follow every attempt of `client` (a client of `region`); refuse to send once it is down."""
        service = client.meta.service_model.service_id.hyphenize()

        def before_send(request: Any, **_: Any) -> None:
            why = self.down(region, urlsplit(request.url).netloc)
            if why is not None:
                raise RegionUnreachable(region=region, cause=why[0], reason=why[1])

        def after_attempt(
            response: Any = None, caught_exception: Any = None, request_dict: Any = None, **_: Any
        ) -> None:
            if response is not None:
                with self._lock:
                    self._answered.add(region)
            elif isinstance(caught_exception, _NO_ANSWER):
                host = urlsplit(str((request_dict or {}).get("url", ""))).netloc
                self._failed(region, host, (type(caught_exception).__name__, str(caught_exception)))

        # More specific than the generic handlers (rate limit, faults): runs before them.
        client.meta.events.register_first(f"before-send.{service}", before_send)
        client.meta.events.register_first(f"needs-retry.{service}", after_attempt)
