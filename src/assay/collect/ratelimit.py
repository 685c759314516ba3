"""Client-side rate limiting: a scan must never throttle the customer's own production traffic.

AWS rate limits are shared by everything in an account and region. Assay keeps its own request rate
per (account, region, service) under a conservative ceiling, counting every HTTP attempt (botocore's
retries included), so a scan backs off before AWS has to make it.
"""

from __future__ import annotations

import threading
from typing import Any

from assay.collect.clock import SYSTEM_CLOCK, Clock

DEFAULT_MAX_RATE = 20.0  # requests per second per (account, region, service)


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; acquire() blocks until a token is free."""

    def __init__(self, rate: float, burst: float | None = None, clock: Clock = SYSTEM_CLOCK) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = burst if burst is not None else max(1.0, rate)
        self.clock = clock
        self._tokens = self.capacity
        self._last = clock.monotonic()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token; returns the seconds spent waiting."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock.monotonic()
                self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return waited
                pause = (1.0 - self._tokens) / self.rate
            self.clock.sleep(pause)
            waited += pause


class RateLimits:
    """One bucket per (service, region) of one account, shared by every thread of the scan."""

    def __init__(self, rate: float | None = DEFAULT_MAX_RATE, clock: Clock = SYSTEM_CLOCK) -> None:
        self.rate = rate
        self.clock = clock
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._lock = threading.Lock()
        self.waited = 0.0

    def bucket(self, service: str, region: str) -> TokenBucket | None:
        if not self.rate:
            return None
        with self._lock:
            key = (service, region)
            if key not in self._buckets:
                self._buckets[key] = TokenBucket(self.rate, clock=self.clock)
            return self._buckets[key]

    def hook(self, service: str, region: str) -> Any:
        """A botocore `before-send` handler: runs for every attempt, retries included."""
        bucket = self.bucket(service, region)

        def before_send(**_: Any) -> None:
            if bucket is not None:
                waited = bucket.acquire()
                if waited:
                    with self._lock:
                        self.waited += waited

        return before_send
